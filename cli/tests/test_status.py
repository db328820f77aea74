"""`odoo-saas status` without a Prometheus to ask: a clear refusal, not a traceback. The summary
itself is checked against the lab's Prometheus in the platform scenario (verify_monitoring.yml)."""

import json

from odoo_saas_cli.status import duration


def test_a_prometheus_that_does_not_answer_exits_3(odoo_saas):
    proc = odoo_saas("--json", "status", "--prometheus", "http://127.0.0.1:9")
    assert proc.returncode == 3
    result = json.loads(proc.stdout)
    assert result["error"] == "prometheus" and "127.0.0.1:9" in result["message"]


def test_no_prometheus_known_is_an_invalid_request(odoo_saas, tmp_path):
    # The test project has no lab script, so nothing says where Prometheus is.
    proc = odoo_saas("status", env={"ODOO_SAAS_PROMETHEUS_URL": ""})
    assert proc.returncode == 2
    assert "pass --prometheus URL" in proc.stderr


def test_ages_read_at_a_glance():
    assert [duration(s) for s in (42, 600, 7300, 200000)] == ["42s", "10m", "2h01m", "2d07h"]
