"""`odoo-saas status`: a compact health summary of the platform, from Prometheus queries.

Prometheus is --prometheus URL, else $ODOO_SAAS_PROMETHEUS_URL, else the lab's (lab info).
Exit 0 when nothing critical fires, 1 when a critical alert fires, 3 when Prometheus does not answer.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from odoo_saas_cli.errors import ValidationError

QUERIES = {
    "primaries": 'sum by (cluster) (patroni_primary{job="patroni"}) + sum by (cluster) (patroni_standby_leader{job="patroni"})',
    "streaming": 'patroni_postgres_streaming{job="patroni"} and on (instance) patroni_replica{job="patroni"} == 1',
    # Scraped at different moments, a replica can look a few bytes ahead: 0 then.
    "lag_bytes": ('clamp_min(max by (cluster) (patroni_xlog_location{job="patroni"} and on (instance) patroni_primary{job="patroni"} == 1)'
                  ' - on (cluster) group_right patroni_xlog_replayed_location{job="patroni"}'
                  ' and on (instance) patroni_replica{job="patroni"} == 1, 0)'),
    "backup_age": "time() - max by (stanza) (pgbackrest_backup_last_completion_timestamp_seconds)",
    "drill": "odoo_saas_restore_drill_success",
    "requests": "sum by (tenant) (tenant:traefik_requests:rate1m)",
    "errors": 'sum by (tenant) (tenant:traefik_requests:rate1m{code=~"5.."}) / sum by (tenant) (tenant:traefik_requests:rate1m)',
    "limited": 'sum by (tenant) (tenant:traefik_requests:rate1m{code="429"})',
    "p95": "histogram_quantile(0.95, tenant:traefik_request_duration_seconds_bucket:rate5m)",
    "down": "up == 0",
    "firing": 'ALERTS{alertstate="firing"}',
}


class PrometheusUnavailable(Exception):
    pass


def prometheus_url(explicit, project):
    url = explicit or os.environ.get("ODOO_SAAS_PROMETHEUS_URL")
    if url:
        return url.rstrip("/")
    proc = subprocess.run([sys.executable, str(project.root / "lab" / "lab.py"), "info", "--json"],
                          capture_output=True, text=True, check=False)
    if proc.returncode == 0:
        for endpoint in json.loads(proc.stdout).get("endpoints", []):
            if endpoint.get("name") == "prometheus" and endpoint.get("url"):
                return endpoint["url"]
    raise ValidationError("status: no Prometheus to ask: pass --prometheus URL or set ODOO_SAAS_PROMETHEUS_URL")


def query(url, expr, timeout=10):
    address = "%s/api/v1/query?%s" % (url, urllib.parse.urlencode({"query": expr}))
    try:
        with urllib.request.urlopen(address, timeout=timeout) as response:  # noqa: S310 - an http(s) URL we build
            body = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PrometheusUnavailable("%s: %s" % (url, exc)) from exc
    if body.get("status") != "success":
        raise PrometheusUnavailable("%s: %s" % (url, body.get("error", body)))
    return [(sample["metric"], float(sample["value"][1])) for sample in body["data"]["result"]]


def collect(url):
    """The summary as plain data: one section per concern."""
    results = dict((name, query(url, expr)) for name, expr in QUERIES.items())
    lag = dict((m["instance"], v) for m, v in results["lag_bytes"])
    tenants = {}
    for key in ("requests", "errors", "limited", "p95"):
        for metric, value in results[key]:
            tenants.setdefault(metric["tenant"], {})[key] = None if value != value else round(value, 4)  # NaN: no traffic
    return {
        "prometheus": url,
        "database": {
            "primaries": dict((m.get("cluster", "?"), int(v)) for m, v in results["primaries"]),
            "replicas": [{"instance": m["instance"], "cluster": m.get("cluster"), "streaming": bool(v),
                          "lag_bytes": lag.get(m["instance"])} for m, v in sorted(results["streaming"], key=lambda r: r[0]["instance"])],
        },
        "backups": {
            "age_seconds": dict((m.get("stanza", "?"), round(v)) for m, v in results["backup_age"]),
            "last_drill_passed": dict((m.get("stanza", "?"), bool(v)) for m, v in results["drill"]),
        },
        "tenants": dict(sorted(tenants.items())),
        "targets_down": sorted("%s/%s" % (m.get("job"), m.get("instance")) for m, _ in results["down"]),
        "alerts": sorted(({"alert": m["alertname"], "severity": m.get("severity", ""),
                           "subject": m.get("tenant") or m.get("instance") or m.get("cluster") or m.get("stanza") or ""}
                          for m, _ in results["firing"]), key=lambda a: (a["severity"] != "critical", a["alert"], a["subject"])),
    }


def duration(seconds):
    seconds = int(seconds)
    if seconds < 120:
        return "%ds" % seconds
    if seconds < 7200:
        return "%dm" % (seconds // 60)
    if seconds < 172800:
        return "%dh%02dm" % (seconds // 3600, seconds % 3600 // 60)
    return "%dd%02dh" % (seconds // 86400, seconds % 86400 // 3600)


def cell(value, fmt):
    return "-" if value is None else fmt % value


def text(status):
    db, backups = status["database"], status["backups"]
    lines = ["Prometheus  %s" % status["prometheus"]]
    lines.append("Primary     " + (", ".join("%s: %d" % kv for kv in sorted(db["primaries"].items())) or "no Patroni metrics"))
    for replica in db["replicas"]:
        lag = replica["lag_bytes"]
        lines.append("Replica     %-14s %-10s lag %s" % (replica["instance"], "streaming" if replica["streaming"] else "NOT STREAMING",
                                                       "-" if lag is None else "%d B" % lag))
    lines.append("Backup age  " + (", ".join("%s: %s" % (k, duration(v)) for k, v in sorted(backups["age_seconds"].items())) or "no backup metrics"))
    lines.append("Last drill  " + (", ".join("%s: %s" % (k, "passed" if v else "FAILED") for k, v in sorted(backups["last_drill_passed"].items()))
                                  or "none published"))
    if status["tenants"]:
        lines.append("%-20s %9s %7s %9s %8s" % ("Tenant", "req/s", "5xx", "429/s", "p95"))
        for name, t in status["tenants"].items():
            errors = None if t.get("errors") is None else t["errors"] * 100
            lines.append("%-20s %9s %7s %9s %8s" % (name, cell(t.get("requests"), "%.2f"), cell(errors, "%.1f%%"),
                                                    cell(t.get("limited"), "%.2f"), cell(t.get("p95"), "%.3fs")))
    lines.append("Targets down: " + (", ".join(status["targets_down"]) or "none"))
    if status["alerts"]:
        lines.append("Firing:")
        lines += ["  %-8s %-28s %s" % (a["severity"], a["alert"], a["subject"]) for a in status["alerts"]]
    else:
        lines.append("Firing: none")
    return "\n".join(lines)
