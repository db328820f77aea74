#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: tenant_state
short_description: Read and record what an app host has done for each tenant
version_added: 0.2.0
description:
  - Keeps one JSON record per tenant on an app host, under O(path) (C(<name>.json)), written
    atomically. The tenant playbooks record the tenant's fingerprint and the image they deployed
    when a step completes, so a rerun skips tenants with nothing to do and resumes the others, and
    an upgrade knows the image to roll back to.
  - O(state=query) reads the records of O(names) (all when empty) and never changes anything.
  - O(state=present) merges O(record) into the tenant's record; O(state=absent) removes it.
  - Records hold no secrets; the module refuses keys that look like one.
author: odoo_saas.platform maintainers (@odoo-saas)
attributes:
  check_mode:
    support: full
    description: Reports what would change without writing.
  diff_mode:
    support: full
    description: Shows the record before and after.
options:
  name:
    description: The tenant, for O(state=present) and O(state=absent).
    type: str
  names:
    description: Tenants to read with O(state=query); all when empty.
    type: list
    elements: str
    default: []
  state:
    description: Read, merge into, or remove a record.
    type: str
    choices: [query, present, absent]
    default: query
  record:
    description: Keys to set in the tenant's record (O(state=present)); a null value removes the key.
    type: dict
    default: {}
  path:
    description: Directory of the records; created with mode 0750 when missing.
    type: path
    default: /etc/odoo-saas/tenants
"""

EXAMPLES = r"""
- name: Read every tenant's record on this host
  odoo_saas.platform.tenant_state:
  register: tenant_records

- name: Record that acme is complete with this fingerprint and image
  odoo_saas.platform.tenant_state:
    name: acme
    state: present
    record:
      status: complete
      fingerprint: 3f5a0c1d2e
      image: odoo:17.0-20250101
"""

RETURN = r"""
records:
  description: The records by tenant name (O(state=query)), or the tenant's record after the change.
  returned: always
  type: dict
  sample: {"acme": {"status": "complete", "fingerprint": "3f5a0c1d2e", "image": "odoo:17.0-20250101"}}
"""

import json
import os
import re
import tempfile

from ansible.module_utils.basic import AnsibleModule

NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,28}[a-z0-9]$")
SECRET_RE = re.compile(r"(password|passwd|secret|token|key)$", re.IGNORECASE)


def record_path(path, name):
    return os.path.join(path, "%s.json" % name)


def read(path, name):
    try:
        with open(record_path(path, name)) as handle:
            return json.load(handle)
    except (IOError, OSError):
        return None
    except ValueError:
        return {"status": "unreadable"}


def write(module, path, name, record):
    if not os.path.isdir(path):
        os.makedirs(path, 0o750)
    handle, temp = tempfile.mkstemp(dir=path, prefix=".%s." % name)
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(record, out, indent=2, sort_keys=True)
            out.write("\n")
        os.chmod(temp, 0o640)
        os.rename(temp, record_path(path, name))
    except (IOError, OSError) as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        module.fail_json(msg="cannot write the record of tenant %s: %s" % (name, exc))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str"),
            names=dict(type="list", elements="str", default=[]),
            state=dict(type="str", choices=["query", "present", "absent"], default="query"),
            record=dict(type="dict", default={}),
            path=dict(type="path", default="/etc/odoo-saas/tenants"),
        ),
        required_if=[("state", "present", ["name"]), ("state", "absent", ["name"])],
        supports_check_mode=True,
    )
    params = module.params
    path, name, state = params["path"], params["name"], params["state"]
    for tenant in ([name] if name else []) + params["names"]:
        if not NAME_RE.match(tenant):
            module.fail_json(msg="'%s' is not a tenant name (2-30 of a-z, 0-9 and '-', starting with a letter)" % tenant)

    if state == "query":
        names = params["names"]
        if not names and os.path.isdir(path):
            names = sorted(f[:-5] for f in os.listdir(path) if f.endswith(".json") and NAME_RE.match(f[:-5]))
        records = dict((n, read(path, n)) for n in names)
        module.exit_json(changed=False, records=dict((n, r) for n, r in records.items() if r is not None))

    secret_keys = sorted(k for k in params["record"] if SECRET_RE.search(k))
    if secret_keys:
        module.fail_json(msg="tenant records hold no secrets; refused key(s) %s" % ", ".join(secret_keys))

    before = read(path, name)
    if state == "absent":
        after = None
    else:
        after = dict(before or {})
        for key, value in params["record"].items():
            if value is None:
                after.pop(key, None)
            else:
                after[key] = value
    changed = before != after
    if changed and not module.check_mode:
        if after is None:
            os.unlink(record_path(path, name))
        else:
            write(module, path, name, after)
    result = dict(changed=changed, records={name: after} if after is not None else {})
    if module._diff:
        result["diff"] = dict(
            before=json.dumps(before, indent=2, sort_keys=True) + "\n" if before is not None else "",
            after=json.dumps(after, indent=2, sort_keys=True) + "\n" if after is not None else "",
        )
    module.exit_json(**result)


if __name__ == "__main__":
    main()
