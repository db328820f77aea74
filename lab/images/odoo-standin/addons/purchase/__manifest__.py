# LAB ONLY: a manifest of the stand-in's built-in 'purchase' module (no code; see odoo-standin.py).
{
    'name': 'Purchase',
    'version': '1.0',
    'depends': ['account'],
    'installable': True,
}
