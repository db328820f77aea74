"""Alertmanager's configuration as the role writes it, with every receiver type and routes by
severity and tenant, accepted by amtool; the lab uses only a webhook, so this is where the chat
and email forms are checked."""

import json
import os
import subprocess

import jinja2
import yaml

from monitoring_helpers import ROLE, amtool, role_defaults

RECEIVERS = [
    {"name": "ops", "type": "webhook", "url": "https://hooks.example.com/alerts"},
    {"name": "oncall", "type": "chat", "url": "https://chat.example.com/hooks/abc", "channel": "#oncall"},
    {"name": "acme-team", "type": "email", "to": "it-ops@acme.example.com"},
]
ROUTES = [{"severity": "critical", "receiver": "oncall", "continue": True}, {"tenant": "acme", "receiver": "acme-team"}]


def render(tmp_path, **settings):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(ROLE, "templates")), undefined=jinja2.StrictUndefined)
    env.filters["to_json"] = json.dumps
    env.filters["bool"] = bool
    values = role_defaults(monitoring_default_receiver="ops", monitoring_receivers=RECEIVERS, monitoring_routes=ROUTES,
                           monitoring_smtp_smarthost="smtp.example.net:587", monitoring_smtp_from="alerts@example.net",
                           monitoring_smtp_username="alerts@example.net", monitoring_smtp_password="not-a-real-one")
    values.update(settings)
    path = tmp_path / "alertmanager.yml"
    path.write_text(env.get_template("alertmanager.yml.j2").render(**values))
    return path


def check(path):
    return subprocess.run([amtool(), "check-config", str(path)], capture_output=True, text=True, check=False)


def test_every_receiver_type_and_route_is_valid(tmp_path):
    path = render(tmp_path)
    result = check(path)
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load(path.read_text())
    assert [r["matchers"] for r in config["route"]["routes"]] == [['severity = "critical"'], ['tenant = "acme"']]
    kinds = dict((r["name"], sorted(k for k in r if k.endswith("_configs"))) for r in config["receivers"])
    assert kinds == {"ops": ["webhook_configs"], "oncall": ["slack_configs"], "acme-team": ["email_configs"]}


def test_email_without_a_mail_server_is_what_the_role_refuses_first(tmp_path):
    """Alertmanager itself rejects it; the role's check says which settings to add before writing."""
    result = check(render(tmp_path, monitoring_smtp_smarthost="", monitoring_smtp_from=""))
    assert result.returncode != 0 and "smarthost" in result.stdout + result.stderr
