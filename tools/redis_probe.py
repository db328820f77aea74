#!/usr/bin/env python3
"""Write numbered keys to Redis through Sentinel discovery and record which writes were acknowledged.

Used by the Sentinel failover test and benchmark. The client is what the redis role's docs
recommend to applications: it asks Sentinel for the master on every reconnect, with short
timeouts and one immediate retry (redis-py's default backoff stretches a 6 s failover to
close to a minute). It runs for a bounded time against lab addresses only.

  redis_probe.py write --sentinel HOST:PORT [--sentinel ...] --master NAME --user U \
      --password-file F --sentinel-password-file F --ca CA --seconds 30 --prefix tenant:x:probe \
      [--kill-after 3 --kill-cmd "..."] --out result.json

The result: acknowledged writes, the longest time without a successful write (the failover
time a client sees), the master before and after, and how many acknowledged keys the master
still has at the end (lost writes).
"""

import argparse
import json
import shlex
import subprocess
import sys
import threading
import time

from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry
from redis.sentinel import Sentinel


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def sentinel_client(args):
    tls = dict(ssl=True, ssl_ca_certs=args.ca) if args.ca else {}
    sentinels = [(a.rsplit(":", 1)[0], int(a.rsplit(":", 1)[1])) for a in args.sentinel]
    sentinel = Sentinel(
        sentinels,
        sentinel_kwargs=dict(password=read(args.sentinel_password_file), socket_timeout=0.5, socket_connect_timeout=0.5, **tls),
        socket_timeout=0.5,
        socket_connect_timeout=0.5,
        **tls,
    )
    master = sentinel.master_for(
        args.master,
        username=args.user,
        password=read(args.password_file),
        retry=Retry(NoBackoff(), 1),
        **tls,
    )
    return sentinel, master


def run(args):
    sentinel, master = sentinel_client(args)
    before = sentinel.discover_master(args.master)
    for key in master.scan_iter(match=args.prefix + ":*", count=1000):
        master.delete(key)
    acked, errors = [], 0
    last_ok = time.monotonic()
    longest_gap, outage_start, outage_end = 0.0, None, None
    killer = None
    if args.kill_cmd:
        killer = threading.Timer(args.kill_after, subprocess.run, [shlex.split(args.kill_cmd)], dict(check=True))
        killer.start()
    deadline = time.monotonic() + args.seconds
    seq = 0
    while time.monotonic() < deadline:
        seq += 1
        try:
            master.set("%s:%d" % (args.prefix, seq), seq)
        except RedisError:
            errors += 1
            time.sleep(args.interval)
            continue
        now = time.monotonic()
        acked.append(seq)
        if now - last_ok > longest_gap:
            longest_gap, outage_start, outage_end = now - last_ok, last_ok, now
        last_ok = now
        time.sleep(args.interval)
    if killer:
        killer.join()
    after = sentinel.discover_master(args.master)
    present = set()
    keys = ["%s:%d" % (args.prefix, s) for s in acked]
    for start in range(0, len(keys), 500):
        values = master.mget(keys[start:start + 500])
        present.update(acked[start + i] for i, v in enumerate(values) if v is not None)
    return dict(
        master_before="%s:%s" % before,
        master_after="%s:%s" % after,
        failed_over=before != after,
        acknowledged=len(acked),
        errors=errors,
        lost=len(acked) - len(present),
        longest_gap_seconds=round(longest_gap, 3),
        gap_started_after_seconds=round(outage_start - (deadline - args.seconds), 3) if outage_start else None,
        gap_ended_after_seconds=round(outage_end - (deadline - args.seconds), 3) if outage_end else None,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    write = sub.add_parser("write", help="write keys for a bounded time, optionally killing the master on the way")
    write.add_argument("--sentinel", action="append", required=True, metavar="HOST:PORT")
    write.add_argument("--master", required=True)
    write.add_argument("--user", required=True)
    write.add_argument("--password-file", required=True)
    write.add_argument("--sentinel-password-file", required=True)
    write.add_argument("--ca", help="CA bundle; TLS is used when given")
    write.add_argument("--prefix", required=True, help="key prefix inside the user's key pattern")
    write.add_argument("--seconds", type=float, default=30.0)
    write.add_argument("--interval", type=float, default=0.02)
    write.add_argument("--kill-after", type=float, default=3.0)
    write.add_argument("--kill-cmd", help="command that kills the current master, run once after --kill-after seconds")
    write.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must be between 1 and 600")
    result = run(args)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
