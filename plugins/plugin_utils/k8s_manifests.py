# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A checked tenant (plugin_utils/tenant.py) as Kubernetes objects, for the kubernetes runtime.

render() gives every object of an isolated or dedicated tenant, in apply order: Namespace,
ResourceQuota, LimitRange, NetworkPolicies, ServiceAccount, Secret, ConfigMap (odoo.conf without
secrets), filestore PVC, one Deployment per workload class, Services, PodDisruptionBudgets,
HorizontalPodAutoscalers, and Traefik Middlewares plus an IngressRoute. A shared tenant gets only
its routing, in its pool's namespace; render_pool() gives the pool's workloads (dbfilter ^%d$).
migration_job() is the one-off `-u` run of a rolling upgrade.

`settings` are the platform's, the same for every tenant: see DEFAULTS.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

from ansible_collections.odoo_saas.platform.plugins.plugin_utils.traefik_routing import render as traefik_render

DEFAULTS = dict(
    # Where Traefik runs: only its namespace may reach web and websocket pods.
    traefik_namespace="traefik",
    entrypoint="websecure",
    cert_resolver="",
    tls_secret="",
    admin_allow=["127.0.0.1/32"],
    # Cluster DNS, the only egress besides the data tier.
    dns_namespace="kube-system",
    dns_pod_labels={"k8s-app": "kube-dns"},
    # The data tier's endpoints outside the cluster: [{name, cidr, ports}].
    data_tier=[],
    db_host="",
    db_port=5000,
    db_sslmode="require",
    redis_sessions=True,
    sentinel_hosts=[],
    sentinel_port=26379,
    redis_master_name="sessions",
    attachment_s3=False,
    attachment_s3_host="",
    attachment_s3_bucket="",
    storage_class="",
    filestore_size="10Gi",
    image_pull_policy="IfNotPresent",
    uid=101,
    stop_timeout=30,
    drain_seconds=5,
    hpa_cpu_percent=70,
    # The worker HPA's external metric (per tenant queue depth, from Prometheus through an adapter).
    queue_metric="odoo_queue_jobs_pending",
    queue_target_per_worker=20,
    # Dedicated tenants run on nodes labelled and tainted for them.
    node_pool_label="odoo-saas.io/pool",
    dedicated_taint="odoo-saas.io/dedicated",
    migration_deadline_seconds=3600,
)

CONF_PATH = "/etc/odoo/odoo.conf"
BASE_CONF_DIR = "/etc/odoo-base"
DATA_DIR = "/var/lib/odoo"
PORTS = {"web": 8069, "websocket": 8072}
COMMANDS = {
    "web": ["odoo", "--max-cron-threads", "0"],
    "websocket": ["odoo", "gevent"],
    "cron": ["odoo", "--no-http"],
    "worker": ["odoo", "--no-http", "--max-cron-threads", "0"],
}
SECRET_NAME = "odoo-secrets"
SECRET_KEYS = ("db_password", "admin_passwd", "redis_password", "sentinel_password", "s3_access_key", "s3_secret_key")
CONFIG_NAME = "odoo-conf"
FILESTORE_NAME = "odoo-filestore"
SERVICE_ACCOUNT = "odoo"
MANAGER = "odoo_saas.platform"


def merged(settings):
    return dict(DEFAULTS, **(settings or {}))


def owner_labels(tenant):
    key = "odoo-saas.io/pool" if tenant["tenancy"] == "pool" else "odoo-saas.io/tenant"
    return {"app.kubernetes.io/name": "odoo", "app.kubernetes.io/instance": tenant["name"],
            "app.kubernetes.io/managed-by": MANAGER, key: tenant["name"]}


def selector(tenant, kind):
    return {"app.kubernetes.io/instance": tenant["name"], "app.kubernetes.io/component": kind}


def metadata(tenant, name, kind=None):
    labels = owner_labels(tenant)
    if kind:
        labels["app.kubernetes.io/component"] = kind
    return {"name": name, "namespace": tenant["namespace"], "labels": labels}


def resources(settings_of_class):
    """Requests equal to limits: Guaranteed pods, and a quota that sums what the limits allow."""
    amounts = {"cpu": "%dm" % int(round(settings_of_class["cpus"] * 1000)), "memory": "%dMi" % settings_of_class["memory_mb"]}
    return {"requests": dict(amounts), "limits": dict(amounts)}


def odoo_conf(tenant, settings):
    """odoo.conf without secrets: the pod's init container appends db_password and admin_passwd."""
    options = tenant["odoo"]
    lines = [
        "; managed by %s: %s %s (%s)" % (MANAGER, tenant["tenancy"], tenant["name"], tenant["tier"]),
        "[options]",
        "data_dir = %s" % DATA_DIR,
        "list_db = False",
        "proxy_mode = True",
        "without_demo = all",
        "http_port = %d" % PORTS["web"],
        "gevent_port = %d" % PORTS["websocket"],
        "db_host = %s" % settings["db_host"],
        "db_port = %s" % settings["db_port"],
        "db_user = %s" % tenant["db_user"],
        "db_sslmode = %s" % settings["db_sslmode"],
        "db_maxconn = %d" % options["db_maxconn"],
    ]
    if tenant["tenancy"] == "pool":
        lines.append("dbfilter = ^%d$")
    else:
        # cron ignores dbfilter: db_name pins every process to the tenant's database
        lines += ["db_name = %s" % tenant["db_name"], "dbfilter = ^%s$" % tenant["db_name"]]
    for key in ("workers", "max_cron_threads", "limit_memory_soft", "limit_memory_hard", "limit_time_cpu", "limit_time_real"):
        lines.append("%s = %s" % (key, options[key]))
    return "\n".join(lines) + "\n"


def secret_env(name, key):
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": SECRET_NAME, "key": key}}}


def container_env(tenant, settings):
    env = []
    if settings["redis_sessions"]:
        env += [
            {"name": "ODOO_SESSION_REDIS", "value": "1"},
            {"name": "ODOO_SESSION_REDIS_SENTINEL_HOST", "value": ",".join(settings["sentinel_hosts"])},
            {"name": "ODOO_SESSION_REDIS_SENTINEL_PORT", "value": str(settings["sentinel_port"])},
            {"name": "ODOO_SESSION_REDIS_SENTINEL_MASTER_NAME", "value": settings["redis_master_name"]},
            {"name": "ODOO_SESSION_REDIS_USERNAME", "value": tenant["redis_user"]},
            {"name": "ODOO_SESSION_REDIS_PREFIX", "value": tenant["redis_prefix"]},
            secret_env("ODOO_SESSION_REDIS_PASSWORD", "redis_password"),
            secret_env("ODOO_SESSION_REDIS_SENTINEL_PASSWORD", "sentinel_password"),
        ]
    if settings["attachment_s3"]:
        env += [
            {"name": "AWS_HOST", "value": settings["attachment_s3_host"]},
            {"name": "AWS_BUCKETNAME", "value": settings["attachment_s3_bucket"].replace("{tenant}", tenant["name"])},
            secret_env("AWS_ACCESS_KEY_ID", "s3_access_key"),
            secret_env("AWS_SECRET_ACCESS_KEY", "s3_secret_key"),
        ]
    return env


def security_context():
    return {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}}


def config_init_container(image, settings):
    """Joins the ConfigMap's odoo.conf and the Secret's values into a memory-backed file."""
    script = ('cat %s/odoo.conf > %s && printf "db_password = %%s\\nadmin_passwd = %%s\\n" '
              '"$DB_PASSWORD" "$ADMIN_PASSWD" >> %s' % (BASE_CONF_DIR, CONF_PATH, CONF_PATH))
    return {
        "name": "config",
        "image": image,
        "imagePullPolicy": settings["image_pull_policy"],
        "command": ["sh", "-c", script],
        "env": [secret_env("DB_PASSWORD", "db_password"), secret_env("ADMIN_PASSWD", "admin_passwd")],
        "resources": {"requests": {"cpu": "50m", "memory": "32Mi"}, "limits": {"cpu": "50m", "memory": "32Mi"}},
        "securityContext": security_context(),
        "volumeMounts": [{"name": "base-conf", "mountPath": BASE_CONF_DIR, "readOnly": True},
                         {"name": "conf", "mountPath": "/etc/odoo"}],
    }


def pod_spec(tenant, settings, kind, image, command, class_settings):
    container = {
        "name": "odoo",
        "image": image,
        "imagePullPolicy": settings["image_pull_policy"],
        "command": command + ["-c", CONF_PATH],
        "env": container_env(tenant, settings),
        "resources": resources(class_settings),
        "securityContext": security_context(),
        "volumeMounts": [
            {"name": "conf", "mountPath": "/etc/odoo", "readOnly": True},
            {"name": "filestore", "mountPath": DATA_DIR},
            {"name": "tmp", "mountPath": "/tmp"},
        ],
    }
    if kind in PORTS:
        port = PORTS[kind]

        def probe(**timing):
            return dict({"httpGet": {"path": "/web/health", "port": port}, "periodSeconds": 5, "timeoutSeconds": 3}, **timing)
        container["ports"] = [{"name": "http", "containerPort": port, "protocol": "TCP"}]
        container["readinessProbe"] = probe(failureThreshold=2)
        container["livenessProbe"] = probe(failureThreshold=6, initialDelaySeconds=20)
        # Endpoints drop the pod first; requests in flight end before SIGTERM.
        container["lifecycle"] = {"preStop": {"exec": {"command": ["sleep", str(settings["drain_seconds"])]}}}
    spec = {
        "serviceAccountName": SERVICE_ACCOUNT,
        "automountServiceAccountToken": False,
        "securityContext": {"runAsNonRoot": True, "runAsUser": settings["uid"], "runAsGroup": settings["uid"],
                            "fsGroup": settings["uid"], "seccompProfile": {"type": "RuntimeDefault"}},
        "terminationGracePeriodSeconds": settings["stop_timeout"] + settings["drain_seconds"],
        "initContainers": [config_init_container(image, settings)],
        "containers": [container],
        "volumes": [
            {"name": "base-conf", "configMap": {"name": CONFIG_NAME}},
            {"name": "conf", "emptyDir": {"medium": "Memory", "sizeLimit": "1Mi"}},
            {"name": "filestore", "persistentVolumeClaim": {"claimName": FILESTORE_NAME}},
            {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}},
        ],
    }
    if kind in ("web", "websocket"):
        spec["topologySpreadConstraints"] = [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
                                              "whenUnsatisfiable": "ScheduleAnyway",
                                              "labelSelector": {"matchLabels": selector(tenant, kind)}}]
    if tenant["tenancy"] == "dedicated":
        spec["nodeSelector"] = {settings["node_pool_label"]: tenant["app_group"]}
        spec["tolerations"] = [{"key": settings["dedicated_taint"], "operator": "Equal", "value": tenant["name"], "effect": "NoSchedule"}]
    return spec


def autoscaled(tenant, kind):
    settings = tenant["classes"][kind]
    return settings["max_replicas"] > settings["replicas"]


def deployment(tenant, settings, kind):
    class_settings = tenant["classes"][kind]
    if kind == "cron":
        strategy = {"type": "Recreate"}  # never two schedulers at once
    elif kind in PORTS:
        strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    else:
        strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    template_labels = dict(owner_labels(tenant), **{"app.kubernetes.io/component": kind})
    spec = {
        "selector": {"matchLabels": selector(tenant, kind)},
        "strategy": strategy,
        "revisionHistoryLimit": 5,
        "template": {
            "metadata": {"labels": template_labels,
                         # A changed odoo.conf rolls the pods.
                         "annotations": {"odoo-saas.io/config-hash": config_hash(tenant, settings)}},
            "spec": pod_spec(tenant, settings, kind, tenant["image"], class_settings.get("command") or COMMANDS[kind], class_settings),
        },
    }
    # An autoscaled class leaves replicas to its HPA, so that applying the manifests never scales it back.
    if not autoscaled(tenant, kind):
        spec["replicas"] = class_settings["replicas"]
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(tenant, "odoo-" + kind, kind), "spec": spec}


def config_hash(tenant, settings):
    return hashlib.sha256(odoo_conf(tenant, settings).encode()).hexdigest()[:16]


def service(tenant, kind):
    port = PORTS[kind]
    return {"apiVersion": "v1", "kind": "Service", "metadata": metadata(tenant, "odoo-" + kind, kind),
            "spec": {"type": "ClusterIP", "selector": selector(tenant, kind),
                     "ports": [{"name": "http", "port": port, "targetPort": "http", "protocol": "TCP"}]}}


def pdb(tenant, kind):
    # One pod at a time may be evicted: drains go on, and more than one replica keeps serving.
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": metadata(tenant, "odoo-" + kind, kind),
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": selector(tenant, kind)}}}


def hpa(tenant, settings, kind):
    class_settings = tenant["classes"][kind]
    if kind == "web":
        target = {"type": "Utilization", "averageUtilization": settings["hpa_cpu_percent"]}
        metric = {"type": "Resource", "resource": {"name": "cpu", "target": target}}
    else:
        # Queue depth per worker, served by a Prometheus adapter as an external metric.
        metric = {"type": "External", "external": {
            "metric": {"name": settings["queue_metric"], "selector": {"matchLabels": {"tenant": tenant["name"]}}},
            "target": {"type": "AverageValue", "averageValue": str(settings["queue_target_per_worker"])}}}
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": metadata(tenant, "odoo-" + kind, kind),
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "odoo-" + kind},
                     "minReplicas": max(1, class_settings["replicas"]), "maxReplicas": class_settings["max_replicas"],
                     "metrics": [metric]}}


def network_policies(tenant, settings):
    def policy(name, spec):
        return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": metadata(tenant, name), "spec": spec}

    edge = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": settings["traefik_namespace"]}}}
    policies = [policy("default-deny", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})]
    for kind, port in sorted(PORTS.items()):
        policies.append(policy("allow-edge-to-" + kind, {
            "podSelector": {"matchLabels": selector(tenant, kind)}, "policyTypes": ["Ingress"],
            "ingress": [{"from": [edge], "ports": [{"protocol": "TCP", "port": port}]}]}))
    policies.append(policy("allow-dns", {
        "podSelector": {}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": settings["dns_namespace"]}},
                            "podSelector": {"matchLabels": dict(settings["dns_pod_labels"])}}],
                    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]}))
    if settings["data_tier"]:
        policies.append(policy("allow-data-tier", {
            "podSelector": {}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": endpoint["cidr"]}}],
                        "ports": [{"protocol": "TCP", "port": int(p)} for p in endpoint["ports"]]}
                       for endpoint in settings["data_tier"]]}))
    return policies


def namespace_objects(tenant, settings, quota=None):
    labels = dict(owner_labels(tenant), **{
        "odoo-saas.io/tier": tenant["tier"], "odoo-saas.io/tenancy": tenant["tenancy"],
        # Pods must meet the restricted Pod Security Standard.
        "pod-security.kubernetes.io/enforce": "restricted"})
    objects = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": tenant["namespace"], "labels": labels}}]
    if quota:
        cpu, memory = "%dm" % int(round(quota["cpus"] * 1000)), "%dMi" % quota["memory_mb"]
        objects.append({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": metadata(tenant, "odoo-quota"),
                        "spec": {"hard": {"requests.cpu": cpu, "limits.cpu": cpu, "requests.memory": memory,
                                          "limits.memory": memory, "pods": str(quota["pods"])}}})
    largest = {"cpus": max(c["cpus"] for c in tenant["classes"].values()),
               "memory_mb": max(c["memory_mb"] for c in tenant["classes"].values())}
    objects.append({"apiVersion": "v1", "kind": "LimitRange", "metadata": metadata(tenant, "odoo-limits"),
                    "spec": {"limits": [{"type": "Container",
                                         "default": {"cpu": "250m", "memory": "256Mi"},
                                         "defaultRequest": {"cpu": "250m", "memory": "256Mi"},
                                         "max": resources(largest)["limits"]}]}})
    return objects


def secret(tenant, secrets):
    """The namespace's Secret; rendering without secrets (to apply other objects) leaves it empty."""
    data = dict((key, secrets[key]) for key in SECRET_KEYS if secrets.get(key))
    return {"apiVersion": "v1", "kind": "Secret", "metadata": metadata(tenant, SECRET_NAME), "type": "Opaque", "stringData": data}


def workloads(tenant, settings, secrets):
    """Everything that runs a tenant's (or a pool's) Odoo in its namespace."""
    objects = namespace_objects(tenant, settings, tenant.get("quota"))
    objects += network_policies(tenant, settings)
    objects.append({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata(tenant, SERVICE_ACCOUNT),
                    "automountServiceAccountToken": False})
    objects.append(secret(tenant, secrets))
    objects.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(tenant, CONFIG_NAME),
                    "data": {"odoo.conf": odoo_conf(tenant, settings)}})
    claim = {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": settings["filestore_size"]}}}
    if settings["storage_class"]:
        claim["storageClassName"] = settings["storage_class"]
    objects.append({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata(tenant, FILESTORE_NAME), "spec": claim})
    kinds = [k for k in ("web", "websocket", "cron", "worker") if tenant["classes"][k]["max_replicas"] > 0]
    objects += [deployment(tenant, settings, k) for k in kinds]
    objects += [service(tenant, k) for k in kinds if k in PORTS]
    objects += [pdb(tenant, k) for k in kinds if k in PORTS]
    objects += [hpa(tenant, settings, k) for k in kinds if autoscaled(tenant, k)]
    return objects


def routing(tenant, settings):
    """Traefik CRDs for one tenant, in its namespace (a shared tenant's: its pool's). The middlewares
    are the file provider's (plugin_utils/traefik_routing.py), so both runtimes route alike."""
    namespace = tenant["namespace"]
    backends = dict((kind, ["http://odoo-%s.%s.svc:%d" % (kind, namespace, port)]) for kind, port in PORTS.items())
    description = {"name": tenant["name"], "hosts": tenant["hosts"], "web": backends["web"], "websocket": backends["websocket"],
                   "rate_limit": dict(tenant["rate_limit"])}
    if tenant.get("admin_allow"):
        description["admin_allow"] = tenant["admin_allow"]
    dynamic = traefik_render(description, {"entrypoint": settings["entrypoint"], "admin_allow": settings["admin_allow"]})["http"]
    labels = dict(owner_labels(tenant), **{"odoo-saas.io/tenant": tenant["name"]})
    objects = [{"apiVersion": "traefik.io/v1alpha1", "kind": "Middleware",
                "metadata": {"name": name, "namespace": namespace, "labels": labels}, "spec": spec}
               for name, spec in sorted(dynamic["middlewares"].items())]
    routes = []
    for router in sorted(dynamic["routers"].values(), key=lambda r: -r.get("priority", 0)):
        kind = "websocket" if router["service"].endswith("-websocket") else "web"
        route = {"kind": "Rule", "match": router["rule"], "middlewares": [{"name": m} for m in router["middlewares"]],
                 "services": [{"name": "odoo-" + kind, "port": PORTS[kind]}]}
        if router.get("priority"):
            route["priority"] = router["priority"]
        routes.append(route)
    tls = {"secretName": settings["tls_secret"]} if settings["tls_secret"] else (
        {"certResolver": settings["cert_resolver"]} if settings["cert_resolver"] else {})
    objects.append({"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute",
                    "metadata": {"name": tenant["name"], "namespace": namespace, "labels": labels},
                    "spec": {"entryPoints": [settings["entrypoint"]], "routes": routes, "tls": tls}})
    return objects


def render(tenant, settings=None, secrets=None):
    """A tenant's objects in apply order. A shared tenant's are its routes in its pool's namespace."""
    settings = merged(settings)
    if tenant.get("runtime") != "kubernetes":
        raise ValueError("tenant '%s' runs on %s, not kubernetes" % (tenant.get("name"), tenant.get("runtime")))
    if tenant["tenancy"] == "shared":
        return routing(tenant, settings)
    return workloads(tenant, settings, secrets or {}) + routing(tenant, settings)


def render_pool(pool, settings=None, secrets=None):
    """A shared pool's workloads: one Odoo for all its tenants' databases (dbfilter ^%d$)."""
    return workloads(pool, merged(settings), secrets or {})


def migration_job(tenant, image, settings=None, action="upgrade"):
    """A one-off Odoo run on the tenant's database, as a Job that is never retried by itself:
    upgrade (`-u`, named after the image and modules: each upgrade runs once) or init (`-i`, kept
    as the record that the database is initialised: applying it again changes nothing)."""
    settings = merged(settings)
    if action not in ("upgrade", "init"):
        raise ValueError("migration_job: action must be upgrade or init (got %r)" % (action,))
    modules = ",".join(tenant["modules"])
    flag = "-u" if action == "upgrade" else "-i"
    command = ["odoo", "--no-http", "-d", tenant["db_name"], flag, modules, "--stop-after-init"]
    spec = pod_spec(tenant, settings, "migration", image, command, tenant["classes"]["cron"])
    spec["restartPolicy"] = "Never"
    labels = dict(owner_labels(tenant), **{"app.kubernetes.io/component": "migration", "odoo-saas.io/tenant": tenant["name"]})
    job = {"backoffLimit": 0, "activeDeadlineSeconds": settings["migration_deadline_seconds"],
           "template": {"metadata": {"labels": labels}, "spec": spec}}
    if action == "upgrade":
        name = "odoo-migrate-%s-%s" % (tenant["name"], hashlib.sha256(("%s %s" % (image, modules)).encode()).hexdigest()[:10])
        job["ttlSecondsAfterFinished"] = 86400
    else:
        name = "odoo-init-%s" % tenant["name"]
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "namespace": tenant["namespace"], "labels": labels},
            "spec": job}
