#!/usr/bin/env python3
"""LAB ONLY: a stand-in for the `odoo` executable. It is not Odoo.

Odoo cannot be installed on the lab machines, so the app tier is tested against this program.
It keeps the parts of Odoo's process contract the platform relies on:

  odoo [-c odoo.conf] [-d DB] [-i MODULES | -u MODULES] [--stop-after-init] [--no-http]
  odoo gevent -c odoo.conf          the websocket (gevent) service on gevent_port

  * reads odoo.conf ([options]) and the same flags, which override the file
  * -i MODULES --stop-after-init    initialises the database (module table, one version row)
  * -u MODULES --stop-after-init    a "schema migration": records this image's version
  * HTTP on http_port: /web/health, /web/login, /web/database/* (refused with list_db = False),
    /standin/notes (reads and writes the tenant's database and Redis, see below), /standin/jobs
    (POST ?count=N queues N integration jobs) and /metrics (queue depth and cron lag, the figures
    Odoo's monitoring modules export)
  * gevent_port: the same pages plus /websocket (a real WebSocket handshake, then an echo)
  * the database of a request: Odoo's dbfilter (%h, %d) and db_name (a list) rules
  * --no-http: cron (max_cron_threads > 0) or a queue worker, a loop writing heartbeats in each
    database of db_name (a pool's cron serves every database of its tenants); a worker also runs
    up to STANDIN_WORKER_JOBS_PER_BEAT queued jobs per beat
  * SIGTERM: stops accepting, finishes the requests in flight, exits 0

Redis sessions use the session_redis environment variables (ODOO_SESSION_REDIS_*), plus
_USERNAME and _SSL_CA_CERTS for ACL users and TLS.
The image's release (STANDIN_RELEASE) is the version a migration records. STANDIN_BROKEN=1 builds an
image whose /web/health always fails, for rollback tests.
"""

import argparse
import base64
import configparser
import hashlib
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
from redis.backoff import NoBackoff
from redis.retry import Retry
from redis.sentinel import Sentinel

RELEASE = os.environ.get("STANDIN_RELEASE", "17.0.0")
BROKEN = os.environ.get("STANDIN_BROKEN") == "1"
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# Integration jobs (order imports, carrier events), like queue_job's table.
QUEUE_TABLE = ("CREATE TABLE IF NOT EXISTS standin_queue_job (id serial PRIMARY KEY, channel text NOT NULL, "
               "state text NOT NULL DEFAULT 'pending', created timestamptz DEFAULT now(), done timestamptz)")


def log(msg):
    print("%s standin %s" % (time.strftime("%Y-%m-%d %H:%M:%S"), msg), flush=True)


def parse_args(argv):
    command = "server"
    if argv and argv[0] in ("server", "gevent"):
        command, argv = argv[0], argv[1:]
    parser = argparse.ArgumentParser(prog="odoo")
    parser.add_argument("-c", "--config")
    parser.add_argument("-d", "--database", dest="db_name")
    parser.add_argument("-i", "--init")
    parser.add_argument("-u", "--update")
    parser.add_argument("--stop-after-init", action="store_true")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--http-port", dest="http_port")
    parser.add_argument("--gevent-port", dest="gevent_port")
    parser.add_argument("--max-cron-threads", dest="max_cron_threads")
    parser.add_argument("--workers", dest="workers")
    parser.add_argument("--db-filter", dest="dbfilter")
    args, _unknown = parser.parse_known_args(argv)  # other Odoo flags are accepted and ignored
    return command, args


def load_options(args):
    options = {"http_port": "8069", "gevent_port": "8072", "db_port": "5432", "list_db": "True",
               "max_cron_threads": "2", "db_sslmode": "prefer", "dbfilter": ""}
    if args.config:
        parser = configparser.ConfigParser(interpolation=None)
        if not parser.read(args.config):
            sys.exit("odoo-standin: cannot read %s" % args.config)
        options.update(parser["options"] if parser.has_section("options") else {})
    for key in ("db_name", "http_port", "gevent_port", "max_cron_threads", "workers", "dbfilter"):
        if getattr(args, key, None):
            options[key] = getattr(args, key)
    return options


def connect(options, dbname):
    return psycopg2.connect(
        host=options.get("db_host") or None, port=options.get("db_port"), user=options.get("db_user"),
        password=options.get("db_password"), dbname=dbname, sslmode=options.get("db_sslmode"),
        connect_timeout=3, application_name="odoo-standin",
    )


def init_database(options, dbname, modules):
    with connect(options, dbname) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS ir_module_module (name text PRIMARY KEY, state text, latest_version text)")
        cur.execute("CREATE TABLE IF NOT EXISTS standin_note (id serial PRIMARY KEY, body text, created timestamptz DEFAULT now())")
        cur.execute("CREATE TABLE IF NOT EXISTS standin_heartbeat (process text PRIMARY KEY, beat timestamptz)")
        cur.execute(QUEUE_TABLE)
        for module in modules:
            cur.execute("INSERT INTO ir_module_module VALUES (%s, 'installed', %s) ON CONFLICT (name) DO NOTHING", (module, RELEASE))
    log("initialised %s with %s at %s" % (dbname, ",".join(modules), RELEASE))


def update_database(options, dbname, modules):
    """The migration: one transaction, so a failure leaves the database as it was."""
    with connect(options, dbname) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM ir_module_module WHERE state = 'installed'")
        if cur.fetchone()[0] == 0:
            sys.exit("odoo-standin: database %s is not initialised (run with -i base first)" % dbname)
        names = modules if modules != ["all"] else None
        cur.execute("UPDATE ir_module_module SET latest_version = %s WHERE state = 'installed'"
                    + (" AND name = ANY(%s)" if names else ""), (RELEASE, names) if names else (RELEASE,))
    log("updated %s to %s" % (dbname, RELEASE))


def pinned(options):
    return [db.strip() for db in (options.get("db_name") or "").split(",") if db.strip()]


def database_for(options, host):
    """Odoo's db_filter(): dbfilter with %h (the host name) and %d (its first label, after a www.),
    then only the databases db_name lists. One database left serves the request.

    Odoo filters the list of the databases its role owns. The stand-in does not list them: its only
    candidate without db_name is the first label, and a database that does not exist answers 404."""
    host = (host or "").split(":")[0]
    first, _, rest = host.partition(".")
    if first == "www" and rest:
        first = rest.partition(".")[0]
    candidates = pinned(options) or [first]
    pattern = options.get("dbfilter")
    if pattern:
        pattern = pattern.replace("%h", re.escape(host)).replace("%d", re.escape(first))
        candidates = [db for db in candidates if re.match(pattern, db)]
    return candidates[0] if len(candidates) == 1 else None


class Sessions:
    """Sessions in Redis through Sentinel, keyed under the tenant's prefix."""

    def __init__(self):
        env = os.environ
        self.enabled = env.get("ODOO_SESSION_REDIS") in ("1", "true", "True")
        self.prefix = env.get("ODOO_SESSION_REDIS_PREFIX", "")
        self.expiration = int(env.get("ODOO_SESSION_REDIS_EXPIRATION", "604800"))
        if not self.enabled:
            return
        tls = {"ssl": True, "ssl_ca_certs": env["ODOO_SESSION_REDIS_SSL_CA_CERTS"]} if env.get("ODOO_SESSION_REDIS_SSL_CA_CERTS") else {}
        hosts = [h.strip() for h in env["ODOO_SESSION_REDIS_SENTINEL_HOST"].split(",") if h.strip()]
        port = int(env.get("ODOO_SESSION_REDIS_SENTINEL_PORT", "26379"))
        sentinel = Sentinel(
            [(h, port) for h in hosts],
            sentinel_kwargs=dict(password=env.get("ODOO_SESSION_REDIS_SENTINEL_PASSWORD"), socket_timeout=2, **tls),
            socket_timeout=5, socket_connect_timeout=2, **tls,
        )
        # One immediate retry: a Sentinel failover or a dropped connection costs a request nothing.
        self.client = sentinel.master_for(
            env["ODOO_SESSION_REDIS_SENTINEL_MASTER_NAME"], username=env.get("ODOO_SESSION_REDIS_USERNAME"),
            password=env.get("ODOO_SESSION_REDIS_PASSWORD"), retry=Retry(NoBackoff(), 1), **tls,
        )

    def new(self, dbname):
        if not self.enabled:
            return None
        sid = uuid.uuid4().hex
        self.client.set("%ssession:%s" % (self.prefix, sid), json.dumps({"db": dbname}), ex=self.expiration)
        return sid

    def count(self):
        return self.client.incr(self.prefix + "notes") if self.enabled else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "odoo-standin"
    timeout = 5  # idle keep-alive connections close, so a stopping server is not held up by them

    def log_message(self, fmt, *args):  # one line per request, like Odoo's werkzeug log
        log("%s %s" % (self.address_string(), fmt % args))

    def reply(self, status, body, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def database(self):
        return database_for(self.server.options, self.headers.get("Host"))

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        path = self.path.split("?")[0]
        try:
            if path == "/web/health":
                return self.reply(500, {"status": "fail"}) if BROKEN else self.reply(200, {"status": "pass"})
            if path.startswith("/web/database"):
                if self.server.options.get("list_db", "True").lower() in ("false", "0"):
                    return self.reply(403, "The database manager has been disabled by the administrator", "text/plain")
                return self.reply(200, "database manager", "text/plain")
            if path == "/websocket" and self.server.websocket:
                return self.websocket()
            dbname = self.database()
            if dbname is None:
                return self.reply(404, "no database for this host", "text/plain")
            if path == "/web/login":
                sid = self.server.sessions.new(dbname)
                body = "<html><title>Odoo (lab stand-in)</title><body>login to %s, release %s</body></html>" % (dbname, RELEASE)
                self.send_response(200)
                if sid:
                    self.send_header("Set-Cookie", "session_id=%s; HttpOnly; Path=/" % sid)
                data = body.encode()
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                return self.wfile.write(data)
            if path == "/standin/notes":
                return self.notes(method, dbname)
            if path == "/standin/jobs" and method == "POST":
                return self.enqueue(dbname)
            if path == "/metrics":
                return self.reply(200, metrics(self.server.options, dbname), "text/plain; version=0.0.4")
            return self.reply(404, "not found", "text/plain")
        except psycopg2.OperationalError as exc:
            log("error: %s" % exc)
            if "does not exist" in str(exc):
                return self.reply(404, "no database for this host", "text/plain")
            return self.reply(503, {"error": type(exc).__name__})
        except (psycopg2.Error, OSError, ValueError) as exc:
            log("error: %s" % exc)
            return self.reply(503, {"error": type(exc).__name__})
        except Exception as exc:  # noqa: BLE001 - a stand-in must answer, like Odoo's 500 page
            log("error: %r" % exc)
            return self.reply(500, {"error": type(exc).__name__})

    def notes(self, method, dbname):
        with connect(self.server.options, dbname) as conn, conn.cursor() as cur:
            if method == "POST":
                length = int(self.headers.get("Content-Length") or 0)
                cur.execute("INSERT INTO standin_note (body) VALUES (%s)", (self.rfile.read(length).decode() or "note",))
            cur.execute("SELECT count(*) FROM standin_note")
            notes = cur.fetchone()[0]
            cur.execute("SELECT latest_version FROM ir_module_module WHERE name = 'base'")
            row = cur.fetchone()
        counter = self.server.sessions.count() if method == "POST" else None
        return self.reply(200, {"database": dbname, "notes": notes, "schema": row[0] if row else None,
                                "release": RELEASE, "redis_counter": counter})

    def enqueue(self, dbname):
        query = dict(part.split("=", 1) for part in self.path.partition("?")[2].split("&") if "=" in part)
        count = min(int(query.get("count", "1")), 10000)
        with connect(self.server.options, dbname) as conn, conn.cursor() as cur:
            cur.execute(QUEUE_TABLE)
            cur.execute("INSERT INTO standin_queue_job (channel) SELECT %s FROM generate_series(1, %s)",
                        (query.get("channel", "integration"), count))
        return self.reply(200, {"database": dbname, "queued": count})

    def websocket(self):
        key = self.headers.get("Sec-WebSocket-Key")
        if self.headers.get("Upgrade", "").lower() != "websocket" or not key:
            return self.reply(400, "websocket upgrade expected", "text/plain")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        payload = json.dumps({"release": RELEASE}).encode()  # one text frame, then close
        self.wfile.write(bytes([0x81, len(payload)]) + payload + bytes([0x88, 0]))
        self.close_connection = True


def metrics(options, dbname):
    """Prometheus text: jobs per channel and state, and how long ago cron and workers last beat."""
    with connect(options, dbname) as conn, conn.cursor() as cur:
        cur.execute(QUEUE_TABLE)
        cur.execute("SELECT channel, state, count(*) FROM standin_queue_job GROUP BY 1, 2 ORDER BY 1, 2")
        jobs = cur.fetchall()
        cur.execute("SELECT split_part(process, '@', 1), EXTRACT(EPOCH FROM now() - max(beat)) FROM standin_heartbeat GROUP BY 1")
        beats = dict(cur.fetchall())
    lines = ["# HELP odoo_queue_jobs Queued jobs by channel and state.", "# TYPE odoo_queue_jobs gauge"]
    seen = set()
    for channel, state, count in jobs:
        seen.add((channel, state))
        lines.append('odoo_queue_jobs{database="%s",channel="%s",state="%s"} %d' % (dbname, channel, state, count))
    if ("integration", "pending") not in seen:
        lines.append('odoo_queue_jobs{database="%s",channel="integration",state="pending"} 0' % dbname)
    for kind, name in (("cron", "odoo_cron_lag_seconds"), ("worker", "odoo_worker_heartbeat_age_seconds")):
        if kind in beats:
            lines += ["# TYPE %s gauge" % name, '%s{database="%s"} %.1f' % (name, dbname, float(beats[kind]))]
    return "\n".join(lines) + "\n"


def run_jobs(cur, limit):
    cur.execute(QUEUE_TABLE)
    cur.execute("UPDATE standin_queue_job SET state = 'done', done = now() WHERE id IN (SELECT id FROM standin_queue_job "
                "WHERE state = 'pending' ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)", (limit,))


def serve(options, port, websocket):
    server = ThreadingHTTPServer(("0.0.0.0", int(port)), Handler)
    server.daemon_threads = False  # server_close() waits for requests in flight
    server.options, server.websocket, server.sessions = options, websocket, Sessions()

    def stop(_signum, _frame):
        log("SIGTERM: finishing requests in flight")
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    log("%s %s listening on %s" % ("gevent" if websocket else "http", RELEASE, port))
    server.serve_forever()
    server.server_close()
    log("stopped")


def background(options, kind):
    """Cron or a queue worker: a heartbeat row per process in each pinned database (db_name a,b,...)."""
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    databases = pinned(options)
    name = "%s@%s" % (kind, socket.gethostname())
    log("%s %s started on %s" % (kind, RELEASE, ",".join(databases)))
    while not stopping.is_set():
        for dbname in databases:
            try:
                with connect(options, dbname) as conn, conn.cursor() as cur:
                    cur.execute("INSERT INTO standin_heartbeat VALUES (%s, now()) ON CONFLICT (process) DO UPDATE SET beat = now()", (name,))
                    if kind == "worker":
                        run_jobs(cur, int(os.environ.get("STANDIN_WORKER_JOBS_PER_BEAT", "5")))
            except psycopg2.Error as exc:
                log("heartbeat failed on %s: %s" % (dbname, exc))
        stopping.wait(float(os.environ.get("STANDIN_HEARTBEAT_SECONDS", "30")))
    log("stopped")


def main(argv):
    command, args = parse_args(argv)
    options = load_options(args)
    modules = lambda value: [m.strip() for m in value.split(",") if m.strip()]  # noqa: E731
    if args.init or args.update:
        dbname = options.get("db_name")
        if not dbname:
            sys.exit("odoo-standin: -i/-u need a database (-d or db_name)")
        if args.init:
            init_database(options, dbname, modules(args.init))
        if args.update:
            update_database(options, dbname, modules(args.update))
        if args.stop_after_init:
            return 0
    if command == "gevent":
        serve(options, options["gevent_port"], websocket=True)
    elif args.no_http:
        background(options, "cron" if int(options.get("max_cron_threads") or 0) > 0 else "worker")
    else:
        serve(options, options["http_port"], websocket=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
