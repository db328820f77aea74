#!/usr/bin/env python3
"""Send HTTPS requests to one host name as fast as N threads can, for a while, and count the answers.

Used by the platform scenario to be a noisy neighbour (a burst over a tenant's rate limit) and a
calm one (a few requests a second), against the lab's Traefik.

  http_burst.py --connect 172.18.0.5 --host demo.odoo-saas.test --cafile ca.crt --seconds 20 --threads 8
                [--rate 2] [--path /web/health] [--client 198.51.100.9]

Prints {"status": {"200": n, "429": m, ...}, "requests": total, "seconds": s}.
"""

import argparse
import http.client
import json
import socket
import ssl
import threading
import time


class Connection(http.client.HTTPSConnection):
    """HTTPS to a fixed address with the certificate checked for the host name (curl --resolve)."""

    def __init__(self, address, host, context):
        super().__init__(host, 443, context=context, timeout=5)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, 443), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def worker(args, context, deadline, counts, lock):
    conn = Connection(args.connect, args.host, context)
    pause = args.threads / args.rate if args.rate else 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            conn.request("GET", args.path, headers={"X-Forwarded-For": args.client})
            response = conn.getresponse()
            response.read()
            code = str(response.status)
        except (OSError, http.client.HTTPException) as exc:
            code = type(exc).__name__
            conn.close()
            conn = Connection(args.connect, args.host, context)
        with lock:
            counts[code] = counts.get(code, 0) + 1
        if pause:
            time.sleep(max(0.0, pause - (time.monotonic() - started)))
    conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connect", required=True, help="address of Traefik")
    parser.add_argument("--host", required=True, help="the tenant's host name")
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--path", default="/web/health")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rate", type=float, default=0, help="requests per second in all (0: as fast as possible)")
    parser.add_argument("--client", default="198.51.100.9", help="X-Forwarded-For: the client the limit keys on")
    args = parser.parse_args()
    context = ssl.create_default_context(cafile=args.cafile)
    counts, lock = {}, threading.Lock()
    started = time.monotonic()
    deadline = started + args.seconds
    threads = [threading.Thread(target=worker, args=(args, context, deadline, counts, lock)) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"status": counts, "requests": sum(counts.values()), "seconds": round(time.monotonic() - started, 1)}))


if __name__ == "__main__":
    main()
