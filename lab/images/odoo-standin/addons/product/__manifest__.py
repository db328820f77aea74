# LAB ONLY: a manifest of the stand-in's built-in 'product' module (no code; see odoo-standin.py).
{
    'name': 'Products',
    'version': '1.0',
    'depends': ['base', 'mail', 'uom'],
    'installable': True,
}
