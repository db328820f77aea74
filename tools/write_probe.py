#!/usr/bin/env python3
"""Write numbered rows through a PostgreSQL endpoint and record which writes were acknowledged.

Used by the failover tests and benchmarks: every INSERT that returned success is an
acknowledged write; afterwards `--check` counts how many of them the database still has.
The probe runs for a bounded time against an address of the lab only.

  write_probe.py write --dsn DSN --seconds 60 --out probe.json [--start-file F]
  write_probe.py check --dsn DSN --acked probe.json
"""

import argparse
import json
import sys
import time

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

TABLE = "write_probe"


def setup(dsn, run_id):
    """Create the probe's database (the role needs CREATEDB) and table; forget an earlier run of this id."""
    params = conninfo_to_dict(dsn)
    with psycopg.connect(make_conninfo(dsn, dbname="postgres"), autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (params["dbname"],)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["dbname"])))
    with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (run text, seq bigint, at timestamptz DEFAULT now(), PRIMARY KEY (run, seq))")
        conn.execute(f"DELETE FROM {TABLE} WHERE run = %s", (run_id,))


def write(dsn, seconds, run_id, interval):
    """Insert rows until `seconds` pass; return the acknowledged sequence numbers and outages."""
    acked, outages = [], []
    conn, seq, failing_since = None, 0, None
    deadline = time.monotonic() + seconds
    started = time.time()
    while time.monotonic() < deadline:
        seq += 1
        try:
            if conn is None:
                conn = psycopg.connect(dsn, autocommit=True, connect_timeout=2)
            conn.execute(f"INSERT INTO {TABLE} (run, seq) VALUES (%s, %s)", (run_id, seq))
        except psycopg.Error as exc:
            if failing_since is None:
                failing_since = time.time()
                outages.append({"start": failing_since, "error": str(exc).splitlines()[0][:200]})
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)
            continue
        acked.append(seq)
        if failing_since is not None:
            outages[-1]["end"] = time.time()
            outages[-1]["seconds"] = round(outages[-1]["end"] - failing_since, 3)
            failing_since = None
        time.sleep(interval)
    if conn is not None:
        conn.close()
    return {"run": run_id, "started": started, "ended": time.time(), "attempted": seq, "acked": acked, "outages": outages}


def check(dsn, result):
    with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
        present = {row[0] for row in conn.execute(f"SELECT seq FROM {TABLE} WHERE run = %s", (result["run"],))}
    lost = sorted(set(result["acked"]) - present)
    return {"run": result["run"], "acked": len(result["acked"]), "present": len(present), "lost": len(lost), "lost_sample": lost[:20]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["write", "check"])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--seconds", type=float, default=30, help="how long to write (at most 600)")
    parser.add_argument("--interval", type=float, default=0.02, help="pause between writes")
    parser.add_argument("--run", default=str(int(time.time())), help="run id stored with each row")
    parser.add_argument("--out", help="write: where to put the result")
    parser.add_argument("--acked", help="check: a result written by `write`")
    args = parser.parse_args(argv)
    if args.action == "write":
        seconds = min(args.seconds, 600)
        setup(args.dsn, args.run)
        result = write(args.dsn, seconds, args.run, args.interval)
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump(result, out)
        print(json.dumps({k: v for k, v in result.items() if k != "acked"} | {"acked": len(result["acked"])}))
    else:
        with open(args.acked, encoding="utf-8") as src:
            report = check(args.dsn, json.load(src))
        print(json.dumps(report))
        return 1 if report["lost"] else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
