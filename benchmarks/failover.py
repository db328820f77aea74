#!/usr/bin/env python3
"""Failover and switchover benchmark on the lab's Patroni cluster. Prints figures; asserts nothing.

For each trial a writer inserts numbered rows through the read-write endpoint while the leader is
killed (`docker kill`), cut off (`docker network disconnect`) or switched over. The figure is the
write gap: seconds from the first failed write to the next acknowledged one. Afterwards the old
leader is brought back and must rejoin before the next trial; acknowledged rows are counted.

  python benchmarks/failover.py --mode kill --trials 10
  python benchmarks/failover.py --mode switchover --trials 10
  python benchmarks/failover.py --mode partition --trials 3
Needs the lab up with site.yml applied (`make lab`).
"""

import argparse
import importlib
import json
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from base64 import b64encode
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
write_probe = importlib.import_module("write_probe")

SECRETS = REPO / "inventories" / "lab" / ".secrets"
NETWORK = "odoo-saas-lab"


def lab_info():
    out = subprocess.run([sys.executable, str(REPO / "lab" / "lab.py"), "info", "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


class Cluster:
    def __init__(self, info):
        self.api = {e["host"]: e["url"] for e in info["endpoints"] if e["name"] == "patroni-api"}
        self.ctx = ssl.create_default_context(cafile=str(SECRETS / "pki" / "ca.crt"))
        password = (SECRETS / "postgres" / "restapi").read_text().split()[0]
        self.auth = "Basic " + b64encode(f"patroni:{password}".encode()).decode()

    def call(self, method, path, body=None, host=None):
        for name, url in ([(host, self.api[host])] if host else self.api.items()):
            req = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body else None)
            req.add_header("Authorization", self.auth)
            req.add_header("Content-Type", "application/json")
            try:
                with urllib.request.urlopen(req, timeout=2, context=self.ctx) as resp:
                    return json.loads(resp.read() or b"null")
            except (OSError, ValueError):
                continue
        return None

    def state(self):
        cluster = self.call("GET", "/cluster") or {"members": []}
        members = cluster["members"]
        leader = next((m["name"] for m in members if m["role"] == "leader"), None)
        return leader, members

    def wait_healthy(self, timeout=180):
        """All members back: one leader and every other member streaming."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            leader, members = self.state()
            if leader and len(members) == len(self.api) and all(m["state"] in ("running", "streaming") for m in members):
                if all(m["state"] == "streaming" for m in members if m["name"] != leader):
                    return leader
            time.sleep(1)
        raise SystemExit("the cluster did not become healthy again within %s s" % timeout)


def dsn(info):
    rw = next(e for e in info["endpoints"] if e["name"] == "postgres-rw")
    password = (SECRETS / "postgres" / "platform_admin").read_text().split()[0]
    return (f"host={rw['address']} port={rw['port']} dbname=write_probe user=platform_admin password={password} "
            f"sslmode=verify-ca sslrootcert={SECRETS / 'pki' / 'ca.crt'}")


def trial(cluster, conn_dsn, mode, run_id):
    leader = cluster.wait_healthy()
    result = {}
    seconds = 20 if mode == "switchover" else 40
    writer = threading.Thread(target=lambda: result.update(write_probe.write(conn_dsn, seconds, run_id, 0.02)))
    writer.start()
    time.sleep(3)
    disrupted = time.time()
    if mode == "kill":
        subprocess.run(["docker", "kill", leader], check=True, capture_output=True)
    elif mode == "partition":
        subprocess.run(["docker", "network", "disconnect", NETWORK, leader], check=True, capture_output=True)
    else:
        cluster.call("POST", "/switchover", {"leader": leader})
    # Stop writing once writes have come back for a while, then restore the old leader.
    writer.join()
    if mode == "kill":
        subprocess.run(["docker", "start", leader], check=True, capture_output=True)
    elif mode == "partition":
        subprocess.run(["docker", "network", "connect", NETWORK, leader], check=True, capture_output=True)
    cluster.wait_healthy()
    outages = [o for o in result["outages"] if o["start"] >= disrupted - 1]
    gap = max((o.get("seconds", float("inf")) for o in outages), default=0.0)
    check = write_probe.check(conn_dsn, result)
    return {"old_leader": leader, "gap": gap, "acked": check["acked"], "lost": check["lost"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["kill", "switchover", "partition"], default="kill")
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    info = lab_info()
    cluster, conn_dsn = Cluster(info), dsn(info)
    write_probe.setup(conn_dsn, "bench")
    config = cluster.call("GET", "/config")
    print(f"mode={args.mode} trials={args.trials} ttl={config['ttl']} loop_wait={config['loop_wait']} "
          f"retry_timeout={config['retry_timeout']} synchronous_mode={config.get('synchronous_mode')}")
    gaps = []
    for number in range(1, args.trials + 1):
        outcome = trial(cluster, conn_dsn, args.mode, f"bench-{args.mode}-{int(time.time())}-{number}")
        gaps.append(outcome["gap"])
        print(f"trial {number}: leader {outcome['old_leader']} write gap {outcome['gap']:.2f} s, "
              f"acked {outcome['acked']}, lost {outcome['lost']}", flush=True)
    print(f"write gap: median {statistics.median(gaps):.2f} s, max {max(gaps):.2f} s, min {min(gaps):.2f} s over {len(gaps)} trials")


if __name__ == "__main__":
    main()
