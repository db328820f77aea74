# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.odoo_saas.platform.plugins.plugin_utils.k8s_manifests import migration_job, render, render_pool
from ansible_collections.odoo_saas.platform.plugins.plugin_utils.tenant import TenantError, check_pool


def tenant_k8s_manifests(tenant, settings=None, secrets=None):
    """A checked tenant's Kubernetes objects, in apply order."""
    try:
        return render(tenant, settings, secrets)
    except (KeyError, TypeError, ValueError) as exc:
        raise AnsibleFilterError("tenant_k8s_manifests: %s" % exc)


def tenant_pool_check(pool, context=None):
    """A shared pool's description checked and completed like a tenant."""
    try:
        return check_pool(pool, context)
    except TenantError as exc:
        raise AnsibleFilterError("tenant_pool_check: %s" % exc)


def tenant_k8s_pool_manifests(pool, settings=None, secrets=None):
    """A checked shared pool's Kubernetes objects, in apply order."""
    try:
        return render_pool(pool, settings, secrets)
    except (KeyError, TypeError, ValueError) as exc:
        raise AnsibleFilterError("tenant_k8s_pool_manifests: %s" % exc)


def tenant_k8s_migration_job(tenant, image, settings=None, action="upgrade"):
    """The Job that runs a tenant's `-u` migration with the upgrade's image, or its `-i` initialisation."""
    try:
        return migration_job(tenant, image, settings, action)
    except (KeyError, TypeError, ValueError) as exc:
        raise AnsibleFilterError("tenant_k8s_migration_job: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {
            "tenant_k8s_manifests": tenant_k8s_manifests,
            "tenant_pool_check": tenant_pool_check,
            "tenant_k8s_pool_manifests": tenant_k8s_pool_manifests,
            "tenant_k8s_migration_job": tenant_k8s_migration_job,
        }
