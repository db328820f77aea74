#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: pgbackrest_info
short_description: Backups, WAL range and backup age of pgBackRest stanzas
version_added: 0.2.0
description:
  - Runs C(pgbackrest info --output=json) and returns its stanzas as structured facts, with each
    backup's type, start and stop times, sizes and WAL range, and the age of the newest backup.
  - Run it as a user that can read the pgBackRest configuration (usually C(postgres)).
author: odoo_saas.platform maintainers (@odoo-saas)
options:
  stanza:
    description: Only this stanza. Its summary is also returned as RV(stanza).
    type: str
  repo:
    description: Only this repository (its number, as in C(repo1)).
    type: int
  config:
    description: pgBackRest configuration file. Default is pgBackRest's own.
    type: path
  executable:
    description: The pgbackrest program.
    type: path
    default: pgbackrest
attributes:
  check_mode:
    support: full
    description: Read only.
  diff_mode:
    support: none
    description: Read only.
"""

EXAMPLES = r"""
- name: Read the backups of the odoo-saas stanza
  odoo_saas.platform.pgbackrest_info:
    stanza: odoo-saas
  become: true
  become_user: postgres
  register: backups

- name: Fail when the newest backup is older than a day
  ansible.builtin.assert:
    that: backups.stanza.newest_backup_age_seconds < 86400
"""

RETURN = r"""
stanzas:
  description: Every stanza pgBackRest reports, in the format of RV(stanza).
  returned: success
  type: list
  elements: dict
stanza:
  description: The stanza asked for with O(stanza).
  returned: when O(stanza) is set
  type: dict
  contains:
    name:
      description: Stanza name.
      type: str
    exists:
      description: Whether the stanza has been created in the repository.
      type: bool
    status_code:
      description: pgBackRest's status code (0 ok, 1 missing stanza path, 2 no valid backups, 3 missing stanza data, ...).
      type: int
    status_message:
      description: pgBackRest's status message.
      type: str
    backup_running:
      description: Whether a backup holds the stanza's lock now.
      type: bool
    repos:
      description: Status of each repository.
      type: list
      elements: dict
    backups:
      description: Backups, oldest first.
      type: list
      elements: dict
      contains:
        label:
          description: Backup label (set name).
          type: str
        type:
          description: C(full), C(diff) or C(incr).
          type: str
        repo:
          description: Repository number.
          type: int
        start_time:
          description: Start, seconds since the epoch.
          type: int
        stop_time:
          description: Stop, seconds since the epoch.
          type: int
        start_iso:
          description: Start, ISO 8601 in UTC.
          type: str
        stop_iso:
          description: Stop, ISO 8601 in UTC.
          type: str
        duration_seconds:
          description: How long the backup took.
          type: int
        database_size:
          description: Size of the database at backup time, bytes.
          type: int
        delta_size:
          description: Bytes this backup copied.
          type: int
        repo_size:
          description: Bytes the backup takes in the repository (compressed).
          type: int
        wal_start:
          description: First WAL segment the backup needs.
          type: str
        wal_stop:
          description: Last WAL segment the backup needs.
          type: str
        error:
          description: Whether pgBackRest found errors (such as page checksum errors) in the backup.
          type: bool
    backup_count:
      description: Number of backups.
      type: int
    archive:
      description: WAL archive range per repository.
      type: list
      elements: dict
    wal_min:
      description: Oldest archived WAL segment.
      type: str
    wal_max:
      description: Newest archived WAL segment.
      type: str
    newest_backup:
      description: Label of the newest backup, null when there is none.
      type: str
    newest_backup_age_seconds:
      description: Seconds since the newest backup stopped.
      type: int
    oldest_backup_stop_time:
      description: Stop time of the oldest backup, the earliest point a restore can reach.
      type: int
"""

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.odoo_saas.platform.plugins.module_utils.pgbackrest import summarize_stanza


def main():
    module = AnsibleModule(
        argument_spec=dict(
            stanza=dict(type="str"),
            repo=dict(type="int"),
            config=dict(type="path"),
            executable=dict(type="path", default="pgbackrest"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if params["repo"] is not None and params["repo"] < 1:
        module.fail_json(msg="repo must be 1 or more (the N of repoN), got %d." % params["repo"])
    executable = module.get_bin_path(params["executable"], required=True)
    command = [executable, "--output=json", "--log-level-console=off", "--log-level-stderr=error"]
    if params["config"]:
        command.append("--config=%s" % params["config"])
    if params["stanza"]:
        command.append("--stanza=%s" % params["stanza"])
    if params["repo"]:
        command.append("--repo=%d" % params["repo"])
    command.append("info")

    rc, out, err = module.run_command(command)
    if rc != 0:
        module.fail_json(msg="pgbackrest info failed: %s" % (err.strip() or out.strip()), rc=rc)
    try:
        stanzas = [summarize_stanza(s) for s in json.loads(out)]
    except ValueError as exc:
        module.fail_json(msg="pgbackrest info did not return JSON: %s" % exc)

    result = dict(changed=False, stanzas=stanzas)
    if params["stanza"]:
        result["stanza"] = next((s for s in stanzas if s["name"] == params["stanza"]), None)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
