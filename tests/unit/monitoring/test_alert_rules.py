"""The alert rules: valid for Prometheus, complete, and each one tested with promtool (fires and
doesn't fire) against the rules the role writes with its default thresholds."""

import glob
import os
import shutil
import subprocess

import pytest
import yaml

from monitoring_helpers import alerts, promtool, render_rules

TESTS = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "promtool", "*.test.yml")))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    directory = tmp_path_factory.mktemp("rules")
    paths = render_rules(directory)
    for test in TESTS:
        shutil.copy(test, str(directory))
    return directory, paths


def test_promtool_accepts_the_rules(rendered):
    paths = rendered[1]
    result = subprocess.run([promtool(), "check", "rules"] + paths, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("test", [os.path.basename(t) for t in TESTS])
def test_promtool_unit_tests_pass(rendered, test):
    directory = rendered[0]
    result = subprocess.run([promtool(), "test", "rules", test], cwd=str(directory), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_says_what_and_how_bad(rendered):
    paths = rendered[1]
    for name, rule in alerts(paths).items():
        assert rule["labels"]["severity"] in ("critical", "warning", "info"), name
        for field in ("summary", "description", "runbook"):
            assert rule["annotations"].get(field), "%s has no %s" % (name, field)


def test_tenant_alerts_carry_the_tenant(rendered):
    paths = rendered[1]
    for name, rule in alerts(paths).items():
        if name.startswith("Tenant"):
            assert "$labels.tenant" in rule["annotations"]["summary"], name


def test_every_alert_is_tested_firing_and_quiet(rendered):
    paths = rendered[1]
    fires, quiet = set(), set()
    for test in TESTS:
        with open(test) as handle:
            for case in yaml.safe_load(handle)["tests"]:
                for check in case.get("alert_rule_test", []):
                    (fires if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = set(alerts(paths))
    assert names - fires == set(), "alerts with no test where they fire"
    assert names - quiet == set(), "alerts with no test where they stay quiet"


def test_a_wrong_threshold_breaks_a_test(tmp_path):
    """Control: the unit tests see the thresholds (a much higher 429 bound keeps the alert quiet)."""
    render_rules(tmp_path, monitoring_alert_tenant_429_per_second=1000.0)
    shutil.copy(os.path.join(os.path.dirname(__file__), "promtool", "tenants.test.yml"), str(tmp_path))
    result = subprocess.run([promtool(), "test", "rules", "tenants.test.yml"], cwd=str(tmp_path), capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "TenantRateLimited" in result.stdout + result.stderr
