#!/usr/bin/env python3
"""Tenant onboarding benchmark: time per tenant for batches of 1, 10 and 50, and an unchanged rerun.

Each batch is a set of new tenants (registry entries written to a scratch registry, lab tier,
slots from 100 up) onboarded in one run of playbooks/tenant_onboard.yml. Then every tenant is
onboarded again with nothing changed. Prints the figures and writes them as JSON; asserts nothing.
Isolated tenants get their own containers; shared ones a database in the lab's shared pool.

  python benchmarks/tenant_onboarding.py --batches 1 10 50 [--tenancy shared] [--cleanup]
Needs the lab up with site.yml applied (`make lab`). --cleanup purges the benchmark's tenants.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("ODOO_SAAS_VENV", REPO / ".venv"))
IMAGE = "odoo-saas-lab/odoo-standin:17.0-lab.1"


def playbook(name, *extra):
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), PATH=f"{VENV / 'bin'}:{os.environ['PATH']}")
    start = time.monotonic()
    proc = subprocess.run([str(VENV / "bin" / "ansible-playbook"), f"odoo_saas.platform.{name}", *extra],
                          cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:])
        raise SystemExit(f"{name} failed")
    return elapsed


def write_tenants(registry, prefix, count, first_slot, tenancy):
    names = []
    for index in range(count):
        name = f"{prefix}{index + 1}"
        entry = {"name": name, "hosts": [f"{name}.bench.odoo-saas.test"], "tenancy": tenancy, "tier": "lab",
                 "slot": first_slot + index, "image": IMAGE, "modules": ["base"]}
        (registry / f"{name}.yml").write_text(json.dumps(entry) + "\n", encoding="utf-8")
        names.append(name)
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--tenancy", choices=["isolated", "shared"], default="isolated")
    parser.add_argument("--cleanup", action="store_true", help="purge the benchmark's tenants at the end")
    parser.add_argument("--out", help="default: benchmarks/results/tenant_onboarding_<tenancy>.json")
    args = parser.parse_args()
    out = Path(args.out or REPO / "benchmarks" / "results" / f"tenant_onboarding_{args.tenancy}.json")

    registry = Path(tempfile.mkdtemp(prefix="bench-registry-"))
    results, slot, all_names = [], 100, []
    for batch, count in enumerate(args.batches):
        names = write_tenants(registry, f"b{batch}t" if args.tenancy == "isolated" else f"b{batch}s", count, slot, args.tenancy)
        slot += count
        all_names += names
        elapsed = playbook("tenant_onboard", "-e", f"tenant_registry_dir={registry}", "-e", json.dumps({"tenants": names}))
        results.append({"tenants": count, "seconds": round(elapsed, 1), "per_tenant_s": round(elapsed / count, 2)})
        print(f"onboard {count:3d} new tenants: {elapsed:7.1f} s, {elapsed / count:6.2f} s per tenant", flush=True)

    rerun = playbook("tenant_onboard", "-e", f"tenant_registry_dir={registry}", "-e", json.dumps({"tenants": all_names}))
    print(f"rerun over all {len(all_names)} tenants, nothing changed: {rerun:7.1f} s ({rerun / len(all_names):.2f} s per tenant)")
    summary = {"tenancy": args.tenancy, "batches": results, "unchanged_rerun": {"tenants": len(all_names), "seconds": round(rerun, 1)}}

    if args.cleanup:
        for name in all_names:
            playbook("tenant_offboard", "-e", f"tenant_registry_dir={registry}", "-e", f"tenant={name}",
                     "-e", f"confirm={name}", "-e", "purge=true")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
