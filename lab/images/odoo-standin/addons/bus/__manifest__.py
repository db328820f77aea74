# LAB ONLY: a manifest of the stand-in's built-in 'bus' module (no code; see odoo-standin.py).
{
    'name': 'Instant messaging bus',
    'version': '1.0',
    'depends': ['base', 'web'],
    'installable': True,
}
