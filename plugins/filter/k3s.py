# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.errors import AnsibleFilterError


def k3s_kubeconfig(kubeconfig, name, server):
    """k3s's admin kubeconfig (one cluster, user and context, all named 'default', server on
    127.0.0.1) with everything named `name` and the server set to `server`."""
    if not isinstance(kubeconfig, dict):
        raise AnsibleFilterError("k3s_kubeconfig: the input must be a parsed kubeconfig (a mapping)")
    for key in ("clusters", "users", "contexts"):
        if len(kubeconfig.get(key) or []) != 1:
            raise AnsibleFilterError("k3s_kubeconfig: expected exactly one entry in %s, as k3s writes it" % key)
    if not name or not server or not str(server).startswith("https://"):
        raise AnsibleFilterError("k3s_kubeconfig: a context name and an https:// server URL are required")
    result = copy.deepcopy(kubeconfig)
    cluster, user, context = result["clusters"][0], result["users"][0], result["contexts"][0]
    cluster["name"], user["name"], context["name"] = name, name, name
    cluster["cluster"]["server"] = server
    context["context"] = dict(context.get("context") or {}, cluster=name, user=name)
    result["current-context"] = name
    return result


class FilterModule(object):
    def filters(self):
        return {"k3s_kubeconfig": k3s_kubeconfig}
