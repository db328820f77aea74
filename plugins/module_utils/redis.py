# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared code for the Redis modules: argument spec, connections and Sentinel discovery."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback

from ansible.module_utils.basic import missing_required_lib

REDIS_IMPORT_ERROR = None
try:
    import redis
except ImportError:
    redis = None
    REDIS_IMPORT_ERROR = traceback.format_exc()


def redis_connection_argument_spec():
    """TLS and timeouts, the same for servers and Sentinels (doc fragment odoo_saas.platform.redis)."""
    return dict(
        tls=dict(type="bool", default=True),
        ca_certs=dict(type="path"),
        validate_certs=dict(type="bool", default=True),
        connect_timeout=dict(type="float", default=3.0),
    )


def redis_argument_spec():
    """Connection options of modules that change data nodes: one server, or those behind Sentinel."""
    spec = redis_connection_argument_spec()
    spec.update(
        login_host=dict(type="str", default="localhost"),
        login_port=dict(type="int", default=6379),
        login_user=dict(type="str"),
        login_password=dict(type="str", no_log=True),
        sentinel_hosts=dict(type="list", elements="str"),
        sentinel_master_name=dict(type="str"),
        sentinel_password=dict(type="str", no_log=True),
    )
    return spec


def redis_required_together():
    return [["sentinel_hosts", "sentinel_master_name"]]


class RedisModuleError(Exception):
    """A Redis server or Sentinel could not be reached, or refused a command."""


def check_library(module):
    if redis is None:
        module.fail_json(msg=missing_required_lib("redis"), exception=REDIS_IMPORT_ERROR)


def split_address(address, default_port):
    """'host:port' or 'host' into (host, port)."""
    host, sep, port = address.rpartition(":")
    if not sep:
        return address, default_port
    try:
        return host.strip("[]"), int(port)
    except ValueError:
        raise RedisModuleError("'%s' is not host:port" % address)


def connect(params, host, port, username=None, password=None):
    """A client for one server, with the module's TLS settings and short timeouts."""
    kwargs = dict(
        host=host,
        port=port,
        username=username,
        password=password,
        socket_connect_timeout=params["connect_timeout"],
        socket_timeout=params["connect_timeout"],
        decode_responses=True,
    )
    if params["tls"]:
        kwargs.update(
            ssl=True,
            ssl_ca_certs=params["ca_certs"],
            ssl_cert_reqs="required" if params["validate_certs"] else "none",
        )
    return redis.Redis(**kwargs)


def as_dict(flat):
    """A flat [key, value, key, value] reply as a dict."""
    return dict(zip(flat[0::2], flat[1::2]))


def sentinel_query(params, *command):
    """Ask the first Sentinel that answers; a raw reply, independent of the client library's parsers."""
    errors = []
    for address in params["sentinel_hosts"]:
        host, port = split_address(address, 26379)
        try:
            return connect(params, host, port, password=params["sentinel_password"]).execute_command(*command)
        except redis.RedisError as exc:
            errors.append("%s: %s" % (address, exc))
    raise RedisModuleError("no Sentinel answered %s: %s" % (" ".join(command[:2]), "; ".join(errors)))


def data_nodes(params):
    """The servers a change must reach: [{'host', 'port', 'role'}].

    Behind Sentinel that is the current master and every replica Sentinel sees as up, because
    ACL users and settings are per server, not replicated: a user missing on a replica would be
    missing on the next master after a failover.
    """
    if not params["sentinel_hosts"]:
        return [dict(host=params["login_host"], port=params["login_port"], role="server")]
    name = params["sentinel_master_name"]
    master = sentinel_query(params, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", name)
    if not master:
        raise RedisModuleError("Sentinel does not monitor a master named '%s'" % name)
    nodes = [dict(host=master[0], port=int(master[1]), role="master")]
    for replica in sentinel_query(params, "SENTINEL", "REPLICAS", name):
        info = as_dict(replica)
        flags = info.get("flags", "").split(",")
        if not set(flags) & set(["s_down", "o_down", "disconnected"]):
            nodes.append(dict(host=info["ip"], port=int(info["port"]), role="replica"))
    return nodes


def node_label(node):
    return "%s:%s (%s)" % (node["host"], node["port"], node["role"])
