"""Constant-rate HTTPS requests to a tenant through the edge, counted, until told to stop.

Used by rolling_upgrade.yml (and its test) to measure what users see during an upgrade:
every request is counted as ok (2xx/3xx) or failed (anything else, or no answer), with the
latency percentiles. Stops when --stop-file exists or after --max-seconds; writes one JSON object.

  http_probe.py --address 10.0.0.9 --host acme.example.com --ca ca.crt --rps 25 \
      --path /web/login --stop-file /tmp/stop --max-seconds 900 --out result.json
"""

import argparse
import http.client
import json
import os
import ssl
import sys
import threading
import time


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000, 2)


class Probe:
    def __init__(self, args):
        self.args = args
        self.context = ssl.create_default_context(cafile=args.ca)
        self.lock = threading.Lock()
        self.ok = 0
        self.failed = []
        self.latencies = []

    def once(self, sent_at):
        args = self.args
        conn = http.client.HTTPSConnection(args.address, args.port, timeout=args.timeout, context=self.context)
        status, error = None, None
        try:
            conn.request("GET", args.path, headers={"Host": args.host, "X-Forwarded-For": args.client_ip})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
        finally:
            conn.close()
        elapsed = time.monotonic() - sent_at
        with self.lock:
            if status is not None and status < 400:
                self.ok += 1
                self.latencies.append(elapsed)
            else:
                self.failed.append({"at": round(time.time(), 3), "status": status, "error": error})

    def run(self):
        args = self.args
        start = time.monotonic()
        started_at = time.time()
        interval = 1.0 / args.rps
        threads = []
        sent = 0
        while True:
            now = time.monotonic()
            if now - start > args.max_seconds or (args.stop_file and os.path.exists(args.stop_file)):
                break
            due = start + sent * interval
            if due > now:
                time.sleep(min(due - now, 0.05))
                continue
            thread = threading.Thread(target=self.once, args=(time.monotonic(),), daemon=True)
            thread.start()
            threads.append(thread)
            sent += 1
            threads = [t for t in threads if t.is_alive()]
        for thread in threads:
            thread.join(args.timeout + 1)
        duration = time.monotonic() - start
        return {
            "host": args.host,
            "path": args.path,
            "started_at": round(started_at, 3),
            "duration_s": round(duration, 2),
            "target_rps": args.rps,
            "sent": sent,
            "ok": self.ok,
            "failed": len(self.failed),
            "achieved_rps": round(sent / duration, 2) if duration else 0,
            "latency_ms": {"p50": percentile(self.latencies, 0.50), "p99": percentile(self.latencies, 0.99),
                           "max": percentile(self.latencies, 1.0)},
            "failures": self.failed[:50],
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--address", required=True, help="edge address to connect to")
    parser.add_argument("--port", type=int, default=443)
    parser.add_argument("--host", required=True, help="the tenant's host name (SNI is the address; Host is this)")
    parser.add_argument("--ca", required=True)
    parser.add_argument("--path", default="/web/login")
    parser.add_argument("--rps", type=float, default=25)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--client-ip", default="198.51.100.7", help="X-Forwarded-For, the client the rate limit keys on")
    parser.add_argument("--stop-file")
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--out")
    args = parser.parse_args()
    result = Probe(args).run()
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
