# LAB ONLY: a manifest of the stand-in's built-in 'mail' module (no code; see odoo-standin.py).
{
    'name': 'Discuss',
    'version': '1.0',
    'depends': ['base', 'bus', 'web'],
    'installable': True,
}
