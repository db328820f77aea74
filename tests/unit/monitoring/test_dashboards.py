"""The Grafana dashboards the role ships: valid JSON of Grafana's model, queries that parse, and
metrics the platform's exporters and recording rules provide (the platform scenario checks the
same names against the lab's Prometheus)."""

import glob
import json
import os
import subprocess
import sys

import jsonschema
import pytest
import yaml

from monitoring_helpers import REPO, ROLE, promtool

sys.path.insert(0, os.path.join(REPO, "tools"))
from monitoring_metrics import dashboard_exprs, metric_names, rule_exprs  # noqa: E402

DASHBOARDS = sorted(glob.glob(os.path.join(ROLE, "files", "dashboards", "*.json")))
with open(os.path.join(os.path.dirname(__file__), "dashboard.schema.json")) as _handle:
    SCHEMA = json.load(_handle)


def test_the_four_dashboards_ship():
    with open(os.path.join(ROLE, "vars", "main.yml")) as handle:
        names = yaml.safe_load(handle)["monitoring_dashboards"]
    assert sorted(n + ".json" for n in names) == sorted(os.path.basename(p) for p in DASHBOARDS)
    assert set(names) == {"platform-overview", "database", "tenants", "backups-dr"}


@pytest.mark.parametrize("path", DASHBOARDS, ids=os.path.basename)
def test_dashboard_follows_the_schema(path):
    with open(path) as handle:
        dashboard = json.load(handle)
    jsonschema.validate(dashboard, SCHEMA)
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids repeat"


def test_the_schema_refuses_a_broken_panel():
    with open(DASHBOARDS[0]) as handle:
        dashboard = json.load(handle)
    del dashboard["panels"][0]["targets"][0]["expr"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(dashboard, SCHEMA)


def test_every_query_parses(tmp_path):
    """promtool parses each query as a recording rule's expression."""
    rules = [{"record": "dashboard:check:%d" % i, "expr": expr}
             for i, expr in enumerate(e for exprs in dashboard_exprs().values() for e in exprs)]
    path = tmp_path / "queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
    result = subprocess.run([promtool(), "check", "rules", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_query_is_caught(tmp_path):
    path = tmp_path / "queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "x", "rules": [{"record": "x:y", "expr": "sum by (tenant (up)"}]}]}))
    assert subprocess.run([promtool(), "check", "rules", str(path)], capture_output=True, check=False).returncode != 0


def test_recorded_series_the_dashboards_use_are_recorded():
    recorded = rule_exprs()[1]
    used = set()
    for exprs in dashboard_exprs().values():
        for expr in exprs:
            used |= metric_names(expr)
    assert {n for n in used if ":" in n} <= recorded


def test_metric_names_are_read_from_queries():
    names = metric_names('sum by (tenant, le) (label_replace(rate(traefik_x_bucket{router=~"a"}[5m]), "t", "$1", "r", "(.+)")) '
                         '/ on (instance) group_left up and time() - vector(0) > bool 1')
    assert names == {"traefik_x_bucket", "up"}
