"""odoo-saas: the operator CLI of the odoo_saas.platform collection (runs its playbooks through ansible-runner)."""

__version__ = "0.1.0"
