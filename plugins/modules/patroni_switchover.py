#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: patroni_switchover
short_description: Planned switchover of a Patroni cluster to a healthy replica
version_added: 0.1.0
description:
  - Hands the leader role to I(candidate), or to the healthy replica with the least lag, through
    C(POST /switchover), then waits until the new leader runs as primary.
  - Does nothing when I(candidate) already leads.
  - Refuses, before any change, a candidate that is not a healthy replica or lags more than I(max_lag).
    In synchronous mode only a synchronous standby qualifies, as Patroni requires.
author: odoo_saas.platform maintainers (@odoo-saas)
extends_documentation_fragment:
  - odoo_saas.platform.patroni
options:
  candidate:
    description: Member that should lead. Omit to pick the healthy replica with the least lag.
    type: str
  max_lag:
    description: Refuse a candidate whose replication lag is larger than this many bytes.
    type: int
  wait_timeout:
    description: Seconds to wait for the new leader to accept writes.
    type: float
    default: 60
attributes:
  check_mode:
    support: full
    description: Reports which member would lead, and changes nothing.
  diff_mode:
    support: none
    description: No diff.
"""

EXAMPLES = r"""
- name: Switch over to db2
  odoo_saas.platform.patroni_switchover:
    api_url: https://db1.example.net:8008
    api_username: patroni
    api_password: "{{ vault_patroni_restapi_password }}"
    ca_path: /etc/odoo-saas/tls/ca.crt
    candidate: db2
  register: switchover

- name: Switch over to any healthy replica with at most 1 MB of lag
  odoo_saas.platform.patroni_switchover:
    api_url: https://db1.example.net:8008
    api_username: patroni
    api_password: "{{ vault_patroni_restapi_password }}"
    max_lag: 1048576
"""

RETURN = r"""
old_leader:
  description: Leader before the switchover.
  returned: success
  type: str
new_leader:
  description: Leader afterwards (in check mode, the one that would lead).
  returned: success
  type: str
seconds:
  description: Seconds from the request until the new leader ran as primary.
  returned: changed and not check mode
  type: float
timeline:
  description: The new leader's timeline.
  returned: changed and not check mode
  type: int
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.odoo_saas.platform.plugins.module_utils.patroni import (
    PatroniClient,
    SYNCHRONOUS_ROLES,
    PatroniError,
    patroni_argument_spec,
    summarize_cluster,
    wait_for,
)


def choose_candidate(summary, candidate, max_lag):
    """Return (candidate, error). error says what to fix when there is no usable candidate."""
    members = dict((m["name"], m) for m in summary["members"])
    eligible = summary["healthy_replicas"]
    synchronous = [n for n in eligible if members[n]["role"] in SYNCHRONOUS_ROLES]
    if any(m["role"] in SYNCHRONOUS_ROLES for m in summary["members"]):
        # In synchronous mode Patroni only hands over to a synchronous standby: it has every commit.
        eligible = synchronous
    if candidate is None:
        healthy = sorted((members[n] for n in eligible), key=lambda m: m["lag"] or 0)
        if not healthy:
            return None, "no healthy replica to switch over to (members: %s)" % describe(summary)
        candidate = healthy[0]["name"]
    elif candidate not in eligible:
        member = members.get(candidate)
        state = "not a member" if member is None else "role %s, state %s" % (member["role"], member["state"])
        return None, "candidate %s is not a healthy %sreplica (%s); candidates: %s" % (
            candidate, "synchronous " if synchronous else "", state, ", ".join(eligible) or "none")
    lag = members[candidate]["lag"]
    if max_lag is not None and (lag is None or lag > max_lag):
        return None, "candidate %s lags %s bytes, more than max_lag %s" % (candidate, lag, max_lag)
    return candidate, None


def describe(summary):
    return ", ".join("%s=%s/%s" % (m["name"], m["role"], m["state"]) for m in summary["members"]) or "none"


def main():
    argument_spec = patroni_argument_spec()
    argument_spec.update(
        candidate=dict(type="str"),
        max_lag=dict(type="int"),
        wait_timeout=dict(type="float", default=60),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    client = PatroniClient.from_module(module)
    wanted = module.params["candidate"]
    try:
        summary = summarize_cluster(client.cluster())
        leader = summary["leader"]
        if leader is None:
            module.fail_json(msg="the cluster has no single leader (%s): use a failover, not a switchover" % describe(summary))
        if wanted == leader:
            module.exit_json(changed=False, old_leader=leader, new_leader=leader)
        candidate, error = choose_candidate(summary, wanted, module.params["max_lag"])
        if error:
            module.fail_json(msg=error, old_leader=leader)
        if module.check_mode:
            module.exit_json(changed=True, old_leader=leader, new_leader=candidate)

        started = time.time()
        status, body = client.request("POST", "/switchover", {"leader": leader, "candidate": candidate})
        if status != 200:
            module.fail_json(msg="Patroni refused the switchover (%s): %s" % (status, body), old_leader=leader)

        api_urls = dict((m["name"], m["api_url"]) for m in summary["members"])

        def candidate_is_primary():
            try:
                return client.request("GET", "/primary", url=api_urls[candidate].rsplit("/", 1)[0])[0] == 200
            except PatroniError:
                return False

        if not wait_for(candidate_is_primary, module.params["wait_timeout"], interval=0.1):
            module.fail_json(msg="%s did not become primary within %s s" % (candidate, module.params["wait_timeout"]), old_leader=leader)
        seconds = round(time.time() - started, 3)
        after = summarize_cluster(client.cluster())
    except PatroniError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=True, old_leader=leader, new_leader=candidate, seconds=seconds, timeline=after["timeline"])


if __name__ == "__main__":
    main()
