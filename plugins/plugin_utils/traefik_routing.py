# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A tenant's Traefik routing (file provider, dynamic configuration) from a small description.

The description:

    name: acme                          # lower-case, becomes the prefix of every object
    hosts: [acme.example.com]           # DNS names; a router matches any of them
    web: [http://10.0.0.5:8069]         # Odoo HTTP workers
    websocket: [http://10.0.0.5:8072]   # Odoo's gevent service; default: the web backends
    longpolling: false                  # also route /longpolling (Odoo 15 and older)
    rate_limit: {average: 50, burst: 100, period: 1s}
    admin_allow: [10.0.0.0/8]           # who may open the admin paths
    admin_paths: [/web/database]
    health_path: /web/health

Settings shared by every tenant (entry point, client IP depth, health check timing, ACME resolver,
defaults for rate_limit and admin_allow) come from the role as `defaults`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible.module_utils.six.moves.urllib.parse import urlsplit

NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
PERIOD_RE = re.compile(r"^[0-9]+(ms|s|m|h)$")
PATH_RE = re.compile(r"^/[A-Za-z0-9._~/-]*$")

DEFAULTS = dict(
    entrypoint="websecure",
    client_ip_depth=0,
    cert_resolver="",
    health_interval="10s",
    health_timeout="3s",
    rate_limit=dict(average=50, burst=100, period="1s"),
    admin_allow=["127.0.0.1/32"],
    admin_paths=["/web/database"],
    health_path="/web/health",
    sts_seconds=31536000,
)


class RoutingError(ValueError):
    """A tenant description that cannot be rendered, with the tenant and field named."""


def is_dns_name(value):
    if not isinstance(value, str) or len(value) > 253 or "." not in value:
        return False
    return all(LABEL_RE.match(label) for label in value.lower().rstrip(".").split("."))


def check_url(tenant, field, index, url):
    parts = urlsplit(url) if isinstance(url, str) else None
    if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
        raise RoutingError(
            "tenant '%s': %s[%d] '%s' is not a backend URL with a scheme, such as http://10.0.0.5:8069"
            % (tenant, field, index, url)
        )
    return url


def positive_int(tenant, field, value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise RoutingError("tenant '%s': %s must be a whole number above 0 (got %r)" % (tenant, field, value))
    return value


def normalize(description, defaults=None):
    """A checked, complete copy of one tenant's description; RoutingError names what is wrong."""
    settings = dict(DEFAULTS, **(defaults or {}))
    if not isinstance(description, dict):
        raise RoutingError("a tenant must be a mapping with name, hosts and web (got %r)" % (description,))
    name = description.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise RoutingError("tenant %r: name must be lower-case letters, digits and '-', starting with a letter" % (name,))
    known = set(["name", "hosts", "web", "websocket", "longpolling", "rate_limit", "admin_allow", "admin_paths", "health_path"])
    unknown = sorted(set(description) - known)
    if unknown:
        raise RoutingError("tenant '%s': unknown field(s) %s" % (name, ", ".join(unknown)))

    hosts = description.get("hosts")
    if not isinstance(hosts, list) or not hosts:
        raise RoutingError("tenant '%s': hosts must be a non-empty list of DNS names" % name)
    for index, host in enumerate(hosts):
        if not is_dns_name(host):
            raise RoutingError("tenant '%s': hosts[%d] '%s' is not a valid DNS name" % (name, index, host))

    web = description.get("web")
    if not isinstance(web, list) or not web:
        raise RoutingError("tenant '%s': web must be a non-empty list of backend URLs" % name)
    web = [check_url(name, "web", i, u) for i, u in enumerate(web)]
    websocket = description.get("websocket") or web
    if not isinstance(websocket, list):
        raise RoutingError("tenant '%s': websocket must be a list of backend URLs" % name)
    websocket = [check_url(name, "websocket", i, u) for i, u in enumerate(websocket)]

    rate_limit = dict(settings["rate_limit"], **(description.get("rate_limit") or {}))
    positive_int(name, "rate_limit.average", rate_limit.get("average"))
    positive_int(name, "rate_limit.burst", rate_limit.get("burst"))
    if not PERIOD_RE.match(str(rate_limit.get("period"))):
        raise RoutingError("tenant '%s': rate_limit.period '%s' is not a duration such as 1s or 1m" % (name, rate_limit.get("period")))

    admin_allow = description.get("admin_allow", settings["admin_allow"])
    if not isinstance(admin_allow, list) or not admin_allow:
        raise RoutingError("tenant '%s': admin_allow must be a non-empty list of addresses or CIDR ranges" % name)
    for index, source in enumerate(admin_allow):
        try:
            ipaddress.ip_network(str(source), strict=False)
        except ValueError:
            raise RoutingError("tenant '%s': admin_allow[%d] '%s' is not an address or CIDR range" % (name, index, source))

    admin_paths = description.get("admin_paths", settings["admin_paths"])
    health_path = description.get("health_path", settings["health_path"])
    for field, path in [("admin_paths[%d]" % i, p) for i, p in enumerate(admin_paths)] + [("health_path", health_path)]:
        if not isinstance(path, str) or not PATH_RE.match(path):
            raise RoutingError("tenant '%s': %s '%s' is not an absolute URL path" % (name, field, path))

    return dict(
        name=name,
        hosts=[h.lower().rstrip(".") for h in hosts],
        web=web,
        websocket=websocket,
        longpolling=bool(description.get("longpolling", False)),
        rate_limit=rate_limit,
        admin_allow=[str(s) for s in admin_allow],
        admin_paths=list(admin_paths),
        health_path=health_path,
    )


def check_tenants(descriptions, defaults=None):
    """Every tenant normalized, with no tenant name or host used twice."""
    if not isinstance(descriptions, list):
        raise RoutingError("tenants must be a list of tenant descriptions")
    tenants, names, owners = [], set(), {}
    for description in descriptions:
        tenant = normalize(description, defaults)
        if tenant["name"] in names:
            raise RoutingError("tenant '%s': the name is used by another tenant too" % tenant["name"])
        names.add(tenant["name"])
        for index, host in enumerate(tenant["hosts"]):
            if host in owners:
                raise RoutingError(
                    "tenant '%s': hosts[%d] '%s' is already a host of tenant '%s'" % (tenant["name"], index, host, owners[host])
                )
            owners[host] = tenant["name"]
        tenants.append(tenant)
    return tenants


def host_rule(hosts):
    return " || ".join("Host(`%s`)" % h for h in hosts)


def path_rule(paths):
    return " || ".join("PathPrefix(`%s`)" % p for p in paths)


def ip_strategy(settings):
    depth = int(settings["client_ip_depth"])
    return {"ipStrategy": {"depth": depth}} if depth > 0 else {}


def load_balancer(servers, settings, health_path):
    return {
        "loadBalancer": {
            "servers": [{"url": u} for u in servers],
            "passHostHeader": True,
            "healthCheck": {
                "path": health_path,
                "interval": settings["health_interval"],
                "timeout": settings["health_timeout"],
            },
        }
    }


def render(description, defaults=None):
    """The dynamic configuration of one tenant: routers, middlewares and services under http."""
    settings = dict(DEFAULTS, **(defaults or {}))
    tenant = normalize(description, settings)
    name = tenant["name"]
    hosts = host_rule(tenant["hosts"])
    tls = {"certResolver": settings["cert_resolver"]} if settings["cert_resolver"] else {}
    chain = [name + "-ratelimit", name + "-headers", name + "-compress"]
    realtime_paths = ["/websocket"] + (["/longpolling"] if tenant["longpolling"] else [])

    def router(rule, service, middlewares, priority=None):
        entry = {"rule": rule, "entryPoints": [settings["entrypoint"]], "service": service, "middlewares": middlewares, "tls": tls}
        if priority:
            entry["priority"] = priority
        return entry

    rate_limit = dict(tenant["rate_limit"])
    if ip_strategy(settings):
        rate_limit["sourceCriterion"] = ip_strategy(settings)
    return {
        "http": {
            "routers": {
                name + "-web": router("(%s)" % hosts, name + "-web", chain),
                # Longer rules win by default; explicit priorities keep the order obvious.
                name + "-websocket": router("(%s) && (%s)" % (hosts, path_rule(realtime_paths)), name + "-websocket", chain[:2], 200),
                name + "-admin": router(
                    "(%s) && (%s)" % (hosts, path_rule(tenant["admin_paths"])), name + "-web", [name + "-admin-allow"] + chain, 300
                ),
            },
            "middlewares": {
                name + "-ratelimit": {"rateLimit": rate_limit},
                name + "-admin-allow": {"ipAllowList": dict({"sourceRange": tenant["admin_allow"]}, **ip_strategy(settings))},
                name + "-headers": {
                    "headers": {
                        "stsSeconds": settings["sts_seconds"],
                        "stsIncludeSubdomains": True,
                        "contentTypeNosniff": True,
                        "frameDeny": False,
                        "customFrameOptionsValue": "SAMEORIGIN",
                        "referrerPolicy": "strict-origin-when-cross-origin",
                        "customRequestHeaders": {"X-Forwarded-Proto": "https"},
                    }
                },
                name + "-compress": {"compress": {}},
            },
            "services": {
                name + "-web": load_balancer(tenant["web"], settings, tenant["health_path"]),
                name + "-websocket": load_balancer(tenant["websocket"], settings, tenant["health_path"]),
            },
        }
    }
