# LAB ONLY: a manifest of the stand-in's built-in 'web' module (no code; see odoo-standin.py).
{
    'name': 'Web client',
    'version': '1.0',
    'depends': ['base'],
    'installable': True,
}
