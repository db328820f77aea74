#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: redis_sentinel_monitor
short_description: Keep a master monitored by one Redis Sentinel, with its failover settings
version_added: 0.1.0
description:
  - Sentinel rewrites its own configuration file, so templating that file on every run would undo
    failovers. This module changes a running Sentinel instead, like an operator would.
  - When Sentinel does not monitor I(name) yet, it sends C(SENTINEL MONITOR) with I(master_host),
    I(master_port) and I(quorum), then the settings.
  - When it does, the master's address is left alone (it is Sentinel's to change on failover) and
    only the quorum and settings that differ are sent with C(SENTINEL SET).
author: odoo_saas.platform maintainers (@odoo-saas)
extends_documentation_fragment:
  - odoo_saas.platform.redis
options:
  name:
    description: The master's name in Sentinel.
    type: str
    required: true
  state:
    description: Whether the master is monitored.
    type: str
    choices: [present, absent]
    default: present
  master_host:
    description:
      - Address of the initial master. Used only to start monitoring, and only when none of
        I(peers) already knows the master.
    type: str
  peers:
    description:
      - Other Sentinels (C(host:port)) of the same masters. A Sentinel that starts monitoring
        after a failover takes the current master from them instead of I(master_host).
    type: list
    elements: str
    default: []
  master_port:
    description: Port of the initial master.
    type: int
    default: 6379
  quorum:
    description: Sentinels that must agree the master is down. Must be a majority of the Sentinels.
    type: int
  settings:
    description:
      - Master settings as C(SENTINEL SET) names them, for example C(down-after-milliseconds),
        C(failover-timeout), C(parallel-syncs).
      - Compared with C(SENTINEL MASTER) and sent only when different.
    type: dict
    default: {}
  auth_user:
    description: ACL user Sentinel logs in as on the master and replicas.
    type: str
  auth_pass:
    description:
      - Password of I(auth_user). Sentinel never shows its credentials, so they are only
        sent when monitoring starts, or on every run with I(update_auth=always).
    type: str
  update_auth:
    description: When to send I(auth_user) and I(auth_pass).
    type: str
    choices: [on_create, always]
    default: on_create
  login_host:
    description: The Sentinel to change.
    type: str
    default: localhost
  login_port:
    description: Port of the Sentinel.
    type: int
    default: 26379
  login_password:
    description: Password of the Sentinel, if it requires one.
    type: str
attributes:
  check_mode:
    support: full
    description: Reports what would be sent without sending it.
  diff_mode:
    support: full
    description: Shows the quorum and settings before and after.
"""

EXAMPLES = r"""
- name: Monitor the sessions master with a fast failover
  odoo_saas.platform.redis_sentinel_monitor:
    name: sessions
    master_host: 10.0.0.5
    master_port: 6379
    quorum: 2
    settings:
      down-after-milliseconds: 5000
      failover-timeout: 10000
      parallel-syncs: 1
    auth_user: sentinel
    auth_pass: "{{ vault_redis_sentinel_user_password }}"
    login_password: "{{ vault_redis_sentinel_password }}"
    ca_certs: /etc/odoo-saas/tls/ca.crt
"""

RETURN = r"""
sent:
  description: The commands sent (or in check mode to be sent), without passwords.
  returned: always
  type: list
  elements: str
master:
  description: The master as this Sentinel sees it after the change (address, quorum, flags, settings).
  returned: when monitored
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.odoo_saas.platform.plugins.module_utils.redis import (
    RedisModuleError,
    as_dict,
    check_library,
    connect,
    redis,
    redis_connection_argument_spec,
    split_address,
)


def current_master(client, name):
    try:
        return as_dict(client.execute_command("SENTINEL", "MASTER", name))
    except redis.ResponseError as exc:
        if "No such master" in str(exc):
            return None
        raise


def master_from_peers(params):
    """The master address the first answering peer reports, or None."""
    for address in params["peers"]:
        host, port = split_address(address, 26379)
        try:
            found = connect(params, host, port, password=params["login_password"]).execute_command(
                "SENTINEL", "GET-MASTER-ADDR-BY-NAME", params["name"]
            )
        except redis.RedisError:
            continue
        if found:
            return found[0], str(found[1])
    return None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            master_host=dict(type="str"),
            master_port=dict(type="int", default=6379),
            peers=dict(type="list", elements="str", default=[]),
            quorum=dict(type="int"),
            settings=dict(type="dict", default={}),
            auth_user=dict(type="str"),
            auth_pass=dict(type="str", no_log=True),
            update_auth=dict(type="str", choices=["on_create", "always"], default="on_create"),
            login_host=dict(type="str", default="localhost"),
            login_port=dict(type="int", default=26379),
            login_password=dict(type="str", no_log=True),
            **redis_connection_argument_spec()
        ),
        required_if=[["state", "present", ["master_host", "quorum"]]],
        supports_check_mode=True,
    )
    params = module.params
    name = params["name"]
    if params["state"] == "present" and params["quorum"] < 1:
        module.fail_json(msg="redis_sentinel_monitor '%s': quorum must be at least 1" % name)
    check_library(module)

    commands, send_auth = [], False
    try:
        client = connect(params, params["login_host"], params["login_port"], password=params["login_password"])
        current = current_master(client, name)
        if params["state"] == "absent":
            if current is not None:
                commands.append(["SENTINEL", "REMOVE", name])
            before, after = dict(monitored=current is not None), dict(monitored=False)
        else:
            wanted = dict((str(k), str(v)) for k, v in params["settings"].items())
            wanted["quorum"] = str(params["quorum"])
            if current is None:
                host, port = master_from_peers(params) or (params["master_host"], str(params["master_port"]))
                commands.append(["SENTINEL", "MONITOR", name, host, port, wanted["quorum"]])
                current = {}
            for key, value in sorted(wanted.items()):
                if current.get(key) != value:
                    commands.append(["SENTINEL", "SET", name, key, value])
            send_auth = params["update_auth"] == "always" or not current
            before = dict((k, current.get(k)) for k in wanted)
            after = dict(wanted)
        shown = [" ".join(c) for c in commands]
        if send_auth and params["auth_user"]:
            commands.append(["SENTINEL", "SET", name, "auth-user", params["auth_user"]])
            shown.append(" ".join(commands[-1]))
        if send_auth and params["auth_pass"]:
            commands.append(["SENTINEL", "SET", name, "auth-pass", params["auth_pass"]])
            shown.append("SENTINEL SET %s auth-pass ********" % name)
        if commands and not module.check_mode:
            for command in commands:
                client.execute_command(*command)
            client.execute_command("SENTINEL", "FLUSHCONFIG")
        master = current_master(client, name) if not module.check_mode else current
    except (RedisModuleError, redis.RedisError) as exc:
        module.fail_json(msg="redis_sentinel_monitor '%s': %s" % (name, exc))
    module.exit_json(changed=bool(commands), sent=shown, master=master or {}, diff=dict(before=before, after=after))


if __name__ == "__main__":
    main()
