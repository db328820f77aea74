#!/usr/bin/env python3
"""LAB ONLY: the official image's wait-for-psql.py (odoo/docker 17.0/wait-for-psql.py): the settings
from ODOO_RC win over the arguments and PG* variables; it connects to the database `postgres` (not the
tenant's) and gives up after --timeout seconds. A role that may not CONNECT to `postgres` never starts."""
import argparse
import configparser
import os
import sys
import time

import psycopg2

parser = argparse.ArgumentParser()
for name in ("--db_host", "--db_port", "--db_user", "--db_password"):
    parser.add_argument(name)
parser.add_argument("--timeout", type=int, default=5)
args = parser.parse_args()

options = {}
if os.environ.get("ODOO_RC"):
    config = configparser.RawConfigParser()
    config.read(os.environ["ODOO_RC"])
    options = dict(config.items("options"))
params = {key: options.get(key) or getattr(args, key) or os.environ.get(env)
          for key, env in (("db_host", "PGHOST"), ("db_port", "PGPORT"), ("db_user", "PGUSER"), ("db_password", "PGPASSWORD"))}
missing = [key for key, value in params.items() if value is None]
if missing:
    sys.exit("Missing required database parameters: %s" % ", ".join(missing))

error, start = "", time.time()
while time.time() - start < args.timeout:
    try:
        psycopg2.connect(user=params["db_user"], host=params["db_host"], port=params["db_port"],
                         password=params["db_password"], dbname="postgres").close()
        error = ""
        break
    except psycopg2.OperationalError as exc:
        error = exc
    time.sleep(1)
if error:
    print("Database connection failure: %s" % error, file=sys.stderr)
    sys.exit(1)
