# LAB ONLY: OCA queue_job as a customer's image adds it under /mnt/extra-addons (no code).
{
    'name': 'Job Queue',
    'version': '1.0',
    'depends': ['mail', 'base_sparse_field'],
    'installable': True,
}
