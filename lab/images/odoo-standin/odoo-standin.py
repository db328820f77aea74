#!/usr/bin/env python3
"""LAB ONLY: a stand-in for the `odoo` executable of the official image. It is not Odoo.

Odoo cannot be installed on the lab machines, so the app tier is tested against this program. It is a
test double of Odoo 17.0 (and 18.0 where they differ, by STANDIN_RELEASE), failures included: each
behaviour names the Odoo source file and function it mirrors (17.0 paths; see the collection's
odoo-contract notes). Where it is still kinder than Odoo, the comment says "NOT ODOO".

  odoo [-c odoo.conf] [-d DB] [-i MODULES | -u MODULES] [--stop-after-init] [--no-http]
  odoo gevent -c odoo.conf          the websocket (gevent) service on gevent_port

Environment of the image: STANDIN_RELEASE (the build; base's manifest version), STANDIN_BROKEN=1 (a
build whose registry cannot serve: /web/health stays green, /web/login fails), STANDIN_FAIL_MODULE (a
module whose install or update raises, after the modules before it were committed).
"""

import argparse
import ast
import base64
import configparser
import getpass
import hashlib
import hmac
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
from urllib.parse import parse_qs

import psycopg2
from redis.backoff import NoBackoff
from redis.retry import Retry
from redis.sentinel import Sentinel

RELEASE = os.environ.get("STANDIN_RELEASE", "17.0.1")
SERIES = ".".join(RELEASE.split(".")[:2])
BROKEN = os.environ.get("STANDIN_BROKEN") == "1"
FAIL_MODULE = os.environ.get("STANDIN_FAIL_MODULE", "")
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# Where the official image's Debian package puts Odoo's own addons.
ROOT_ADDONS = "/usr/lib/python3/dist-packages/odoo/addons"
# Seconds a module takes to install (an update takes half): a real base install takes about 20 s and
# stock about 30 s; the lab keeps the order of magnitude between modules, not the size.
INSTALL_SECONDS = {"base": 2.0, "mail": 1.0, "product": 1.5, "stock": 3.0, "account": 2.0, "sale": 1.5}
# odoo/addons/base/models/res_users.py: MIN_ROUNDS, the pbkdf2_sha512 work factor of _crypt_context().
MIN_ROUNDS = 600000
# Integration jobs (order imports, carrier events). NOT ODOO: OCA queue_job's table is queue_job.
QUEUE_TABLE = ("CREATE TABLE IF NOT EXISTS standin_queue_job (id serial PRIMARY KEY, channel text NOT NULL, "
               "state text NOT NULL DEFAULT 'pending', created timestamptz DEFAULT now(), done timestamptz)")


def log(level, msg):
    print("%s %d %s odoo.standin: %s" % (time.strftime("%Y-%m-%d %H:%M:%S"), os.getpid(), level, msg), flush=True)


class InitError(Exception):
    """A module that failed to install or update (odoo/modules/loading.py: load_module_graph raises)."""


# ---------------------------------------------------------------- configuration


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
    parser.add_argument("--addons-path", dest="addons_path")
    # The entrypoint's --db_host ... when odoo.conf lacks them (odoo/docker 17.0/entrypoint.sh).
    for name in ("db_host", "db_port", "db_user", "db_password"):
        parser.add_argument("--" + name, dest=name)
    args, _unknown = parser.parse_known_args(argv)  # other Odoo flags are accepted and ignored
    return command, args


def load_options(args):
    """odoo/tools/config.py: configmanager.parse_config: the file (-c, else ODOO_RC), then the flags."""
    options = {"http_port": "8069", "gevent_port": "8072", "db_port": "5432", "list_db": "True",
               "max_cron_threads": "2", "db_sslmode": "prefer", "dbfilter": "", "data_dir": "/var/lib/odoo",
               "addons_path": "", "db_name": ""}
    path = args.config or os.environ.get("ODOO_RC")
    if path:
        parser = configparser.ConfigParser(interpolation=None)
        if not parser.read(path):
            sys.exit("odoo: cannot read %s" % path)
        options.update(parser["options"] if parser.has_section("options") else {})
    for key in ("db_name", "http_port", "gevent_port", "max_cron_threads", "workers", "dbfilter", "addons_path",
                "db_host", "db_port", "db_user", "db_password"):
        if getattr(args, key, None):
            options[key] = getattr(args, key)
    return options


def check_user():
    """odoo/cli/server.py: check_root_user() calls getpass.getuser(), which raises KeyError for a uid
    without a passwd entry: a container run as a uid the image does not know dies at start."""
    name = getpass.getuser()
    if name == "root":
        sys.stderr.write("Running as user 'root' is a security risk.\n")
    return name


def addons_paths(options):
    """odoo/modules/module.py: initialize_sys_path(): the addons_path entries, then Odoo's own addons
    directory, which is always there. A config without /mnt/extra-addons loses every module in it."""
    paths = [p.strip() for p in (options.get("addons_path") or "").split(",") if p.strip()]
    return paths + ([ROOT_ADDONS] if ROOT_ADDONS not in paths else [])


def available_modules(options):
    """odoo/modules/module.py: get_modules() and load_manifest(): a module is a directory with a
    __manifest__.py; its version is adapt_version()'s '<series>.<version>'."""
    found = {}
    for path in addons_paths(options):
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            manifest = os.path.join(path, name, "__manifest__.py")
            if name in found or not os.path.isfile(manifest):
                continue
            with open(manifest) as handle:
                info = ast.literal_eval(handle.read())
            version = info.get("version", "1.0")
            found[name] = {"depends": info.get("depends", []),
                           "version": version if version.startswith(SERIES + ".") else "%s.%s" % (SERIES, version)}
    return found


# ---------------------------------------------------------------- database


def connect(options, dbname):
    return psycopg2.connect(
        host=options.get("db_host") or None, port=options.get("db_port"), user=options.get("db_user"),
        password=options.get("db_password"), dbname=dbname, sslmode=options.get("db_sslmode"),
        connect_timeout=3, application_name="odoo",
    )


def ab64(data):
    """passlib's adapted base64 (the alphabet of pbkdf2_sha512 hashes)."""
    return base64.b64encode(data).decode().replace("+", ".").rstrip("=")


def hash_password(password, rounds=MIN_ROUNDS):
    """odoo/addons/base/models/res_users.py: _crypt_context().hash(): passlib's pbkdf2_sha512."""
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, rounds)
    return "$pbkdf2-sha512$%d$%s$%s" % (rounds, ab64(salt), ab64(digest))


def verify_password(password, stored):
    """odoo/addons/base/models/res_users.py: _check_credentials(): verify_and_update() against the
    context ['pbkdf2_sha512', 'plaintext']: any rounds verify; a value that is no hash is plaintext."""
    match = re.match(r"^\$pbkdf2-sha512\$(\d+)\$([./A-Za-z0-9]*)\$([./A-Za-z0-9]+)$", stored or "")
    if not match:
        return bool(stored) and hmac.compare_digest(password.encode(), stored.encode())

    def unab64(text):
        text = text.replace(".", "+")
        return base64.b64decode(text + "=" * (-len(text) % 4))
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), unab64(match.group(2)), int(match.group(1)))
    return hmac.compare_digest(digest, unab64(match.group(3)))


def is_initialized(cur):
    """odoo/modules/db.py: is_initialized(): the ir_module_module table exists."""
    cur.execute("SELECT to_regclass('public.ir_module_module') IS NOT NULL")
    return cur.fetchone()[0]


def initialize(cur, modules):
    """odoo/modules/db.py: initialize(): the base tables, and a row for every module found on disk,
    'uninstalled' (base 'to install')."""
    cur.execute("CREATE TABLE ir_module_module (id serial PRIMARY KEY, name text UNIQUE NOT NULL, state text NOT NULL, "
                "latest_version text, write_date timestamp DEFAULT (now() AT TIME ZONE 'UTC'))")
    for name in modules:
        cur.execute("INSERT INTO ir_module_module (name, state) VALUES (%s, %s)", (name, "to install" if name == "base" else "uninstalled"))


def update_list(cur, modules):
    """odoo/addons/base/models/ir_module.py: update_list(): modules new on disk are added 'uninstalled'."""
    for name in modules:
        cur.execute("INSERT INTO ir_module_module (name, state) VALUES (%s, 'uninstalled') ON CONFLICT (name) DO NOTHING", (name,))


def check_module_names(cur, names):
    """odoo/modules/loading.py: _check_module_names(): unknown names are only a warning, and the run
    goes on (exit 0) without them."""
    cur.execute("SELECT name FROM ir_module_module")
    known = {row[0] for row in cur.fetchall()}
    wrong = sorted(set(names) - known - {"all"})
    if wrong:
        log("WARNING", "invalid module names, ignored: %s" % ", ".join(wrong))
    return [n for n in names if n in known]


def closure(names, modules):
    """odoo/addons/base/models/ir_module.py: button_install() marks the dependencies too; the graph
    (odoo/modules/graph.py) loads a module after its dependencies."""
    order, seen = [], set()

    def visit(name):
        if name in seen or name not in modules:
            return
        seen.add(name)
        for dep in modules[name]["depends"]:
            visit(dep)
        order.append(name)
    for name in names:
        visit(name)
    return order


def install_base_data(cur):
    """odoo/addons/base/data/res_users_data.xml: user_admin is created with login 'admin' and
    password 'admin' (hashed by res_users._set_password()). Nothing changes it afterwards."""
    cur.execute("CREATE TABLE IF NOT EXISTS res_users (id integer PRIMARY KEY, login text UNIQUE NOT NULL, "
                "password text, active boolean DEFAULT true)")
    cur.execute("CREATE TABLE IF NOT EXISTS ir_model_data (module text, name text, model text, res_id integer, "
                "PRIMARY KEY (module, name))")
    cur.execute("INSERT INTO res_users VALUES (1, '__system__', NULL, false), (2, 'admin', %s, true) ON CONFLICT DO NOTHING",
                (hash_password("admin"),))
    cur.execute("INSERT INTO ir_model_data VALUES ('base', 'user_root', 'res.users', 1), ('base', 'user_admin', 'res.users', 2) "
                "ON CONFLICT DO NOTHING")
    # odoo/addons/base/models/ir_cron.py: the ir_cron table, with nextcall and lastcall.
    cur.execute("CREATE TABLE IF NOT EXISTS ir_cron (id serial PRIMARY KEY, cron_name text, active boolean DEFAULT true, "
                "interval_number integer DEFAULT 1, nextcall timestamp, lastcall timestamp)")
    # NOT ODOO: the stand-in's page and heartbeat tables; the queue is OCA queue_job's in Odoo.
    cur.execute("CREATE TABLE IF NOT EXISTS standin_note (id serial PRIMARY KEY, body text, created timestamptz DEFAULT now())")
    cur.execute("CREATE TABLE IF NOT EXISTS standin_heartbeat (process text PRIMARY KEY, beat timestamptz)")
    cur.execute(QUEUE_TABLE)


def load_marked(conn, modules, states, update):
    """odoo/modules/loading.py: load_marked_modules() and load_module_graph(): each module marked with
    `states` is loaded after its dependencies, and the transaction is COMMITTED after each one
    (load_module_graph: env.cr.commit()). A kill leaves the rest 'to install'/'to upgrade'; a failure
    at module N leaves 1..N-1 done. Nothing is atomic."""
    with conn.cursor() as cur:
        cur.execute("SELECT name FROM ir_module_module WHERE state = ANY(%s)", (list(states),))
        marked = {row[0] for row in cur.fetchall()}
    for name in closure(sorted(marked), modules):
        if name not in marked:
            continue
        log("INFO", "Loading module %s (%s)" % (name, "update" if update else "install"))
        time.sleep(INSTALL_SECONDS.get(name, 0.5) * (0.5 if update else 1.0))
        if name == FAIL_MODULE:
            conn.rollback()
            raise InitError("module %s: failed to %s (STANDIN_FAIL_MODULE)" % (name, "update" if update else "install"))
        with conn.cursor() as cur:
            if name == "base" and not update:
                install_base_data(cur)
            cur.execute("UPDATE ir_module_module SET state = 'installed', latest_version = %s, "
                        "write_date = now() AT TIME ZONE 'UTC' WHERE name = %s", (modules[name]["version"], name))
        conn.commit()


def reset_modules_state(conn):
    """odoo/modules/loading.py: reset_modules_state(): after a failed load, 'to install' goes back to
    'uninstalled' and 'to upgrade' to 'installed' (a SIGKILL never gets here)."""
    with conn.cursor() as cur:
        cur.execute("UPDATE ir_module_module SET state = 'installed' WHERE state IN ('to remove', 'to upgrade')")
        cur.execute("UPDATE ir_module_module SET state = 'uninstalled' WHERE state = 'to install'")
    conn.commit()
    log("WARNING", "Transient module states were reset")


def has_trigram(cur):
    """odoo/modules/db.py: has_trigram(); odoo/modules/registry.py: check_indexes() skips every
    trigram index when pg_trgm is missing, silently. Odoo creates the extension only when it creates
    the database itself (odoo/service/db.py: _create_empty_database)."""
    cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    return cur.fetchone() is not None


def init_or_update(options, dbname, init, update):
    """odoo/modules/loading.py: load_modules(update_module=True) as `-i`/`-u --stop-after-init` runs it."""
    modules = available_modules(options)
    conn = connect(options, dbname)
    try:
        with conn.cursor() as cur:
            if not is_initialized(cur):
                if not init:
                    log("ERROR", "Database %s not initialized, you can force it with `-i base`" % dbname)
                    return 1
                initialize(cur, modules)
            update_list(cur, modules)
            wanted = check_module_names(cur, init + update)
            if init:
                marked = closure([n for n in wanted if n in init], modules)
                cur.execute("UPDATE ir_module_module SET state = 'to install' WHERE state = 'uninstalled' AND name = ANY(%s)", (marked,))
            if update:
                names = [n for n in wanted if n in update] if "all" not in update else list(modules)
                cur.execute("UPDATE ir_module_module SET state = 'to upgrade' WHERE state = 'installed' AND name = ANY(%s)", (names,))
            trigram = has_trigram(cur)
        conn.commit()
        if not trigram:
            log("INFO", "pg_trgm is not installed in %s: trigram indexes are skipped" % dbname)
        load_marked(conn, modules, ("to install",), update=False)
        load_marked(conn, modules, ("to upgrade",), update=True)
        log("INFO", "Modules loaded in %s" % dbname)
        return 0
    except InitError as exc:
        log("ERROR", "Failed to load registry: %s" % exc)
        reset_modules_state(conn)
        return 1
    finally:
        conn.close()


def names(value):
    """odoo/tools/config.py: -i/-u take a comma-separated list of module names."""
    return [m.strip() for m in (value or "").split(",") if m.strip()]


def pinned(options):
    return [db.strip() for db in (options.get("db_name") or "").split(",") if db.strip()]


def database_for(options, host):
    """odoo/http.py: db_filter() and db_list(): dbfilter with %h (the host name) and %d (its first
    label, after a www.); with dbfilter set, db_name is not a filter of HTTP requests. One database
    left serves the request (monodb). NOT ODOO: Odoo filters the databases its role owns; the stand-in
    takes db_name, else the first label, as its only candidate."""
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


# ---------------------------------------------------------------- sessions


class FileSessions:
    """odoo/http.py: Application.session_store, a FilesystemSessionStore in data_dir/sessions
    (config.session_dir), one file per session in a directory named after its first two characters
    (get_session_filename). Web and gevent processes of a host share them only through the volume."""

    def __init__(self, options):
        self.path = os.path.join(options["data_dir"], "sessions")

    def save(self, sid, data):
        directory = os.path.join(self.path, sid[:2])
        os.makedirs(directory, mode=0o755, exist_ok=True)
        with open(os.path.join(directory, sid), "w") as handle:
            json.dump(data, handle)

    def get(self, sid):
        if not re.match(r"^[0-9A-Za-z_-]+$", sid or ""):
            return {}
        try:
            with open(os.path.join(self.path, sid[:2], sid)) as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return {}


class RedisSessions(FileSessions):
    """NOT ODOO: the official image has no Redis session store. This follows camptocamp's session_redis
    environment (ODOO_SESSION_REDIS_*), plus _USERNAME and _SSL_CA_CERTS, which that addon does not read."""

    def __init__(self, options):
        super().__init__(options)
        env = os.environ
        self.prefix = env.get("ODOO_SESSION_REDIS_PREFIX", "")
        self.expiration = int(env.get("ODOO_SESSION_REDIS_EXPIRATION", "604800"))
        tls = {"ssl": True, "ssl_ca_certs": env["ODOO_SESSION_REDIS_SSL_CA_CERTS"]} if env.get("ODOO_SESSION_REDIS_SSL_CA_CERTS") else {}
        hosts = [h.strip() for h in env["ODOO_SESSION_REDIS_SENTINEL_HOST"].split(",") if h.strip()]
        port = int(env.get("ODOO_SESSION_REDIS_SENTINEL_PORT", "26379"))
        sentinel = Sentinel(
            [(h, port) for h in hosts],
            sentinel_kwargs=dict(password=env.get("ODOO_SESSION_REDIS_SENTINEL_PASSWORD"), socket_timeout=2, **tls),
            socket_timeout=5, socket_connect_timeout=2, **tls,
        )
        self.client = sentinel.master_for(
            env["ODOO_SESSION_REDIS_SENTINEL_MASTER_NAME"], username=env.get("ODOO_SESSION_REDIS_USERNAME"),
            password=env.get("ODOO_SESSION_REDIS_PASSWORD"), retry=Retry(NoBackoff(), 1), **tls,
        )

    def save(self, sid, data):
        self.client.set("%ssession:%s" % (self.prefix, sid), json.dumps(data), ex=self.expiration)

    def get(self, sid):
        value = self.client.get("%ssession:%s" % (self.prefix, sid)) if sid else None
        return json.loads(value) if value else {}

    def count(self):
        return self.client.incr(self.prefix + "notes")


def session_store(options):
    if os.environ.get("ODOO_SESSION_REDIS") in ("1", "true", "True"):
        return RedisSessions(options)
    return FileSessions(options)


# ---------------------------------------------------------------- HTTP


class RegistryError(Exception):
    """odoo/modules/registry.py: Registry.new() failed ('Failed to load registry'): every request
    that needs the database answers 500."""


LOGIN_FORM = ("<!DOCTYPE html><html><head><title>Odoo</title></head><body><form class=\"oe_login_form\" role=\"form\" "
              "method=\"post\" action=\"/web/login\"><input type=\"hidden\" name=\"csrf_token\" value=\"%s\"/>"
              "<input type=\"text\" name=\"login\" id=\"login\"/><input type=\"password\" name=\"password\" id=\"password\"/>"
              "%s<button type=\"submit\">Log in</button></form><!-- %s, release %s --></body></html>")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Werkzeug/2.0.2 Python/3.11"
    timeout = 5  # idle keep-alive connections close, so a stopping server is not held up by them

    def log_message(self, fmt, *args):  # odoo/service/server.py: werkzeug's request line in the log
        log("INFO", "%s %s" % (self.address_string(), fmt % args))

    def reply(self, status, body, ctype="application/json", headers=()):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def cookie_sid(self):
        match = re.search(r"(?:^|;\s*)session_id=([^;]+)", self.headers.get("Cookie") or "")
        return match.group(1) if match else None

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        path = self.path.split("?")[0]
        options = self.server.options
        try:
            if path == "/web/health":
                # odoo/addons/web/controllers/home.py: health(): auth='none', no database: 200 always.
                return self.reply(200, {"status": "pass"}, headers=[("Cache-Control", "no-store")])
            if path.startswith("/web/database"):
                # odoo/addons/web/controllers/database.py: the manager page renders with list_db False;
                # odoo/service/db.py: check_db_management_enabled refuses the operations (AccessDenied).
                if method == "POST" and options.get("list_db", "True").lower() in ("false", "0"):
                    return self.reply(200, {"error": "Database management functions blocked, admin disabled database listing"})
                return self.reply(200, "<html><body>Odoo database manager</body></html>", "text/html")
            if path == "/websocket":
                # odoo/addons/bus/websocket.py: only the gevent process serves websockets.
                if not self.server.websocket:
                    return self.reply(400, "websocket is served by the gevent process only", "text/plain")
                return self.websocket()
            dbname = database_for(options, self.headers.get("Host"))
            if dbname is None:
                # odoo/addons/web/controllers/utils.py: ensure_db() redirects to the database selector.
                return self.reply(303, "", "text/plain", headers=[("Location", "/web/database/selector")])
            if BROKEN:
                raise RegistryError("this build cannot load the registry of %s" % dbname)
            if path == "/web/login":
                return self.web_login(method, dbname)
            if path == "/web/session/authenticate" and method == "POST":
                return self.authenticate(dbname)
            if path == "/standin/notes":
                return self.notes(method, dbname)
            if path == "/standin/jobs" and method == "POST":
                return self.enqueue(dbname)
            if path == "/metrics":
                return self.reply(200, metrics(options, dbname), "text/plain; version=0.0.4")
            return self.reply(404, "not found", "text/plain")
        except RegistryError as exc:
            log("ERROR", "Failed to load registry: %s" % exc)
            return self.reply(500, "<html><body>Internal Server Error</body></html>", "text/html")
        except psycopg2.OperationalError as exc:
            log("ERROR", "%s" % exc)
            if "does not exist" in str(exc):
                return self.reply(404, "no database for this host", "text/plain")
            return self.reply(500, "<html><body>Internal Server Error</body></html>", "text/html")
        except (psycopg2.Error, OSError, ValueError) as exc:
            log("ERROR", "%s" % exc)
            return self.reply(500, "<html><body>Internal Server Error</body></html>", "text/html")

    def registry_cursor(self, dbname):
        """odoo/modules/registry.py: Registry(db) loads the installed modules; a database that is
        not initialised loads nothing (loading.py: 'not initialized, you can force it with -i base')."""
        conn = connect(self.server.options, dbname)
        with conn.cursor() as cur:
            if not is_initialized(cur):
                conn.close()
                raise RegistryError("Database %s not initialized, you can force it with `-i base`" % dbname)
        return conn

    def check_credentials(self, dbname, login, password):
        """odoo/addons/base/models/res_users.py: _login() and _check_credentials()."""
        conn = self.registry_cursor(dbname)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT id, COALESCE(password, '') FROM res_users WHERE login = %s AND active", (login,))
                row = cur.fetchone()
        finally:
            conn.close()
        return row[0] if row and password and verify_password(password, row[1]) else None

    def web_login(self, method, dbname):
        """odoo/addons/web/controllers/home.py: web_login(): GET renders the form with a CSRF token;
        POST needs that token (odoo/http.py: validate_csrf), then 303 on success or the form again
        with 'Wrong login/password'."""
        conn = self.registry_cursor(dbname)
        conn.close()
        sid = self.cookie_sid()
        session = self.server.sessions.get(sid) if sid else {}
        headers = []
        if not session:
            sid, session = uuid.uuid4().hex + uuid.uuid4().hex[:8], {"db": dbname, "csrf": uuid.uuid4().hex}
            self.server.sessions.save(sid, session)
            headers.append(("Set-Cookie", "session_id=%s; HttpOnly; Path=/" % sid))
        error = ""
        if method == "POST":
            form = {k: v[0] for k, v in parse_qs(self.body().decode()).items()}
            if form.get("csrf_token") != session.get("csrf"):
                return self.reply(400, "Session expired (invalid CSRF token)", "text/plain")
            uid = self.check_credentials(dbname, form.get("login", ""), form.get("password", ""))
            if uid:
                self.server.sessions.save(sid, dict(session, uid=uid, db=dbname))
                return self.reply(303, "", "text/plain", headers=headers + [("Location", "/odoo" if SERIES >= "18.0" else "/web")])
            error = "<p class=\"alert alert-danger\">Wrong login/password</p>"
        return self.reply(200, LOGIN_FORM % (session["csrf"], error, dbname, RELEASE), "text/html",
                          headers=headers + [("X-Frame-Options", "SAMEORIGIN")])

    def authenticate(self, dbname):
        """odoo/addons/web/controllers/session.py: authenticate(): JSON-RPC; a db that dbfilter does not
        allow is 'Database not found'; wrong credentials answer 200 with an AccessDenied error
        (odoo/http.py: JsonRPCDispatcher.handle_error)."""
        request = json.loads(self.body() or b"{}")
        params = request.get("params") or {}

        def error(name, message):
            return self.reply(200, {"jsonrpc": "2.0", "id": request.get("id"), "error": {
                "code": 200, "message": "Odoo Server Error", "data": {"name": name, "message": message}}})
        if params.get("db") != dbname:
            return error("odoo.exceptions.AccessError", "Database not found.")
        uid = self.check_credentials(dbname, params.get("login") or "", params.get("password") or "")
        if not uid:
            return error("odoo.exceptions.AccessDenied", "Access Denied")
        sid = uuid.uuid4().hex + uuid.uuid4().hex[:8]
        self.server.sessions.save(sid, {"db": dbname, "uid": uid, "csrf": uuid.uuid4().hex})
        return self.reply(200, {"jsonrpc": "2.0", "id": request.get("id"), "result": {"uid": uid, "db": dbname}},
                          headers=[("Set-Cookie", "session_id=%s; HttpOnly; Path=/" % sid)])

    def notes(self, method, dbname):
        """NOT ODOO: the stand-in's own page, reading and writing the tenant's database (and Redis)."""
        conn = self.registry_cursor(dbname)
        try:
            with conn, conn.cursor() as cur:
                if method == "POST":
                    cur.execute("INSERT INTO standin_note (body) VALUES (%s)", (self.body().decode() or "note",))
                cur.execute("SELECT count(*) FROM standin_note")
                notes = cur.fetchone()[0]
                cur.execute("SELECT latest_version FROM ir_module_module WHERE name = 'base'")
                row = cur.fetchone()
        finally:
            conn.close()
        counter = self.server.sessions.count() if method == "POST" and hasattr(self.server.sessions, "count") else None
        return self.reply(200, {"database": dbname, "notes": notes, "schema": row[0] if row else None,
                                "release": RELEASE, "redis_counter": counter})

    def enqueue(self, dbname):
        """NOT ODOO: queues N integration jobs (OCA queue_job does this through model methods)."""
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
    """NOT ODOO: Odoo core serves no /metrics (404). Kept until the platform reads the queue and cron
    state from the tenants' databases: jobs per channel and state, and how long ago cron last beat."""
    with connect(options, dbname) as conn, conn.cursor() as cur:
        cur.execute(QUEUE_TABLE)
        cur.execute("SELECT channel, state, count(*) FROM standin_queue_job GROUP BY 1, 2 ORDER BY 1, 2")
        jobs = cur.fetchall()
        cur.execute("CREATE TABLE IF NOT EXISTS standin_heartbeat (process text PRIMARY KEY, beat timestamptz)")
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
    server.options, server.websocket, server.sessions = options, websocket, session_store(options)

    # odoo/service/server.py: PreforkServer.signal_handler: SIGTERM stops accepting and lets the
    # workers finish their requests. NOT ODOO: the gevent process installs no handler and dies at
    # once (GeventServer), which the stand-in does not do yet; it drains here too.
    def stop(_signum, _frame):
        log("INFO", "SIGTERM: finishing requests in flight")
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    log("INFO", "%s %s listening on %s" % ("gevent" if websocket else "http", RELEASE, port))
    server.serve_forever()
    server.server_close()
    log("INFO", "stopped")


def background(options, kind):
    """Cron or a queue worker: a heartbeat row per process in each pinned database (db_name a,b,...).
    odoo/service/server.py: a --no-http cron works on db_name split on commas."""
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    databases = pinned(options)
    name = "%s@%s" % (kind, socket.gethostname())
    log("INFO", "%s %s started on %s" % (kind, RELEASE, ",".join(databases)))
    while not stopping.is_set():
        for dbname in databases:
            try:
                with connect(options, dbname) as conn, conn.cursor() as cur:
                    cur.execute("CREATE TABLE IF NOT EXISTS standin_heartbeat (process text PRIMARY KEY, beat timestamptz)")
                    cur.execute("INSERT INTO standin_heartbeat VALUES (%s, now()) ON CONFLICT (process) DO UPDATE SET beat = now()", (name,))
                    if kind == "worker":
                        run_jobs(cur, int(os.environ.get("STANDIN_WORKER_JOBS_PER_BEAT", "5")))
            except psycopg2.Error as exc:
                log("WARNING", "heartbeat failed on %s: %s" % (dbname, exc))
        stopping.wait(float(os.environ.get("STANDIN_HEARTBEAT_SECONDS", "30")))
    log("INFO", "stopped")


def main(argv):
    command, args = parse_args(argv)
    check_user()
    options = load_options(args)
    if args.init or args.update:
        dbname = pinned(options)[0] if pinned(options) else None
        if not dbname:
            sys.exit("odoo: -i/-u need a database (-d or db_name)")
        status = init_or_update(options, dbname, names(args.init), names(args.update))
        if status or args.stop_after_init:
            return status
    if command == "gevent":
        serve(options, options["gevent_port"], websocket=True)
    elif args.no_http:
        background(options, "cron" if int(options.get("max_cron_threads") or 0) > 0 else "worker")
    else:
        serve(options, options["http_port"], websocket=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
