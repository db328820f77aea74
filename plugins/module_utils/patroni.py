# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared code for the Patroni modules: argument spec, REST client and config diff."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.urls import open_url

LEADER_ROLES = ("leader", "master", "primary", "standby_leader")
REPLICA_ROLES = ("replica", "sync_standby", "quorum_standby")
SYNCHRONOUS_ROLES = ("sync_standby", "quorum_standby")
HEALTHY_REPLICA_STATES = ("streaming", "running")


def patroni_argument_spec():
    """Connection options every Patroni module takes."""
    return dict(
        api_url=dict(type="list", elements="str", required=True),
        api_username=dict(type="str"),
        api_password=dict(type="str", no_log=True),
        ca_path=dict(type="path"),
        validate_certs=dict(type="bool", default=True),
        timeout=dict(type="float", default=5.0),
    )


class PatroniError(Exception):
    """The REST API could not be reached or refused a request."""

    def __init__(self, message, status=None, body=None):
        super(PatroniError, self).__init__(message)
        self.status = status
        self.body = body


class PatroniClient(object):
    """A small client for Patroni's REST API."""

    def __init__(self, api_url, username=None, password=None, ca_path=None, validate_certs=True, timeout=5.0):
        # One URL or several members' URLs: requests go to the first member that answers.
        self.api_urls = [u.rstrip("/") for u in ([api_url] if isinstance(api_url, str) else api_url)]
        self.api_url = self.api_urls[0]
        self.username = username
        self.password = password
        self.ca_path = ca_path
        self.validate_certs = validate_certs
        self.timeout = timeout

    @classmethod
    def from_module(cls, module):
        params = module.params
        return cls(
            params["api_url"],
            params.get("api_username"),
            params.get("api_password"),
            params.get("ca_path"),
            params.get("validate_certs", True),
            params.get("timeout", 5.0),
        )

    def request(self, method, path, body=None, url=None):
        """Send a request; return (status, decoded body). HTTP errors are returned, not raised.

        Without url, members are tried in order and the first one that answers is kept.
        """
        if url is not None:
            return self._request(method, url.rstrip("/") + path, body)
        errors = []
        for candidate in [self.api_url] + [u for u in self.api_urls if u != self.api_url]:
            try:
                answer = self._request(method, candidate + path, body)
            except PatroniError as exc:
                errors.append(str(exc))
                continue
            self.api_url = candidate
            return answer
        raise PatroniError("no Patroni member answered: " + "; ".join(errors))

    def _request(self, method, target, body):
        data = json.dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        kwargs = dict(
            method=method,
            data=data,
            headers=headers,
            timeout=self.timeout,
            validate_certs=self.validate_certs,
            ca_path=self.ca_path,
        )
        if self.username:
            kwargs.update(url_username=self.username, url_password=self.password, force_basic_auth=True)
        try:
            response = open_url(target, **kwargs)
            status, raw = response.getcode(), response.read()
        except HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (URLError, OSError) as exc:
            raise PatroniError("cannot reach Patroni at %s: %s" % (target, exc))
        return status, decode(raw)

    def get(self, path, url=None):
        status, body = self.request("GET", path, url=url)
        if status != 200:
            raise PatroniError("GET %s answered %s: %s" % (path, status, body), status, body)
        return body

    def cluster(self):
        return self.get("/cluster")

    def config(self):
        return self.get("/config")


def decode(raw):
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw


def summarize_cluster(cluster):
    """Flatten GET /cluster into the facts playbooks use."""
    members = []
    for member in cluster.get("members", []):
        lag = member.get("lag", 0)
        members.append(
            dict(
                name=member.get("name"),
                role=member.get("role"),
                state=member.get("state"),
                host=member.get("host"),
                port=member.get("port"),
                api_url=member.get("api_url"),
                timeline=member.get("timeline"),
                lag=lag if isinstance(lag, int) else None,
                pending_restart=bool(member.get("pending_restart", False)),
                tags=member.get("tags", {}),
            )
        )
    leaders = [m for m in members if m["role"] in LEADER_ROLES]
    replicas = [m for m in members if m["role"] in REPLICA_ROLES]
    leader = leaders[0] if len(leaders) == 1 else None
    return dict(
        scope=cluster.get("scope"),
        members=members,
        leader=leader["name"] if leader else None,
        leader_count=len(leaders),
        replicas=[m["name"] for m in replicas],
        healthy_replicas=[m["name"] for m in replicas if is_healthy_replica(m)],
        timeline=leader["timeline"] if leader else None,
        pending_restart=[m["name"] for m in members if m["pending_restart"]],
        max_lag=max([m["lag"] for m in replicas if m["lag"] is not None] or [0]),
        is_standby_cluster=bool(leader and leader["role"] == "standby_leader"),
    )


def is_healthy_replica(member):
    return member.get("role") in REPLICA_ROLES and member.get("state") in HEALTHY_REPLICA_STATES and not member.get("tags", {}).get("nofailover")


def _same_scalar(desired, current):
    # Patroni keeps values as given: compare loosely so 200 and "200", True and "true" match.
    if isinstance(desired, bool) or isinstance(current, bool):
        return str(desired).lower() == str(current).lower()
    return str(desired) == str(current)


def config_changes(desired, current):
    """The part of `desired` that differs from `current`, as a nested dict (None if nothing)."""
    changes = {}
    current = current if isinstance(current, dict) else {}
    for key, value in desired.items():
        if isinstance(value, dict):
            nested = config_changes(value, current.get(key))
            if nested:
                changes[key] = nested
        elif value is None:
            if current.get(key) is not None:
                changes[key] = None
        elif key not in current or not _same_scalar(value, current[key]):
            changes[key] = value
    return changes or None


def wait_for(predicate, timeout, interval=0.5):
    """Call predicate until it returns a truthy value or timeout seconds pass."""
    deadline = time.time() + timeout
    while True:
        result = predicate()
        if result or time.time() >= deadline:
            return result
        time.sleep(interval)
