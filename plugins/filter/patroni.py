# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: patroni_api_urls
short_description: REST API URLs of Patroni members from the inventory
version_added: 0.1.0
description:
  - Turns inventory host names into C(https://ADDRESS:PORT) URLs of their Patroni REST API.
  - The address is the host's C(patroni_address), else its gathered default IPv4 address.
    Hosts with neither (an unreachable member) are left out.
author: odoo_saas.platform maintainers (@odoo-saas)
options:
  _input:
    description: Inventory host names.
    type: list
    elements: str
    required: true
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the cluster from any member that answers
  odoo_saas.platform.patroni_cluster_info:
    api_url: "{{ groups['postgres'] | odoo_saas.platform.patroni_api_urls(hostvars) }}"
"""

RETURN = r"""
_value:
  description: One URL per host whose address is known, in the order given.
  type: list
  elements: str
"""


def patroni_api_urls(hosts, hostvars):
    urls = []
    for host in hosts:
        hvars = hostvars.get(host, {})
        address = hvars.get("patroni_address") or hvars.get("ansible_facts", {}).get("default_ipv4", {}).get("address")
        if address:
            urls.append("https://%s:%s" % (address, hvars.get("patroni_restapi_port", 8008)))
    return urls


class FilterModule(object):
    def filters(self):
        return {"patroni_api_urls": patroni_api_urls}
