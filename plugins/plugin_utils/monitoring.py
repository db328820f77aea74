# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prometheus scrape jobs and Alertmanager receivers from inventory data, checked first.

A scrape job names inventory groups, never addresses:

    name: patroni          # the job label; jobs may share a name (one job, several ports)
    groups: [postgres]     # every host of these groups is a target ('all' for every host)
    port: 8008
    scheme: https          # optional (http)
    path: /metrics         # optional
    labels: {}             # optional, added to every target

A receiver is {name, type: webhook|chat|email, url (webhook, chat) or to (email)}. A route sends
alerts that match its severity and/or tenant to a receiver.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
LABEL_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
URL_RE = re.compile(r"^https?://[^\s/]+(/\S*)?$")
DURATION_RE = re.compile(r"^([0-9]+(ms|s|m|h|d|w|y))+$")
RECEIVER_TYPES = ("webhook", "chat", "email")
SEVERITIES = ("critical", "warning", "info")
JOB_FIELDS = set(["name", "groups", "port", "scheme", "path", "labels"])


class MonitoringError(Exception):
    pass


def check_jobs(jobs, inventory_groups):
    """The jobs, checked against the inventory's group names. Raises MonitoringError naming the job."""
    if not isinstance(jobs, list):
        raise MonitoringError("scrape jobs must be a list (got %r)" % (jobs,))
    checked = []
    for index, job in enumerate(jobs):
        where = "scrape job %d" % index
        if not isinstance(job, dict):
            raise MonitoringError("%s must be a mapping with name, groups and port (got %r)" % (where, job))
        name = job.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise MonitoringError("%s: name must be lower-case letters, digits, '_' and '-' (got %r)" % (where, name))
        where = "scrape job '%s'" % name
        unknown = sorted(set(job) - JOB_FIELDS)
        if unknown:
            raise MonitoringError("%s: unknown field(s) %s" % (where, ", ".join(unknown)))
        groups = job.get("groups")
        if not isinstance(groups, list) or not groups or not all(isinstance(g, str) for g in groups):
            raise MonitoringError("%s: groups must be a non-empty list of inventory group names" % where)
        for group in groups:
            if group != "all" and group not in inventory_groups:
                raise MonitoringError("%s: group '%s' is not a group of the inventory" % (where, group))
        port = job.get("port")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
            raise MonitoringError("%s: port must be a number from 1 to 65535 (got %r)" % (where, port))
        if job.get("scheme", "http") not in ("http", "https"):
            raise MonitoringError("%s: scheme must be http or https (got %r)" % (where, job.get("scheme")))
        path = job.get("path", "/metrics")
        if not isinstance(path, str) or not path.startswith("/"):
            raise MonitoringError("%s: path must be an absolute URL path (got %r)" % (where, path))
        labels = job.get("labels") or {}
        if not isinstance(labels, dict) or not all(isinstance(k, str) and LABEL_RE.match(k) for k in labels):
            raise MonitoringError("%s: labels must map label names to values" % where)
        checked.append(dict(name=name, groups=groups, port=port, scheme=job.get("scheme", "http"), path=path,
                            labels=dict((k, str(v)) for k, v in labels.items())))
    return checked


def scrape_configs(jobs, inventory_groups, addresses, tls_ca_file=None):
    """Prometheus scrape_configs: one per job name, a static target per host with instance=<host>.

    `addresses` maps inventory host names to the address Prometheus reaches them at."""
    by_name = {}
    order = []
    for job in check_jobs(jobs, inventory_groups):
        hosts = []
        for group in job["groups"]:
            for host in inventory_groups.get(group, []):
                if host not in hosts:
                    hosts.append(host)
        key = (job["name"], job["scheme"], job["path"])
        if job["name"] in by_name and by_name[job["name"]]["key"] != key:
            raise MonitoringError("scrape job '%s': entries of one job must share scheme and path" % job["name"])
        if job["name"] not in by_name:
            config = {"job_name": job["name"], "scheme": job["scheme"], "metrics_path": job["path"], "static_configs": []}
            if job["scheme"] == "https" and tls_ca_file:
                config["tls_config"] = {"ca_file": tls_ca_file}
            by_name[job["name"]] = {"key": key, "config": config}
            order.append(job["name"])
        for host in sorted(hosts):
            if host not in addresses:
                raise MonitoringError("scrape job '%s': no address is known for host '%s' (gather its facts first)" % (job["name"], host))
            labels = dict(job["labels"], instance=host)
            by_name[job["name"]]["config"]["static_configs"].append({"targets": ["%s:%d" % (addresses[host], job["port"])], "labels": labels})
    return [by_name[name]["config"] for name in order]


def check_receivers(receivers, routes, default_receiver):
    """Receivers and routes for Alertmanager. Raises MonitoringError naming the receiver or route."""
    if not isinstance(receivers, list) or not receivers:
        raise MonitoringError("receivers must be a non-empty list")
    names = []
    for index, receiver in enumerate(receivers):
        if not isinstance(receiver, dict):
            raise MonitoringError("receiver %d must be a mapping with name and type (got %r)" % (index, receiver))
        name = receiver.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise MonitoringError("receiver %d: name must be lower-case letters, digits, '_' and '-' (got %r)" % (index, name))
        if name in names:
            raise MonitoringError("receiver '%s': the name is used twice" % name)
        names.append(name)
        kind = receiver.get("type")
        if kind not in RECEIVER_TYPES:
            raise MonitoringError("receiver '%s': type must be one of %s (got %r)" % (name, ", ".join(RECEIVER_TYPES), kind))
        if kind in ("webhook", "chat"):
            url = receiver.get("url")
            if not url:
                raise MonitoringError("receiver '%s': a %s receiver needs a url" % (name, kind))
            if not isinstance(url, str) or not URL_RE.match(url):
                # The URL itself is not repeated: chat and webhook URLs often carry a token.
                raise MonitoringError("receiver '%s': url is not an http(s) URL" % name)
        if kind == "email" and not receiver.get("to"):
            raise MonitoringError("receiver '%s': an email receiver needs a to address" % name)
    if default_receiver not in names:
        raise MonitoringError("the default receiver '%s' is not one of the receivers (%s)" % (default_receiver, ", ".join(names)))
    for index, route in enumerate(routes or []):
        if not isinstance(route, dict) or route.get("receiver") not in names:
            raise MonitoringError("route %d: receiver must be one of %s (got %r)" % (index, ", ".join(names), route))
        if not route.get("severity") and not route.get("tenant"):
            raise MonitoringError("route %d: give a severity, a tenant or both to match" % index)
        if route.get("severity") and route["severity"] not in SEVERITIES:
            raise MonitoringError("route %d: severity must be one of %s (got %r)" % (index, ", ".join(SEVERITIES), route["severity"]))
    return True


def check_duration(name, value):
    if not isinstance(value, str) or not DURATION_RE.match(value):
        raise MonitoringError("%s must be a Prometheus duration such as 30s, 5m or 1h (got %r)" % (name, value))
    return value
