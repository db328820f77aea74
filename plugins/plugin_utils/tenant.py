# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tenants as data: the registry schema, its checks, and what a tenant turns into.

A registry entry (inventories/<env>/tenants/<name>.yml):

    name: acme                      # a-z, 0-9 and '-'; names the database, users and containers
    hosts: [acme.example.com]       # DNS names Traefik routes to this tenant
    tenancy: isolated               # shared | isolated | dedicated
    tier: small                     # a key of the tiers (sizes and limits per workload class)
    slot: 3                         # unique per app group: fixes the tenant's host ports (not for shared tenants)
    image: odoo:17.0-20250101       # a tag is required; 'latest' is refused in production
    modules: [base, sale]
    limits: {web: {replicas: 2, cpus: 2, memory_mb: 2048}}    # overrides of the tier
    rate_limit: {average: 50, burst: 100}
    backup: {filestore: true, retention_days: 30}
    app_group: app                  # dedicated tenants name their own groups
    db_group: postgres
    redis_group: redis
    runtime: kubernetes             # docker | kubernetes; default: the environment's platform_runtime
    namespace: odoo-acme            # Kubernetes only; default odoo-<name> (shared tenants: the pool's)

check() returns the entry completed: database and user names, Redis user and key prefix,
ports, the containers per workload class with their limits, the odoo.conf values, and a
fingerprint of all of it (unchanged fingerprint = nothing to do for this tenant).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import copy
import hashlib
import json
import re

NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,28}[a-z0-9]$")
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
GROUP_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MODULE_RE = re.compile(r"^[a-z0-9_]+$")
# [registry[:port]/]repository(:tag|@sha256:digest)
IMAGE_RE = re.compile(r"^(?P<repo>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)"
                      r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?$")

# Databases every cluster of the platform has: PostgreSQL's own, and the heartbeat's (pg_heartbeat).
# A tenant's database name (its name with '-' as '_') may not be one of them; `reserved_databases` in
# the context adds the inventory's.
RESERVED_DATABASES = ("postgres", "template0", "template1", "platform_ops")
TENANCY_MODELS = ("shared", "isolated", "dedicated")
RUNTIMES = ("docker", "kubernetes")
POOL_PREFIX = "pool-"
CLASSES = ("web", "websocket", "cron", "worker")
HTTP_CLASSES = ("web", "websocket")
MAX_REPLICAS = 8
# Port layout of a slot: web replicas, a web surge container (rolling upgrades), then websocket.
PORTS_PER_SLOT = 20
PORT_OFFSETS = {"web": 0, "websocket": 10}
SURGE_OFFSET = 8
# Odoo's sizing rule: a worker per CPU twice over plus one, and about 325 MB per worker
# (80% light requests at 150 MB, 20% heavy ones at 1 GB).
MB_PER_WORKER = 325

DEFAULT_TIERS = {
    "small": {
        "web": {"replicas": 1, "cpus": 1.0, "memory_mb": 1024},
        "websocket": {"replicas": 1, "cpus": 0.5, "memory_mb": 512},
        "cron": {"replicas": 1, "cpus": 0.5, "memory_mb": 768, "threads": 1},
        "worker": {"replicas": 0, "cpus": 0.5, "memory_mb": 512},
        "db_connections": 24,
        "rate_limit": {"average": 30, "burst": 60},
        "quota": {"cpus": 4, "memory_mb": 4096, "pods": 10},
    },
    "medium": {
        "web": {"replicas": 2, "max_replicas": 3, "cpus": 2.0, "memory_mb": 2048},
        "websocket": {"replicas": 1, "cpus": 0.5, "memory_mb": 512},
        "cron": {"replicas": 1, "cpus": 1.0, "memory_mb": 1024, "threads": 2},
        "worker": {"replicas": 1, "max_replicas": 2, "cpus": 1.0, "memory_mb": 1024},
        "db_connections": 48,
        "rate_limit": {"average": 60, "burst": 120},
        "quota": {"cpus": 16, "memory_mb": 16384, "pods": 16},
    },
    "large": {
        "web": {"replicas": 3, "max_replicas": 6, "cpus": 4.0, "memory_mb": 4096},
        "websocket": {"replicas": 2, "cpus": 1.0, "memory_mb": 1024},
        "cron": {"replicas": 1, "cpus": 2.0, "memory_mb": 2048, "threads": 2},
        "worker": {"replicas": 2, "max_replicas": 4, "cpus": 2.0, "memory_mb": 2048},
        "db_connections": 96,
        "rate_limit": {"average": 120, "burst": 240},
        "quota": {"cpus": 48, "memory_mb": 49152, "pods": 24},
    },
}

KNOWN_FIELDS = ("name", "hosts", "tenancy", "tier", "slot", "image", "modules", "limits", "rate_limit",
                "backup", "app_group", "db_group", "redis_group", "admin_allow", "pool", "runtime", "namespace")
CLASS_FIELDS = ("replicas", "max_replicas", "cpus", "memory_mb", "threads", "workers", "command")
# Classes a Kubernetes HorizontalPodAutoscaler may scale up to max_replicas.
SCALED_CLASSES = ("web", "worker")


class TenantError(ValueError):
    """A tenant that cannot be onboarded, with the tenant and the field named."""


def fail(name, field, message):
    raise TenantError("tenant '%s': %s %s" % (name, field, message))


def is_dns_name(value):
    if not isinstance(value, str) or len(value) > 253 or "." not in value:
        return False
    return all(LABEL_RE.match(label) for label in value.lower().rstrip(".").split("."))


def number(name, field, value, minimum, integer=False):
    valid = not isinstance(value, bool) and isinstance(value, int if integer else (int, float))
    if not valid or value < minimum:
        fail(name, field, "must be %s of at least %s (got %r)" % ("a whole number" if integer else "a number", minimum, value))
    return value


def check_image(name, image, environment):
    match = IMAGE_RE.match(image) if isinstance(image, str) else None
    if not match:
        fail(name, "image", "'%s' is not an image reference such as odoo:17.0" % (image,))
    if not match.group("tag") and not match.group("digest"):
        fail(name, "image", "'%s' has no tag: pin one, such as odoo:17.0-20250101" % image)
    if match.group("tag") == "latest" and environment == "production":
        fail(name, "image", "'%s' uses the tag 'latest', which production refuses: pin a version" % image)
    return image


def workers_for(cpus, memory_mb):
    """Odoo's documented rule: 2 x CPU + 1, bounded by what the memory holds."""
    return max(1, min(int(2 * cpus + 1), int(memory_mb // MB_PER_WORKER)))


def class_settings(name, tier, limits):
    classes = {}
    for kind in CLASSES:
        merged = dict(tier.get(kind) or {}, **(limits.get(kind) or {}))
        unknown = sorted(set(merged) - set(CLASS_FIELDS))
        if unknown:
            fail(name, "limits.%s" % kind, "has unknown field(s) %s" % ", ".join(unknown))
        merged["replicas"] = number(name, "limits.%s.replicas" % kind, merged.get("replicas", 1), 0, integer=True)
        if merged["replicas"] > MAX_REPLICAS:
            fail(name, "limits.%s.replicas" % kind, "must be at most %d (got %d)" % (MAX_REPLICAS, merged["replicas"]))
        # A tenant that raises replicas above its tier's max_replicas raises the maximum with them.
        ceiling = merged.get("max_replicas", merged["replicas"])
        if "max_replicas" not in (limits.get(kind) or {}) and isinstance(ceiling, int):
            ceiling = max(ceiling, merged["replicas"])
        merged["max_replicas"] = number(name, "limits.%s.max_replicas" % kind, ceiling, merged["replicas"], integer=True)
        if merged["max_replicas"] > MAX_REPLICAS:
            fail(name, "limits.%s.max_replicas" % kind, "must be at most %d (got %d)" % (MAX_REPLICAS, merged["max_replicas"]))
        if kind not in SCALED_CLASSES and merged["max_replicas"] != merged["replicas"]:
            fail(name, "limits.%s.max_replicas" % kind, "is for %s only: %s does not autoscale" % (" and ".join(SCALED_CLASSES), kind))
        merged["cpus"] = float(number(name, "limits.%s.cpus" % kind, merged.get("cpus"), 0.1))
        merged["memory_mb"] = number(name, "limits.%s.memory_mb" % kind, merged.get("memory_mb"), 64, integer=True)
        classes[kind] = merged
    for kind in ("web", "websocket"):
        if classes[kind]["replicas"] < 1:
            fail(name, "limits.%s.replicas" % kind, "must be at least 1")
    if classes["cron"]["replicas"] != 1:
        fail(name, "limits.cron.replicas", "must be 1: two cron processes would run the same jobs")
    web = classes["web"]
    web["workers"] = number(name, "limits.web.workers", web.get("workers") or workers_for(web["cpus"], web["memory_mb"]), 1, integer=True)
    classes["cron"]["threads"] = number(name, "limits.cron.threads", classes["cron"].get("threads", 1), 1, integer=True)
    return classes


def check_fits(name, classes, capacity):
    """Every container of a tenant on one app host must fit in that host's CPUs and memory."""
    if not capacity:
        return
    cpus = sum(c["cpus"] * c["replicas"] for c in classes.values())
    memory = sum(c["memory_mb"] * c["replicas"] for c in classes.values())
    if cpus > capacity.get("cpus", cpus):
        fail(name, "limits", "ask for %.1f CPUs in all, more than an app host has (%s)" % (cpus, capacity["cpus"]))
    if memory > capacity.get("memory_mb", memory):
        fail(name, "limits", "ask for %d MB in all, more than an app host has (%s MB)" % (memory, capacity["memory_mb"]))


def kubernetes_needs(classes):
    """What a tenant's namespace must hold at its peak: every class at max_replicas, plus the surge
    pod that a rolling update adds to web and to websocket. The migration Job runs while cron is
    scaled to 0, with cron's resources."""
    surge = [classes[kind] for kind in HTTP_CLASSES]
    return {
        "cpus": sum(c["cpus"] * c["max_replicas"] for c in classes.values()) + sum(c["cpus"] for c in surge),
        "memory_mb": sum(c["memory_mb"] * c["max_replicas"] for c in classes.values()) + sum(c["memory_mb"] for c in surge),
        "pods": sum(c["max_replicas"] for c in classes.values()) + len(surge),
    }


def check_quota(name, tier_name, tier, classes):
    """A Kubernetes tenant's requests (equal to its limits) must fit its tier's ResourceQuota."""
    quota = tier.get("quota")
    if not isinstance(quota, dict):
        fail(name, "tier", "'%s' has no quota ({cpus, memory_mb, pods}), which the kubernetes runtime needs" % tier_name)
    for field, minimum in (("cpus", 0.1), ("memory_mb", 64), ("pods", 1)):
        number(name, "tier.quota.%s" % field, quota.get(field), minimum, integer=field != "cpus")
    needs = kubernetes_needs(classes)
    for field in ("cpus", "memory_mb", "pods"):
        if needs[field] > quota[field]:
            fail(name, "limits", "need %s %s at peak (every class at max_replicas, plus the surge pods of web and websocket), more than "
                 "tier '%s''s quota of %s" % (round(needs[field], 2), field, tier_name, quota[field]))
    return dict(quota)


def odoo_options(tenant, classes, tier):
    """odoo.conf values that depend on the size; the role adds connections and paths."""
    web = classes["web"]
    processes = web["replicas"] * (web["workers"] + 1) + classes["websocket"]["replicas"] + 1 + classes["worker"]["replicas"]
    budget = number(tenant, "tier.db_connections", tier.get("db_connections", 24), 4, integer=True)
    hard = int(web["memory_mb"] * 0.9 // web["workers"]) * 1024 * 1024
    return {
        "workers": web["workers"],
        "max_cron_threads": classes["cron"]["threads"],
        "limit_memory_hard": hard,
        "limit_memory_soft": int(hard * 0.8),
        "limit_time_cpu": 60,
        "limit_time_real": 120,
        "db_maxconn": max(2, budget // processes),
    }


def containers(tenant, databases=None):
    """One entry per container: what the odoo role runs, named after tenant, class and replica.
    `databases` pins a pool's cron to its tenants' databases (-d a,b,...)."""
    result = []
    for kind in CLASSES:
        settings = tenant["classes"][kind]
        for index in range(settings["replicas"]):
            entry = {
                "name": "odoo-%s-%s-%d" % (tenant["name"], kind, index + 1),
                "tenant": tenant["name"],
                "class": kind,
                "replica": index + 1,
                "cpus": settings["cpus"],
                "memory_mb": settings["memory_mb"],
                "port": tenant["port_base"] + PORT_OFFSETS[kind] + index if kind in HTTP_CLASSES else None,
                # Where a rolling upgrade starts this container's replacement first.
                "surge_port": tenant["port_base"] + PORT_OFFSETS[kind] + SURGE_OFFSET if kind in HTTP_CLASSES else None,
                "command": settings.get("command"),
            }
            if kind == "cron" and databases:
                entry["databases"] = ",".join(databases)
            result.append(entry)
    return result


def check(description, context=None):
    """A checked, complete copy of one registry entry; TenantError names what is wrong.

    context: environment, tiers, groups (inventory group names), capacity ({cpus, memory_mb}
    of the smallest app host), port_base, default_image, shared_pool.
    """
    context = context or {}
    if not isinstance(description, dict):
        raise TenantError("a tenant must be a mapping with name, hosts, tenancy, tier, slot and image (got %r)" % (description,))
    name = description.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise TenantError("tenant %r: name must be 2-30 of a-z, 0-9 and '-', starting with a letter" % (name,))
    if name.startswith(POOL_PREFIX) and not context.get("pool"):
        fail(name, "name", "starts with '%s', which names shared pools" % POOL_PREFIX)
    reserved = set(RESERVED_DATABASES) | set(context.get("reserved_databases") or [])
    if not context.get("pool") and name.replace("-", "_") in reserved:
        fail(name, "name", "gives the database '%s', which the platform owns (reserved: %s)"
             % (name.replace("-", "_"), ", ".join(sorted(reserved))))
    unknown = sorted(set(description) - set(KNOWN_FIELDS))
    if unknown:
        fail(name, "field(s)", "%s are unknown (known: %s)" % (", ".join(unknown), ", ".join(KNOWN_FIELDS)))

    hosts = description.get("hosts")
    if not isinstance(hosts, list) or not hosts:
        fail(name, "hosts", "must be a non-empty list of DNS names")
    for index, host in enumerate(hosts):
        if not is_dns_name(host):
            fail(name, "hosts[%d]" % index, "'%s' is not a valid DNS name" % (host,))
    if len(set(h.lower() for h in hosts)) != len(hosts):
        fail(name, "hosts", "lists a host twice")

    tenancy = description.get("tenancy", "isolated")
    if tenancy not in TENANCY_MODELS:
        fail(name, "tenancy", "'%s' is unknown: use one of %s" % (tenancy, ", ".join(TENANCY_MODELS)))
    tiers = context.get("tiers") or DEFAULT_TIERS
    tier_name = description.get("tier", "small")
    if tier_name not in tiers:
        fail(name, "tier", "'%s' is unknown: use one of %s" % (tier_name, ", ".join(sorted(tiers))))
    tier = tiers[tier_name]

    groups = {}
    for field, default in (("app_group", "app"), ("db_group", "postgres"), ("redis_group", "redis")):
        value = description.get(field, default)
        if not isinstance(value, str) or not GROUP_RE.match(value):
            fail(name, field, "must be an inventory group name (got %r)" % (value,))
        if context.get("groups") is not None and value not in context["groups"]:
            fail(name, field, "'%s' is not a group of the inventory" % value)
        groups[field] = value
    if tenancy == "dedicated" and groups["app_group"] == "app":
        fail(name, "app_group", "must name the tenant's own app hosts for the dedicated model (not the shared 'app' group)")
    if tenancy == "dedicated" and groups["db_group"] == "postgres":
        fail(name, "db_group", "must name the tenant's own Patroni cluster for the dedicated model")

    # A shared tenant runs in its pool's containers: it needs no slot, and has no ports of its own.
    slot, port_base = None, None
    if tenancy != "shared" or "slot" in description:
        slot = number(name, "slot", description.get("slot"), 1, integer=True)
    if tenancy != "shared":
        port_base = int(context.get("port_base") or 20000) + slot * PORTS_PER_SLOT
        if port_base + PORTS_PER_SLOT > 65535:
            fail(name, "slot", "%d puts the tenant's ports above 65535" % slot)

    image = check_image(name, description.get("image", context.get("default_image")), context.get("environment", "production"))
    modules = description.get("modules", ["base"])
    if not isinstance(modules, list) or not modules or not all(isinstance(m, str) and MODULE_RE.match(m) for m in modules):
        fail(name, "modules", "must be a non-empty list of module names such as [base, sale] (got %r)" % (modules,))

    limits = description.get("limits") or {}
    if not isinstance(limits, dict) or set(limits) - set(CLASSES):
        fail(name, "limits", "must map workload classes (%s) to their settings" % ", ".join(CLASSES))
    classes = class_settings(name, tier, limits)
    capacity = context.get("capacity")
    check_fits(name, classes, dict((k, float(v)) for k, v in capacity.items()) if capacity else None)

    runtime = description.get("runtime", context.get("runtime") or "docker")
    if runtime not in RUNTIMES:
        fail(name, "runtime", "'%s' is unknown: use one of %s" % (runtime, ", ".join(RUNTIMES)))
    pool = description.get("pool", context.get("shared_pool") or "shared")
    if not isinstance(pool, str) or not NAME_RE.match(pool):
        fail(name, "pool", "must name a shared app pool: 2-30 of a-z, 0-9 and '-' (got %r)" % (pool,))
    if "pool" in description and tenancy != "shared":
        fail(name, "pool", "is for shared tenants only (this tenant is %s)" % tenancy)
    namespace, quota = None, None
    if runtime == "kubernetes":
        default_namespace = "odoo-pool-%s" % pool if tenancy == "shared" else "odoo-%s" % name
        namespace = description.get("namespace", default_namespace)
        if not isinstance(namespace, str) or not LABEL_RE.match(namespace):
            fail(name, "namespace", "%r is not a DNS-1123 label (1-63 of a-z, 0-9 and '-', starting and ending "
                 "with a letter or digit)" % (namespace,))
        if tenancy != "shared":
            quota = check_quota(name, tier_name, tier, classes)
    elif "namespace" in description:
        fail(name, "namespace", "is for the kubernetes runtime only (this tenant runs on %s)" % runtime)

    rate_limit = dict(tier.get("rate_limit") or {}, **(description.get("rate_limit") or {}))
    number(name, "rate_limit.average", rate_limit.get("average"), 1, integer=True)
    number(name, "rate_limit.burst", rate_limit.get("burst"), 1, integer=True)
    backup = dict({"filestore": True, "retention_days": 30}, **(description.get("backup") or {}))
    number(name, "backup.retention_days", backup["retention_days"], 1, integer=True)

    db_name = name.replace("-", "_")
    if tenancy == "shared":
        # The pool's Odoo picks the database with dbfilter ^%d$: the host name's first label.
        for index, host in enumerate(hosts):
            if host.lower().split(".")[0] != db_name:
                fail(name, "hosts[%d]" % index, "'%s' must start with '%s.': a shared pool's dbfilter (^%%d$) picks the "
                     "database '%s' by the host name's first label" % (host, db_name, db_name))
    tenant = {
        "name": name,
        "hosts": [h.lower() for h in hosts],
        "tenancy": tenancy,
        "tier": tier_name,
        "runtime": runtime,
        "namespace": namespace,
        "quota": quota,
        "pool": pool if tenancy == "shared" else None,
        "slot": slot,
        "port_base": port_base,
        "image": image,
        "modules": modules,
        "classes": classes,
        "rate_limit": rate_limit,
        "backup": backup,
        "admin_allow": description.get("admin_allow"),
        "db_name": db_name,
        # Shared tenants' databases belong to the pool's role: one Odoo serves them all.
        "db_user": "odoo_pool_%s" % pool.replace("-", "_") if tenancy == "shared" else "odoo_%s" % db_name,
        "redis_user": "tenant-%s" % name,
        "redis_prefix": "tenant:%s:" % name,
        "odoo": odoo_options(name, classes, tier),
        # Whose odoo.conf, containers, network and secrets serve the tenant: its own, or its pool's.
        "served_by": POOL_PREFIX + pool if tenancy == "shared" else name,
    }
    tenant.update(groups)
    tenant["containers"] = [] if tenancy == "shared" else containers(tenant)
    tenant["fingerprint"] = fingerprint(tenant)
    return tenant


POOL_FIELDS = ("name", "tier", "image", "modules", "limits", "namespace", "app_group", "db_group", "redis_group",
               "runtime", "slot")


def check_pool(description, context=None, members=None):
    """A shared app pool, checked like a tenant: one Odoo (dbfilter ^%d$) serving the databases of
    the shared tenants that name it. Its database role owns their databases. On Docker it runs its
    own containers at its `slot`, and its cron is pinned to `members` (the tenants' database names),
    as cron ignores dbfilter."""
    if not isinstance(description, dict):
        raise TenantError("a shared pool must be a mapping with name, tier and image (got %r)" % (description,))
    name = description.get("name")
    unknown = sorted(set(description) - set(POOL_FIELDS))
    if unknown:
        raise TenantError("shared pool %r: field(s) %s are unknown (known: %s)" % (name, ", ".join(unknown), ", ".join(POOL_FIELDS)))
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise TenantError("shared pool %r: name must be 2-30 of a-z, 0-9 and '-', starting with a letter" % (name,))
    runtime = description.get("runtime", (context or {}).get("runtime") or "docker")
    if runtime == "docker" and "slot" not in description:
        raise TenantError("shared pool '%s': slot is required on the docker runtime (it fixes the pool's host ports)" % name)
    # Named pool-<name>, a prefix tenants may not use: its secrets sit beside the tenants'.
    entry = dict(description, name=POOL_PREFIX + name, hosts=["%s.pool.invalid" % name], tenancy="isolated",
                 slot=description.get("slot", 1), runtime=runtime)
    if runtime == "kubernetes":
        entry.setdefault("namespace", "odoo-pool-%s" % name)
    pool = check(entry, dict(context or {}, pool=True))
    members = sorted(members or [])
    pool.update(tenancy="pool", hosts=[], db_name=None, db_user="odoo_pool_%s" % name.replace("-", "_"),
                redis_user="pool-%s" % name, redis_prefix="pool:%s:" % name, members=members,
                containers=containers(pool, members) if runtime == "docker" else [])
    pool["fingerprint"] = fingerprint(pool)
    return pool


def docker_pools(tenants, pools, context=None):
    """The shared pools that serve tenants on the docker runtime, checked, with their members.

    tenants: the whole checked registry. A pool must be described in `pools`, its slot must be free
    in its app group, and its tenants must run its image and sit in its app group."""
    described = dict((p.get("name"), p) for p in pools or [] if isinstance(p, dict))
    members = {}
    for tenant in tenants:
        if tenant["tenancy"] == "shared" and tenant["runtime"] == "docker":
            members.setdefault(tenant["pool"], []).append(tenant)
    slots = dict(((t["app_group"], t["slot"]), t["name"]) for t in tenants if t["tenancy"] != "shared")
    result = []
    for name in sorted(members):
        if name not in described:
            raise TenantError("tenant '%s': pool '%s' is not described in tenant_shared_pools (name, tier, image, slot)"
                              % (members[name][0]["name"], name))
        pool = check_pool(dict(described[name], runtime="docker"), context, [t["db_name"] for t in members[name]])
        taken = slots.get((pool["app_group"], pool["slot"]))
        if taken:
            raise TenantError("shared pool '%s': slot %d is tenant '%s''s in group %s" % (name, pool["slot"], taken, pool["app_group"]))
        for tenant in members[name]:
            if tenant["image"] != pool["image"]:
                fail(tenant["name"], "image", "'%s' differs from its pool '%s''s image '%s': a shared pool runs one image"
                     % (tenant["image"], name, pool["image"]))
            if tenant["app_group"] != pool["app_group"]:
                fail(tenant["name"], "app_group", "'%s' differs from its pool '%s''s app group '%s'" % (tenant["app_group"], name, pool["app_group"]))
        result.append(pool)
    return result


def fingerprint(tenant):
    data = {k: v for k, v in tenant.items() if k != "fingerprint"}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:20]


def check_registry(descriptions, context=None):
    """Every tenant checked, then what must be unique across them: names, hosts, slots per app group."""
    if not isinstance(descriptions, list):
        raise TenantError("the tenant registry must be a list of tenants")
    tenants = [check(d, context) for d in descriptions]
    names, hosts, slots = {}, {}, {}
    for tenant in tenants:
        if tenant["name"] in names:
            raise TenantError("tenant '%s': name is used twice in the registry" % tenant["name"])
        names[tenant["name"]] = tenant
        for host in tenant["hosts"]:
            if host in hosts:
                raise TenantError("tenant '%s': hosts has '%s', which tenant '%s' already has" % (tenant["name"], host, hosts[host]))
            hosts[host] = tenant["name"]
        key = (tenant["app_group"], tenant["slot"])
        if tenant["tenancy"] == "shared":
            continue
        if key in slots:
            raise TenantError("tenant '%s': slot %d is tenant '%s''s in group %s" % (tenant["name"], tenant["slot"], slots[key], tenant["app_group"]))
        slots[key] = tenant["name"]
    return tenants


# odoo/addons/base/models/res_users.py: MIN_ROUNDS, the work factor Odoo hashes user passwords with.
USER_PASSWORD_ROUNDS = 600000


def admin_passwd_hash(password, salt, rounds=100000):
    """Odoo's admin_passwd as passlib's pbkdf2_sha512 hash, deterministic for a stored salt. With
    USER_PASSWORD_ROUNDS it is a user's res_users.password as Odoo itself writes it."""
    def ab64(data):
        return base64.b64encode(data).decode().replace("+", ".").rstrip("=")
    raw_salt = salt.encode()
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), raw_salt, rounds)
    return "$pbkdf2-sha512$%d$%s$%s" % (rounds, ab64(raw_salt), ab64(digest))


def with_image(tenant, image, environment="production"):
    """The tenant with another image (a rolling upgrade's target), checked like the registry's."""
    updated = copy.deepcopy(tenant)
    updated["image"] = check_image(tenant["name"], image, environment)
    updated["fingerprint"] = fingerprint(updated)
    return updated


def routing(tenant, addresses, ports=None):
    """The tenant's description for the traefik_tenant_routing filter: its hosts, and a backend per
    app host address and HTTP container. `ports` ({address: {web: [...], websocket: [...]}})
    replaces one host's ports while a rolling upgrade moves traffic between its containers."""
    ports = ports or {}
    normal = dict((kind, [c["port"] for c in tenant["containers"] if c["class"] == kind]) for kind in HTTP_CLASSES)
    backends = dict((kind, []) for kind in HTTP_CLASSES)
    for address in addresses:
        for kind in HTTP_CLASSES:
            wanted = (ports.get(address) or {}).get(kind, normal[kind])
            backends[kind].extend("http://%s:%d" % (address, int(port)) for port in wanted)
    description = {
        "name": tenant["name"],
        "hosts": tenant["hosts"],
        "web": backends["web"],
        "websocket": backends["websocket"],
        "rate_limit": {"average": tenant["rate_limit"]["average"], "burst": tenant["rate_limit"]["burst"]},
    }
    if tenant.get("admin_allow"):
        description["admin_allow"] = tenant["admin_allow"]
    return description


IMAGE_FACT_RE = re.compile(r"^(uid|gid|user|module)=(.*)$")


def image_facts(image, output):
    """What an app host found in an image, from the lines `uid=`, `gid=`, `user=` (empty without a
    passwd entry) and `module=` (one per module directory of its addons paths)."""
    facts = {"image": image, "uid": None, "gid": None, "user": "", "modules": []}
    for line in (output or "").splitlines():
        match = IMAGE_FACT_RE.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key == "module":
            facts["modules"].append(value)
        elif key in ("uid", "gid"):
            facts[key] = int(value) if value.isdigit() else None
        else:
            facts[key] = value
    facts["modules"] = sorted(set(facts["modules"]))
    return facts


def check_image_facts(tenants, outputs):
    """Each tenant against its image as found on its app host: the image's user must be one Odoo can
    run as (a uid with a passwd entry, not root: odoo/cli/server.py calls getpass.getuser()), and
    every module the tenant installs must be in the image's addons paths (Odoo ignores an unknown
    name with a warning and exits 0: odoo/modules/loading.py, _check_module_names).
    outputs: what the app host printed for each image, by image reference (see image_facts)."""
    by_image = dict((image, image_facts(image, output)) for image, output in (outputs or {}).items())
    for tenant in tenants:
        found = by_image.get(tenant["image"])
        if found is None:
            continue
        if found["uid"] is None or found["gid"] is None:
            fail(tenant["name"], "image", "'%s': its user could not be determined (the image's USER does not run `id`)" % tenant["image"])
        if not found["user"]:
            fail(tenant["name"], "image", "'%s' runs as uid %d, which has no passwd entry in the image: Odoo's "
                 "getpass.getuser() fails at start; use an image whose USER exists (the official image's odoo)"
                 % (tenant["image"], found["uid"]))
        if found["uid"] == 0:
            fail(tenant["name"], "image", "'%s' runs as root: use an image with an unprivileged USER (the official image's odoo)" % tenant["image"])
        missing = [m for m in tenant["modules"] if m not in found["modules"]]
        if missing:
            fail(tenant["name"], "modules", "%s not in image '%s' (its addons paths have %d modules: %s)"
                 % (", ".join("'%s' is" % m for m in missing), tenant["image"], len(found["modules"]),
                    ", ".join(found["modules"][:40]) + (", ..." if len(found["modules"]) > 40 else "")))
    return by_image
