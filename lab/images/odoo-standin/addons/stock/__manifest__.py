# LAB ONLY: a manifest of the stand-in's built-in 'stock' module (no code; see odoo-standin.py).
{
    'name': 'Inventory',
    'version': '1.0',
    'depends': ['product'],
    'installable': True,
}
