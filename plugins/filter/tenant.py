# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.odoo_saas.platform.plugins.plugin_utils.tenant import (
    USER_PASSWORD_ROUNDS,
    TenantError,
    admin_passwd_hash,
    check_image_facts,
    check_registry,
    docker_pools,
    routing,
    with_image,
)


def tenant_registry_check(tenants, context=None):
    """Every tenant of the registry checked and completed; names, hosts and slots unique."""
    try:
        return check_registry(tenants, context)
    except TenantError as exc:
        raise AnsibleFilterError("tenant_registry_check: %s" % exc)


def tenant_docker_pools(tenants, pools=None, context=None):
    """The shared pools serving the registry's shared tenants on Docker, checked, with their members."""
    try:
        return docker_pools(tenants, pools, context)
    except TenantError as exc:
        raise AnsibleFilterError("tenant_docker_pools: %s" % exc)


def tenant_with_image(tenant, image, environment="production"):
    """A checked tenant with another image, for rolling upgrades and rollbacks."""
    try:
        return with_image(tenant, image, environment)
    except TenantError as exc:
        raise AnsibleFilterError("tenant_with_image: %s" % exc)


def odoo_admin_passwd(password, salt):
    """Odoo's admin_passwd (database manager master password) as a pbkdf2_sha512 hash."""
    if not password or not salt:
        raise AnsibleFilterError("odoo_admin_passwd: a password and a salt are required")
    return admin_passwd_hash(password, salt)


def odoo_user_password(password, salt):
    """A res_users.password value as Odoo writes it (pbkdf2_sha512 at Odoo's MIN_ROUNDS)."""
    if not password or not salt:
        raise AnsibleFilterError("odoo_user_password: a password and a salt are required")
    return admin_passwd_hash(password, salt, USER_PASSWORD_ROUNDS)


def tenant_image_check(tenants, outputs):
    """The tenants checked against what their app host found in their images; the facts by image."""
    if not isinstance(outputs, dict):
        raise AnsibleFilterError("tenant_image_check: the inspections must be a mapping of image to output")
    try:
        return check_image_facts(tenants, outputs)
    except TenantError as exc:
        raise AnsibleFilterError("tenant_image_check: %s" % exc)


def tenant_traefik_routing(tenant, addresses, ports=None):
    """The traefik_tenant_routing description of a checked tenant served from these app hosts."""
    try:
        return routing(tenant, addresses, ports)
    except (KeyError, TypeError, ValueError) as exc:
        raise AnsibleFilterError("tenant_traefik_routing: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {
            "tenant_registry_check": tenant_registry_check,
            "tenant_docker_pools": tenant_docker_pools,
            "tenant_with_image": tenant_with_image,
            "odoo_admin_passwd": odoo_admin_passwd,
            "odoo_user_password": odoo_user_password,
            "tenant_image_check": tenant_image_check,
            "tenant_traefik_routing": tenant_traefik_routing,
        }
