# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.odoo_saas.platform.plugins.plugin_utils.traefik_routing import (
    RoutingError,
    check_tenants,
    render,
)


def traefik_tenant_routing(tenant, defaults=None):
    """One tenant's Traefik dynamic configuration (routers, middlewares, services)."""
    try:
        return render(tenant, defaults)
    except RoutingError as exc:
        raise AnsibleFilterError("traefik_tenant_routing: %s" % exc)


def traefik_check_tenants(tenants, defaults=None):
    """All tenants checked together (fields, duplicate names and hosts), normalized."""
    try:
        return check_tenants(tenants, defaults)
    except RoutingError as exc:
        raise AnsibleFilterError("traefik_check_tenants: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {
            "traefik_tenant_routing": traefik_tenant_routing,
            "traefik_check_tenants": traefik_check_tenants,
        }
