#!/usr/bin/env python3
"""Sentinel failover benchmark on the lab's `sessions` Redis. Prints figures; asserts nothing.

Each trial writes keys through Sentinel discovery (tools/redis_probe.py, the client settings the
redis role documents) while the master is killed (SIGKILL, then kept down). The figure is the
longest time without an acknowledged write. The old master is started again and must be a
replica before the next trial. A final load run without any kill counts spurious failovers.

  python benchmarks/sentinel_failover.py --trials 5 --quiet-seconds 60
Needs the lab up with site.yml applied (`make lab`).
"""

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
redis_probe = importlib.import_module("redis_probe")

SECRETS = REPO / "inventories" / "lab" / ".secrets"


def lab_hosts():
    out = subprocess.run([sys.executable, str(REPO / "lab" / "lab.py"), "info", "--json"], check=True, capture_output=True, text=True)
    return {h["address"]: h["name"] for h in json.loads(out.stdout)["hosts"] if "redis" in h["groups"]}


def probe_args(hosts, seconds, kill_cmd, workdir):
    return argparse.Namespace(
        sentinel=["%s:26379" % address for address in sorted(hosts)],
        master="sessions",
        user="platform-admin",
        password_file=str(SECRETS / "redis" / "platform-admin"),
        sentinel_password_file=str(SECRETS / "redis" / "sentinel"),
        ca=str(SECRETS / "pki" / "ca.crt"),
        prefix="bench:failover",
        seconds=seconds,
        interval=0.02,
        kill_after=3.0,
        kill_cmd=kill_cmd,
        out=str(Path(workdir) / "probe.json"),
    )


def role_of(host):
    admin = (SECRETS / "redis" / "platform-admin").read_text().split()[0]
    out = subprocess.run(
        ["docker", "exec", "-e", "REDISCLI_AUTH=" + admin, host, "redis-cli", "--tls", "--cacert", "/etc/odoo-saas/tls/ca.crt",
         "-h", "127.0.0.1", "-p", "6379", "--no-auth-warning", "--user", "platform-admin", "ROLE"],
        capture_output=True, text=True, check=False,
    )
    return out.stdout.split()[:1]


def current_master(hosts, args):
    sentinel, _ = redis_probe.sentinel_client(args)
    return hosts[sentinel.discover_master("sessions")[0]]


def trial(hosts, workdir, seconds):
    args = probe_args(hosts, seconds, None, workdir)
    master = current_master(hosts, args)
    args.kill_cmd = "docker exec %s sh -c 'systemctl kill --signal=SIGKILL redis-sessions && systemctl stop redis-sessions'" % master
    result = redis_probe.run(args)
    subprocess.run(["docker", "exec", master, "systemctl", "start", "redis-sessions"], check=True)
    deadline = time.monotonic() + 120
    while role_of(master) != ["slave"] and time.monotonic() < deadline:
        time.sleep(1)
    result["killed"] = master
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each trial's write run")
    parser.add_argument("--quiet-seconds", type=float, default=60.0, help="load run without a kill, for spurious failovers")
    args = parser.parse_args()
    if not 1 <= args.trials <= 20:
        parser.error("--trials must be between 1 and 20")
    hosts = lab_hosts()
    gaps, lost = [], 0
    with tempfile.TemporaryDirectory() as workdir:
        for number in range(1, args.trials + 1):
            result = trial(hosts, workdir, args.seconds)
            gaps.append(result["longest_gap_seconds"])
            lost += result["lost"]
            print("trial %d: killed %s, %s -> %s, client could not write for %.2f s, %d acknowledged, %d lost"
                  % (number, result["killed"], result["master_before"], result["master_after"],
                     result["longest_gap_seconds"], result["acknowledged"], result["lost"]), flush=True)
            time.sleep(5)
        quiet = redis_probe.run(probe_args(hosts, args.quiet_seconds, None, workdir))
    print()
    print("Sentinel failover (down-after %s, client through Sentinel, 0.5 s timeouts, 1 immediate retry)" % "5000 ms")
    print("  trials:            %d" % len(gaps))
    print("  median:            %.2f s" % statistics.median(gaps))
    print("  min / max:         %.2f / %.2f s" % (min(gaps), max(gaps)))
    print("  acknowledged lost: %d" % lost)
    print("  %d s load run without a kill: %s, longest write gap %.2f s, %d writes"
          % (args.quiet_seconds, "spurious failover" if quiet["failed_over"] else "no failover",
             quiet["longest_gap_seconds"], quiet["acknowledged"]))


if __name__ == "__main__":
    main()
