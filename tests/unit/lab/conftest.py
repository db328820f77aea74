"""The lab's Odoo stand-in, loaded as a module for its unit tests."""

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
