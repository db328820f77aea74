# LAB ONLY: a manifest of the stand-in's built-in 'base' module (no code; see odoo-standin.py).
{
    'name': 'The kernel of Odoo',
    'version': '@BASE_VERSION@',
    'depends': [],
    'installable': True,
}
