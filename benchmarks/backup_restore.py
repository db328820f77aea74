#!/usr/bin/env python3
"""Backup and restore throughput of pgBackRest to the lab's S3, and the restore drill's RTO.

Prints figures; asserts nothing. In one run it compares pgBackRest's own defaults
(process-max 1, gz level 6, no bundling) with the pgbackrest role's shipped settings
(process-max 2, lz4, bundling), on the same dataset:

  1. a database of at least 2 GiB, half of it incompressible (random bytes) and half
     compressible text, so compression cannot flatter the figures;
  2. a full backup with each setting (timed on the leader);
  3. a restore of each backup through the restore drill playbook on the scratch host, which
     starts the copy and compares row counts and per-row checksums with the source.

  python benchmarks/backup_restore.py [--gib 2] [--rounds 1]
Needs the lab up with site.yml applied (`make lab`).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STANZA = "odoo-saas"
DATABASE = "bench_backup"
MEMBERS = ["lab-db1", "lab-db2", "lab-db3"]
# pgBackRest's defaults, spelled out, against the role's configuration file as shipped.
SETTINGS = {
    "pgbackrest defaults": ["--process-max=1", "--compress-type=gz", "--compress-level=6", "--no-repo1-bundle"],
    "role defaults": [],
}
RESTORE_SETTINGS = {"pgbackrest defaults": ["--process-max=1"], "role defaults": []}


def sh(host, *argv, user="postgres", check=True):
    proc = subprocess.run(["docker", "exec", "-u", user, host, *argv], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise SystemExit(f"{host}: {' '.join(argv)} failed:\n{proc.stderr.strip()}")
    return proc.stdout.strip()


def psql(host, sql, db="postgres"):
    return sh(host, "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql)


def leader():
    for host in MEMBERS:
        if sh(host, "psql", "-X", "-At", "-c", "SELECT pg_is_in_recovery()", check=False) == "f":
            return host
    raise SystemExit("no leader found: is the lab up (make lab)?")


def make_dataset(host, gib):
    """Half random bytes (stored uncompressed), half repetitive text; created once, reused."""
    rows = int(gib * 1024 * 1024 / 2)  # 1 KiB per row in each table
    if psql(host, f"SELECT count(*) FROM pg_database WHERE datname = '{DATABASE}'") == "0":
        psql(host, f"CREATE DATABASE {DATABASE}")
    existing = psql(host, "SELECT coalesce(sum(n_live_tup), 0) FROM pg_stat_user_tables WHERE relname IN ('random_rows', 'text_rows')", db=DATABASE)
    if int(existing) < 2 * rows:
        print(f"creating {gib} GiB of data ({rows} rows per table) ...", flush=True)
        for sql in [
            "CREATE EXTENSION IF NOT EXISTS pgcrypto",
            "DROP TABLE IF EXISTS random_rows, text_rows",
            "CREATE TABLE random_rows (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), payload bytea)",
            "ALTER TABLE random_rows ALTER COLUMN payload SET STORAGE EXTERNAL",
            f"INSERT INTO random_rows (id, payload) SELECT g, gen_random_bytes(1024) FROM generate_series(1, {rows}) g",
            "CREATE TABLE text_rows (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), payload text)",
            "INSERT INTO text_rows (id, payload) SELECT g, repeat('order ' || (g % 1000) || ' shipped to depot; ', 40) "
            f"FROM generate_series(1, {rows}) g",
            "ANALYZE",
        ]:
            psql(host, sql, db=DATABASE)
    size = int(psql(host, "SELECT sum(pg_database_size(datname)) FROM pg_database"))
    print(f"cluster size: {size / 2**30:.2f} GiB", flush=True)
    # Let the archive catch up with the load so it does not compete with the backups.
    sh(host, "pgbackrest", f"--stanza={STANZA}", "--log-level-console=warn", "check")
    return size


def backup(host, options):
    start = time.monotonic()
    sh(host, "pgbackrest", f"--stanza={STANZA}", "--type=full", "--log-level-console=warn", *options, "backup")
    seconds = time.monotonic() - start
    info = json.loads(sh(host, "pgbackrest", f"--stanza={STANZA}", "--output=json", "info"))
    newest = max(info[0]["backup"], key=lambda b: b["timestamp"]["stop"])
    return newest, seconds


def drill(label, restore_options):
    checks = [{"database": DATABASE, "table": t, "time_column": "created_at"} for t in ("random_rows", "text_rows")]
    extra = {"restore_drill_type": "set", "restore_drill_set": label, "restore_drill_checks": checks,
             "restore_drill_pgbackrest_options": restore_options}
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(REPO / "inventories" / "lab"),
         "odoo_saas.platform.restore_drill", "-e", json.dumps(extra)],
        cwd=REPO, env=env, capture_output=True, text=True)
    match = re.search(r"report (\S+)\.md", proc.stdout)
    if not match:
        raise SystemExit(f"restore drill gave no report:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}")
    return json.loads(Path(match.group(1) + ".json").read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gib", type=float, default=2.0, help="dataset size (GiB, half incompressible)")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds of both settings")
    args = parser.parse_args()

    host = leader()
    size = make_dataset(host, args.gib)
    results = {name: [] for name in SETTINGS}
    for round_no in range(1, args.rounds + 1):
        for name, options in SETTINGS.items():
            info, backup_s = backup(host, options)
            report = drill(info["label"], RESTORE_SETTINGS[name])
            mib = info["info"]["size"] / 2**20
            row = {
                "round": round_no, "backup": info["label"], "repo_mib": round(info["info"]["repository"]["size"] / 2**20),
                "backup_s": round(backup_s, 1), "backup_mib_s": round(mib / backup_s, 1),
                "restore_s": report["restore_seconds"], "restore_mib_s": report["restore_throughput_mib_s"],
                "rto_s": report["rto_seconds"], "verified": f"{report['checks_passed']}/{len(report['checks'])}",
                "verdict": report["verdict"],
            }
            results[name].append(row)
            print(f"{name:20} {json.dumps(row)}", flush=True)

    print(f"\ndataset {size / 2**30:.2f} GiB (half random bytes), {args.rounds} round(s), median per setting:")
    print(f"{'setting':20} {'backup MiB/s':>12} {'restore MiB/s':>13} {'drill RTO s':>11} {'repo MiB':>9} verified")
    for name, rows in results.items():
        med = {k: statistics.median(r[k] for r in rows) for k in ("backup_mib_s", "restore_mib_s", "rto_s", "repo_mib")}
        print(f"{name:20} {med['backup_mib_s']:12.1f} {med['restore_mib_s']:13.1f} {med['rto_s']:11.1f} {med['repo_mib']:9.0f} "
              f"{', '.join(r['verified'] + ' ' + r['verdict'] for r in rows)}")
    base, ours = (statistics.median(r["restore_mib_s"] for r in results[n]) for n in SETTINGS)
    base_b, ours_b = (statistics.median(r["backup_mib_s"] for r in results[n]) for n in SETTINGS)
    print(f"\nrole defaults vs pgBackRest defaults: restore {ours / base:.2f}x, backup {ours_b / base_b:.2f}x (goal: restore >= 1.8x)")


if __name__ == "__main__":
    main()
