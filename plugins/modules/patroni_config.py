#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: patroni_config
short_description: Keep a Patroni cluster's dynamic configuration in place
version_added: 0.1.0
description:
  - Compares I(config) with C(GET /config) and sends only the differences with C(PATCH /config).
    Patroni applies them on every member; no file is rewritten and nothing is restarted.
  - Keys not named in I(config) are left alone. A key set to null is removed.
  - Parameters that need a restart show up afterwards in the C(pending_restart) result of
    M(odoo_saas.platform.patroni_cluster_info).
author: odoo_saas.platform maintainers (@odoo-saas)
extends_documentation_fragment:
  - odoo_saas.platform.patroni
options:
  config:
    description: The wanted configuration, in the shape of C(GET /config).
    type: dict
    required: true
attributes:
  check_mode:
    support: full
    description: Reports the changes without sending them.
  diff_mode:
    support: full
    description: Shows the changed keys before and after.
"""

EXAMPLES = r"""
- name: Tune failover timing and a PostgreSQL parameter
  odoo_saas.platform.patroni_config:
    api_url: https://db1.example.net:8008
    api_username: patroni
    api_password: "{{ vault_patroni_restapi_password }}"
    ca_path: /etc/odoo-saas/tls/ca.crt
    config:
      loop_wait: 2
      retry_timeout: 5
      postgresql:
        parameters:
          work_mem: 16MB
"""

RETURN = r"""
changes:
  description: What was (or in check mode would be) sent with PATCH.
  returned: success
  type: dict
config:
  description: The dynamic configuration after the change.
  returned: success
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.odoo_saas.platform.plugins.module_utils.patroni import (
    PatroniClient,
    PatroniError,
    config_changes,
    patroni_argument_spec,
)


def pick(current, changes):
    """The values in current at the paths named by changes, for a readable diff."""
    result = {}
    for key, value in changes.items():
        if isinstance(value, dict):
            result[key] = pick(current.get(key) if isinstance(current.get(key), dict) else {}, value)
        else:
            result[key] = current.get(key)
    return result


def main():
    argument_spec = patroni_argument_spec()
    argument_spec.update(config=dict(type="dict", required=True))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    client = PatroniClient.from_module(module)
    try:
        current = client.config() or {}
        changes = config_changes(module.params["config"], current)
        if not changes:
            module.exit_json(changed=False, changes={}, config=current)
        diff = dict(before=pick(current, changes), after=changes)
        if module.check_mode:
            module.exit_json(changed=True, changes=changes, config=current, diff=diff)
        status, body = client.request("PATCH", "/config", changes)
        if status != 200:
            module.fail_json(msg="Patroni refused the configuration change (%s): %s" % (status, body), changes=changes)
    except PatroniError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=True, changes=changes, config=body, diff=diff)


if __name__ == "__main__":
    main()
