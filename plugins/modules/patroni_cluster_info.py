#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: patroni_cluster_info
short_description: Members, roles, lag and timeline of a Patroni cluster
version_added: 0.1.0
description:
  - Reads C(GET /cluster) from a Patroni member's REST API and returns its members with their
    role, state, replication lag, timeline and pending restart, plus a summary.
  - Does not use C(patronictl).
author: odoo_saas.platform maintainers (@odoo-saas)
extends_documentation_fragment:
  - odoo_saas.platform.patroni
attributes:
  check_mode:
    support: full
    description: Read only.
  diff_mode:
    support: none
    description: Read only.
"""

EXAMPLES = r"""
- name: Read the cluster
  odoo_saas.platform.patroni_cluster_info:
    api_url: https://db1.example.net:8008
    ca_path: /etc/odoo-saas/tls/ca.crt
  register: cluster

- name: Show the leader
  ansible.builtin.debug:
    msg: "{{ cluster.leader }} leads timeline {{ cluster.timeline }}"
"""

RETURN = r"""
scope:
  description: Cluster name.
  returned: always (empty when no member answers)
  type: str
leader:
  description: Name of the leader, or null when there is none or more than one.
  returned: always (empty when no member answers)
  type: str
leader_count:
  description: How many members claim the leader role.
  returned: always (empty when no member answers)
  type: int
replicas:
  description: Names of the replicas.
  returned: always (empty when no member answers)
  type: list
  elements: str
healthy_replicas:
  description: Replicas that are streaming or running and may be promoted.
  returned: always (empty when no member answers)
  type: list
  elements: str
timeline:
  description: The leader's timeline.
  returned: always (empty when no member answers)
  type: int
max_lag:
  description: Largest replication lag in bytes.
  returned: always (empty when no member answers)
  type: int
pending_restart:
  description: Members with parameters that need a restart.
  returned: always (empty when no member answers)
  type: list
  elements: str
is_standby_cluster:
  description: Whether the cluster is a standby cluster (its leader is a standby leader).
  returned: always (empty when no member answers)
  type: bool
members:
  description: One entry per member.
  returned: always (empty when no member answers)
  type: list
  elements: dict
  contains:
    name:
      description: Member name.
      type: str
    role:
      description: C(leader), C(replica), C(sync_standby) or C(standby_leader).
      type: str
    state:
      description: C(running), C(streaming), C(stopped) and so on.
      type: str
    lag:
      description: Replication lag in bytes, null when unknown.
      type: int
    timeline:
      description: Timeline of the member.
      type: int
    pending_restart:
      description: Whether the member needs a restart.
      type: bool
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.odoo_saas.platform.plugins.module_utils.patroni import (
    PatroniClient,
    PatroniError,
    patroni_argument_spec,
    summarize_cluster,
)


def main():
    module = AnsibleModule(argument_spec=patroni_argument_spec(), supports_check_mode=True)
    try:
        summary = summarize_cluster(PatroniClient.from_module(module).cluster())
    except PatroniError as exc:
        # The keys of an empty cluster too: an `until:` that waits on them retries instead of erroring.
        module.fail_json(msg=str(exc), **summarize_cluster({}))
    module.exit_json(changed=False, **summary)


if __name__ == "__main__":
    main()
