#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: redis_acl_user
short_description: Keep a Redis ACL user, on every server behind Sentinel
version_added: 0.1.0
description:
  - Creates, updates or removes a Redis 7 ACL user with a password, key patterns, channel
    patterns and command rules.
  - ACL users are kept per server and are not replicated. With I(sentinel_hosts) the module asks
    Sentinel for the current master and its replicas and applies the user to each of them, so the
    user is still there after a failover.
  - The wanted rules are compared in Redis's own canonical form (a short-lived probe user is
    created, read back and deleted), so a run with unchanged input reports no change.
  - Saves the users with C(ACL SAVE) on servers that use an aclfile, and with
    C(SENTINEL FLUSHCONFIG) on a Sentinel (I(login_port) of a Sentinel, without I(sentinel_hosts)).
author: odoo_saas.platform maintainers (@odoo-saas)
extends_documentation_fragment:
  - odoo_saas.platform.redis
options:
  name:
    description: The user name.
    type: str
    required: true
  state:
    description: Whether the user exists.
    type: str
    choices: [present, absent]
    default: present
  password:
    description:
      - The user's password. Stored by Redis as a SHA-256 hash.
      - Required when I(state=present), except for a disabled user.
    type: str
  enabled:
    description: Whether the user can log in.
    type: bool
    default: true
  key_patterns:
    description:
      - Key patterns the user may access, without the C(~), for example C(tenant:acme:*).
      - A pattern that starts with a wildcard would cover every key and is refused unless
        I(allow_all_keys=true).
    type: list
    elements: str
    default: []
  channel_patterns:
    description: Pub/Sub channel patterns the user may use, without the C(&).
    type: list
    elements: str
    default: []
  commands:
    description:
      - Command rules in order, each starting with C(+) or C(-), for example C(+@all),
        C(-@dangerous), C(-flushall).
    type: list
    elements: str
    default: []
  allow_all_keys:
    description: Allow key patterns that cover every key. Meant for platform users, never tenants.
    type: bool
    default: false
  persist:
    description:
      - Save the users after a change, with C(ACL SAVE) on servers that have an aclfile, or
        C(SENTINEL FLUSHCONFIG) on a Sentinel.
    type: bool
    default: true
  login_host:
    description: The server to change when I(sentinel_hosts) is not given.
    type: str
    default: localhost
  login_port:
    description: Port of I(login_host).
    type: int
    default: 6379
  login_user:
    description: The user the module logs in as. It needs the C(@admin) commands.
    type: str
  login_password:
    description: Password of I(login_user).
    type: str
  sentinel_hosts:
    description:
      - Sentinels as C(host:port). The module applies the user to the master they report and to
        every replica they see as up.
    type: list
    elements: str
  sentinel_master_name:
    description: The name Sentinel monitors the master under.
    type: str
  sentinel_password:
    description: Password of the Sentinels, if they require one.
    type: str
attributes:
  check_mode:
    support: full
    description: Reports what would change without changing it.
  diff_mode:
    support: full
    description: Shows the user's rules before and after; passwords only as changed or not.
"""

EXAMPLES = r"""
- name: A tenant user limited to its own keys and channels
  odoo_saas.platform.redis_acl_user:
    name: tenant-acme
    password: "{{ vault_redis_acme_password }}"
    key_patterns: ["tenant:acme:*"]
    channel_patterns: ["tenant:acme:*"]
    commands: ["+@all", "-@dangerous", "-@admin"]
    login_user: platform-admin
    login_password: "{{ vault_redis_admin_password }}"
    ca_certs: /etc/odoo-saas/tls/ca.crt
    sentinel_hosts: [db1.example.net:26379, db2.example.net:26379, db3.example.net:26379]
    sentinel_master_name: sessions
    sentinel_password: "{{ vault_redis_sentinel_password }}"

- name: Remove a tenant's user at offboarding
  odoo_saas.platform.redis_acl_user:
    name: tenant-acme
    state: absent
    login_host: 127.0.0.1
    login_user: platform-admin
    login_password: "{{ vault_redis_admin_password }}"
    ca_certs: /etc/odoo-saas/tls/ca.crt
"""

RETURN = r"""
nodes:
  description: Each server the module reached, and whether the user changed there.
  returned: always
  type: list
  elements: dict
  sample: [{"address": "10.0.0.5:6379", "role": "master", "changed": true, "saved": true}]
skipped:
  description: Servers Sentinel lists as down; they get the user on the next run.
  returned: always
  type: list
  elements: str
"""

import binascii
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.odoo_saas.platform.plugins.module_utils.redis import (
    RedisModuleError,
    as_dict,
    check_library,
    connect,
    data_nodes,
    node_label,
    redis,
    redis_argument_spec,
    redis_required_together,
)

GLOB_CHARS = ("*", "?", "[")


def validate(params):
    """Messages for input that must not reach Redis."""
    errors = []
    name = params["name"]
    if params["state"] == "present" and params["enabled"] and not params["password"]:
        errors.append("user '%s' needs a password (or enabled=false)" % name)
    if not params["allow_all_keys"]:
        for pattern in params["key_patterns"]:
            if pattern in ("", "allkeys") or pattern.lstrip("%RW~").startswith(GLOB_CHARS):
                errors.append(
                    "key pattern '%s' of user '%s' would cover every key; give the user a prefix of its "
                    "own such as 'tenant:<name>:*' (allow_all_keys is for platform users only)" % (pattern, name)
                )
    for rule in params["commands"]:
        if not rule.startswith(("+", "-")):
            errors.append("command rule '%s' of user '%s' must start with + or -" % (rule, name))
    for field in ("key_patterns", "channel_patterns", "commands"):
        for value in params[field]:
            if not value or any(c.isspace() for c in value):
                errors.append("%s entry '%s' of user '%s' is empty or has spaces" % (field, value, name))
    return errors


def wanted_rules(params):
    rules = ["reset", "on" if params["enabled"] else "off"]
    if params["password"]:
        rules.append(">" + params["password"])
    rules += ["~" + p for p in params["key_patterns"]]
    rules += ["&" + p for p in params["channel_patterns"]]
    rules += params["commands"]
    return rules


def get_user(client, name):
    reply = client.execute_command("ACL", "GETUSER", name)
    return as_dict(reply) if reply else None


def canonical(client, rules):
    """How Redis stores the rules: set them on a throwaway user and read them back."""
    probe = "odoo-saas-acl-probe-" + binascii.hexlify(os.urandom(6)).decode()
    try:
        client.execute_command("ACL", "SETUSER", probe, *rules)
        return get_user(client, probe)
    finally:
        client.execute_command("ACL", "DELUSER", probe)


def persist_users(client):
    """Write the users to disk: Sentinel rewrites its own config file, a server with an aclfile
    saves that file, and a server without one keeps them in memory only (redis.conf users)."""
    if client.info("server").get("redis_mode") == "sentinel":
        client.execute_command("SENTINEL", "FLUSHCONFIG")
        return True
    if client.config_get("aclfile").get("aclfile"):
        client.execute_command("ACL", "SAVE")
        return True
    return False


def describe(user):
    """A user's rules for the diff, with password hashes left out."""
    if user is None:
        return {}
    return dict(
        flags=sorted(user.get("flags", [])),
        passwords=len(user.get("passwords", [])),
        commands=user.get("commands"),
        keys=user.get("keys"),
        channels=user.get("channels"),
        selectors=user.get("selectors", []),
    )


def main():
    argument_spec = redis_argument_spec()
    argument_spec.update(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        password=dict(type="str", no_log=True),
        enabled=dict(type="bool", default=True),
        key_patterns=dict(type="list", elements="str", default=[], no_log=False),
        channel_patterns=dict(type="list", elements="str", default=[]),
        commands=dict(type="list", elements="str", default=[]),
        allow_all_keys=dict(type="bool", default=False),
        persist=dict(type="bool", default=True),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        required_together=redis_required_together(),
        supports_check_mode=True,
    )
    params = module.params
    errors = validate(params)
    if errors:
        module.fail_json(msg="redis_acl_user: " + "; ".join(errors))
    check_library(module)

    results, skipped, before, after = [], [], {}, {}
    try:
        for node in data_nodes(params):
            label = node_label(node)
            try:
                client = connect(params, node["host"], node["port"], params["login_user"], params["login_password"])
                current = get_user(client, params["name"])
            except redis.ConnectionError as exc:
                if node["role"] == "replica":
                    skipped.append("%s: %s" % (label, exc))
                    continue
                raise RedisModuleError("%s: %s" % (label, exc))
            if params["state"] == "absent":
                wanted = None
                changed = current is not None
            else:
                wanted = canonical(client, wanted_rules(params))
                changed = current != wanted
            before[label], after[label] = describe(current), describe(wanted)
            if changed and params["password"] and current and wanted:
                after[label]["password_changed"] = current.get("passwords") != wanted.get("passwords")
            saved = False
            if changed and not module.check_mode:
                if wanted is None:
                    client.execute_command("ACL", "DELUSER", params["name"])
                else:
                    client.execute_command("ACL", "SETUSER", params["name"], *wanted_rules(params))
                if params["persist"]:
                    saved = persist_users(client)
            results.append(dict(address="%s:%s" % (node["host"], node["port"]), role=node["role"], changed=changed, saved=saved))
    except (RedisModuleError, redis.RedisError) as exc:
        module.fail_json(msg="redis_acl_user '%s': %s" % (params["name"], exc), nodes=results, skipped=skipped)

    changed = any(r["changed"] for r in results)
    for message in skipped:
        module.warn("not reached, it gets the user on the next run: " + message)
    module.exit_json(changed=changed, nodes=results, skipped=skipped, diff=dict(before=before, after=after))


if __name__ == "__main__":
    main()
