# LAB ONLY: a manifest of the stand-in's built-in 'sale' module (no code; see odoo-standin.py).
{
    'name': 'Sales',
    'version': '1.0',
    'depends': ['product', 'account'],
    'installable': True,
}
