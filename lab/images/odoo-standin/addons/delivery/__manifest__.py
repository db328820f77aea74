# LAB ONLY: a manifest of the stand-in's built-in 'delivery' module (no code; see odoo-standin.py).
{
    'name': 'Delivery costs and carriers',
    'version': '1.0',
    'depends': ['sale', 'stock'],
    'installable': True,
}
