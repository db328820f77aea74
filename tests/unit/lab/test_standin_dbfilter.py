"""The lab's Odoo stand-in picks a request's database by Odoo's rules: dbfilter (%h, %d), then db_name."""

import importlib.util
import sys
import types
from pathlib import Path

import pytest

STANDIN = Path(__file__).resolve().parents[3] / "lab" / "images" / "odoo-standin" / "odoo-standin.py"


@pytest.fixture(scope="module")
def standin():
    # Only the database and Redis clients are missing on the controller; database_for uses neither.
    stubs = {name: types.ModuleType(name) for name in ("psycopg2", "redis", "redis.backoff", "redis.retry", "redis.sentinel")}
    stubs["redis.backoff"].NoBackoff = stubs["redis.retry"].Retry = stubs["redis.sentinel"].Sentinel = object
    saved = {name: sys.modules.get(name) for name in stubs}
    sys.modules.update(stubs)
    try:
        spec = importlib.util.spec_from_file_location("odoo_standin", STANDIN)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        for name, value in saved.items():
            if value is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = value


@pytest.mark.parametrize("options, host, database", [
    # a shared pool: the first label picks the database, www. skipped, port ignored
    ({"dbfilter": "^%d$"}, "hooli.lab.test", "hooli"),
    ({"dbfilter": "^%d$"}, "www.hooli.lab.test:443", "hooli"),
    ({"dbfilter": "^%d$"}, "hooli-eu.lab.test", "hooli-eu"),
    # an isolated tenant: pinned, and the filter must agree
    ({"db_name": "acme", "dbfilter": "^acme$"}, "anything.lab.test", "acme"),
    ({"db_name": "acme", "dbfilter": "^globex$"}, "acme.lab.test", None),
    # a pool's list: the filter picks one of them, or none
    ({"db_name": "hooli,umbrella", "dbfilter": "^%d$"}, "umbrella.lab.test", "umbrella"),
    ({"db_name": "hooli,umbrella", "dbfilter": "^%d$"}, "acme.lab.test", None),
    ({"db_name": "hooli,umbrella"}, "hooli.lab.test", None),  # two left: Odoo would ask which
])
def test_the_database_of_a_request(standin, options, host, database):
    assert standin.database_for(options, host) == database
