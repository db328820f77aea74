"""Tenants of every tenancy model and tier, rendered as the kubernetes runtime renders them.

The secrets are fixed, fake test values: the golden files must not change from run to run.
"""

import copy

from ansible_collections.odoo_saas.platform.plugins.plugin_utils import k8s_manifests as k8s
from ansible_collections.odoo_saas.platform.plugins.plugin_utils import tenant as registry

CONTEXT = {"environment": "production", "runtime": "kubernetes", "groups": ["app", "postgres", "redis", "app_globex", "postgres_globex"]}
SETTINGS = {
    "db_host": "10.20.0.10",
    "db_port": 5000,
    "sentinel_hosts": ["10.20.0.21", "10.20.0.22", "10.20.0.23"],
    "data_tier": [
        {"name": "postgres", "cidr": "10.20.0.10/32", "ports": [5000, 5001]},
        {"name": "redis", "cidr": "10.20.0.16/28", "ports": [6379, 26379]},
    ],
    "tls_secret": "wildcard-tls",
    "storage_class": "nfs-rwx",
}
SECRETS = {"db_password": "test-db-password", "admin_passwd": "$pbkdf2-sha512$test", "redis_password": "test-redis-password",
           "sentinel_password": "test-sentinel-password"}

TENANTS = {
    "acme": {"name": "acme", "hosts": ["acme.example.com"], "tenancy": "isolated", "tier": "small", "slot": 1,
             "image": "odoo:17.0-20250101", "modules": ["base", "sale"]},
    "initech": {"name": "initech", "hosts": ["initech.example.com", "erp.initech.example"], "tenancy": "isolated", "tier": "medium",
                "slot": 2, "image": "odoo:17.0-20250101", "admin_allow": ["192.0.2.0/24"]},
    "globex": {"name": "globex", "hosts": ["globex.example.com"], "tenancy": "dedicated", "tier": "large", "slot": 3,
               "image": "odoo:17.0-20250101", "app_group": "app_globex", "db_group": "postgres_globex"},
    "hooli": {"name": "hooli", "hosts": ["hooli.example.com"], "tenancy": "shared", "tier": "small", "slot": 4, "image": "odoo:17.0-20250101"},
    "umbrella": {"name": "umbrella", "hosts": ["umbrella.example.com"], "tenancy": "shared", "tier": "small", "slot": 5, "image": "odoo:17.0-20250101"},
}
POOL = {"name": "shared", "tier": "medium", "image": "odoo:17.0-20250101", "modules": ["base", "sale", "stock"]}


def tenant(name, **changes):
    description = copy.deepcopy(TENANTS[name])
    description.update(changes)
    return registry.check(description, CONTEXT)


def pool():
    return registry.check_pool(copy.deepcopy(POOL), CONTEXT)


def render(name, **changes):
    return k8s.render(tenant(name, **changes), SETTINGS, SECRETS)


def render_all():
    """Every object of the fixture platform: the pool, then each tenant."""
    objects = {"pool-shared": k8s.render_pool(pool(), SETTINGS, SECRETS)}
    for name in TENANTS:
        objects[name] = render(name)
    return objects
