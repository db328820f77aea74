# LAB ONLY: a manifest of the stand-in's built-in 'base_sparse_field' module (no code; see odoo-standin.py).
{
    'name': 'Sparse Fields',
    'version': '1.0',
    'depends': ['base'],
    'installable': True,
}
