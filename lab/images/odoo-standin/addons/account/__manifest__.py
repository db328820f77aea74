# LAB ONLY: a manifest of the stand-in's built-in 'account' module (no code; see odoo-standin.py).
{
    'name': 'Invoicing',
    'version': '1.0',
    'depends': ['base', 'product'],
    'installable': True,
}
