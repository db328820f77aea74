#!/usr/bin/env python3
"""Traefik benchmark: a tenant's full middleware chain against a bare router. Prints figures; asserts nothing.

Both routers point at the same nginx on the app host. The tenant router is rendered by the
traefik_tenant_routing filter's code (rate limit keyed on X-Forwarded-For with a limit far above
the load, security headers, compression); the bare router has no middleware. wrk (from Debian)
runs on the edge host over HTTPS, in alternating rounds so both see the same noise.

  python benchmarks/traefik_chain.py --rounds 3 --seconds 10
Needs the lab up with site.yml applied (`make lab`).
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "collections"))
from ansible_collections.odoo_saas.platform.plugins.plugin_utils.traefik_routing import render  # noqa: E402

EDGE, APP = "lab-edge1", "lab-app1"
DYNAMIC = "/etc/traefik/dynamic"
PAGE = "<html><body>" + "Odoo logistics " * 60 + "</body></html>\n"


def sh(host, script, stdin=None):
    return subprocess.run(["docker", "exec", "-i", host, "bash", "-c", script], input=stdin, check=True, capture_output=True, text=True).stdout


def address(host):
    """The host's address on the lab network (an app host also has its own Docker bridges)."""
    fmt = '{{ (index .NetworkSettings.Networks "odoo-saas-lab").IPAddress }}'
    return subprocess.run(["docker", "inspect", "-f", fmt, host], check=True, capture_output=True, text=True).stdout.strip()


def put(host, path, text):
    sh(host, "cat > %s.tmp && mv %s.tmp %s" % (path, path, path), stdin=text)


def prepare():
    sh(APP, "command -v nginx >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null")
    sh(APP, "mkdir -p /srv/bench/web && cat > /srv/bench/index.html && echo ok > /srv/bench/web/health", stdin=PAGE)
    put(APP, "/etc/nginx/sites-enabled/bench", "server { listen 18090; root /srv/bench; access_log off; }\n")
    sh(APP, "nginx -t -q && (systemctl reload nginx || systemctl restart nginx)")
    sh(EDGE, "command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null")
    backend = "http://%s:18090" % address(APP)
    tenant = {"name": "benchchain", "hosts": ["chain.odoo-saas.test"], "web": [backend],
              "rate_limit": {"average": 1000000, "burst": 1000000}, "admin_allow": ["10.0.0.0/8"]}
    chain = render(tenant, {"client_ip_depth": 1})
    bare = {"http": {"routers": {"benchbare": {"rule": "Host(`bare.odoo-saas.test`)", "entryPoints": ["websecure"],
                                               "service": "benchbare", "tls": {}}},
                     "services": {"benchbare": {"loadBalancer": {"servers": [{"url": backend}]}}}}}
    put(EDGE, DYNAMIC + "/bench-chain.yml", json.dumps(chain))
    put(EDGE, DYNAMIC + "/bench-bare.yml", json.dumps(bare))
    for name in ("chain", "bare"):
        sh(EDGE, "for i in $(seq 30); do curl -sk -o /dev/null -w '%%{http_code}' -H 'Host: %s.odoo-saas.test' "
                 "-H 'X-Forwarded-For: 192.0.2.1' https://127.0.0.1/ | grep -q 200 && exit 0; sleep 1; done; exit 1" % name)


def cleanup():
    sh(EDGE, "rm -f %s/bench-chain.yml %s/bench-bare.yml" % (DYNAMIC, DYNAMIC))


def unit(value, suffix):
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return float(value) * scale[suffix]


def wrk(name, seconds, connections):
    out = sh(EDGE, "wrk --latency -t2 -c%d -d%ds -H 'Host: %s.odoo-saas.test' -H 'X-Forwarded-For: 192.0.2.1' "
                   "-H 'Accept-Encoding: gzip' https://127.0.0.1:443/" % (connections, seconds, name))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {p: unit(v, s) for p, v, s in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return dict(rps=rps, p50=lat["50"], p99=lat["99"], non2xx=int(errors.group(1)) if errors else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not (1 <= args.rounds <= 10 and 1 <= args.seconds <= 60):
        parser.error("--rounds 1-10 and --seconds 1-60")
    prepare()
    results = {"bare": [], "chain": []}
    try:
        for number in range(1, args.rounds + 1):
            for name in ("bare", "chain"):
                figures = wrk(name, args.seconds, args.connections)
                results[name].append(figures)
                print("round %d %-5s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  non-2xx %d"
                      % (number, name, figures["rps"], figures["p50"], figures["p99"], figures["non2xx"]), flush=True)
    finally:
        cleanup()
    med = {name: {k: statistics.median(r[k] for r in rounds) for k in ("rps", "p50", "p99")} for name, rounds in results.items()}
    print()
    print("Traefik over HTTPS, %d connections, wrk on the edge host, medians of %d rounds" % (args.connections, args.rounds))
    for name, label in (("bare", "bare router"), ("chain", "tenant chain")):
        print("  %-13s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms" % (label, med[name]["rps"], med[name]["p50"], med[name]["p99"]))
    print("  tenant chain keeps %.2fx the bare router's req/s (goal >= 0.8x)" % (med["chain"]["rps"] / med["bare"]["rps"]))


if __name__ == "__main__":
    main()
