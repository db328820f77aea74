# LAB ONLY: a manifest of the stand-in's built-in 'uom' module (no code; see odoo-standin.py).
{
    'name': 'Units of measure',
    'version': '1.0',
    'depends': ['base'],
    'installable': True,
}
