"""Scrape jobs from inventory groups, and Alertmanager receivers: what Prometheus gets, and the
bad input that is refused before any change."""

import pytest

from ansible_collections.odoo_saas.platform.plugins.plugin_utils.monitoring import (
    MonitoringError,
    check_receivers,
    scrape_configs,
)

GROUPS = {"all": ["db1", "db2", "edge1"], "postgres": ["db1", "db2"], "edge": ["edge1"], "objectstore": []}
ADDRESSES = {"db1": "10.0.0.1", "db2": "10.0.0.2", "edge1": "10.0.0.9"}


def test_one_target_per_host_named_after_it():
    configs = scrape_configs([{"name": "node", "groups": ["all"], "port": 9100}], GROUPS, ADDRESSES)
    assert configs == [{
        "job_name": "node", "scheme": "http", "metrics_path": "/metrics",
        "static_configs": [{"targets": ["10.0.0.1:9100"], "labels": {"instance": "db1"}},
                           {"targets": ["10.0.0.2:9100"], "labels": {"instance": "db2"}},
                           {"targets": ["10.0.0.9:9100"], "labels": {"instance": "edge1"}}],
    }]


def test_entries_of_one_job_merge_and_https_gets_the_ca():
    jobs = [{"name": "patroni", "groups": ["postgres"], "port": 8008, "scheme": "https", "labels": {"cluster": "main"}},
            {"name": "patroni", "groups": ["edge"], "port": 8008, "scheme": "https", "labels": {"cluster": "dr"}}]
    [config] = scrape_configs(jobs, GROUPS, ADDRESSES, "/etc/ca.crt")
    assert config["tls_config"] == {"ca_file": "/etc/ca.crt"}
    assert [c["labels"] for c in config["static_configs"]] == [
        {"cluster": "main", "instance": "db1"}, {"cluster": "main", "instance": "db2"}, {"cluster": "dr", "instance": "edge1"}]


def test_an_empty_group_gives_no_target():
    [config] = scrape_configs([{"name": "s3", "groups": ["objectstore"], "port": 9000}], GROUPS, ADDRESSES)
    assert config["static_configs"] == []


@pytest.mark.parametrize("job, message", [
    ({"name": "redis", "groups": ["cache"], "port": 9121}, "scrape job 'redis': group 'cache' is not a group of the inventory"),
    ({"name": "redis", "groups": [], "port": 9121}, "groups must be a non-empty list"),
    ({"name": "redis", "groups": ["postgres"], "port": "9121"}, "port must be a number"),
    ({"name": "redis", "groups": ["postgres"], "port": 9121, "scheme": "ftp"}, "scheme must be http or https"),
    ({"name": "Redis", "groups": ["postgres"], "port": 9121}, "name must be lower-case"),
    ({"name": "redis", "groups": ["postgres"], "port": 9121, "target": "x"}, "unknown field(s) target"),
])
def test_bad_jobs_are_refused_naming_the_job(job, message):
    with pytest.raises(MonitoringError) as error:
        scrape_configs([job], GROUPS, ADDRESSES)
    assert message in str(error.value)


def test_a_host_without_facts_is_named():
    with pytest.raises(MonitoringError, match="no address is known for host 'db2'"):
        scrape_configs([{"name": "node", "groups": ["postgres"], "port": 9100}], GROUPS, {"db1": "10.0.0.1"})


RECEIVERS = [{"name": "ops", "type": "webhook", "url": "https://hooks.example.com/a"},
             {"name": "chat", "type": "chat", "url": "https://chat.example.com/hooks/x"},
             {"name": "acme", "type": "email", "to": "ops@acme.example.com"}]


def test_receivers_and_routes_by_severity_and_tenant():
    routes = [{"severity": "critical", "receiver": "chat"}, {"tenant": "acme", "receiver": "acme"}]
    assert check_receivers(RECEIVERS, routes, "ops") is True


@pytest.mark.parametrize("receivers, routes, default, message", [
    ([{"name": "ops", "type": "webhook"}], [], "ops", "receiver 'ops': a webhook receiver needs a url"),
    ([{"name": "ops", "type": "chat", "url": ""}], [], "ops", "receiver 'ops': a chat receiver needs a url"),
    ([{"name": "ops", "type": "webhook", "url": "hooks.example.com"}], [], "ops", "is not an http(s) URL"),
    ([{"name": "ops", "type": "email"}], [], "ops", "an email receiver needs a to address"),
    ([{"name": "ops", "type": "pager", "url": "https://x.example.com"}], [], "ops", "type must be one of"),
    (RECEIVERS, [], "nobody", "the default receiver 'nobody' is not one of the receivers"),
    (RECEIVERS, [{"severity": "critical", "receiver": "pager"}], "ops", "route 0: receiver must be one of"),
    (RECEIVERS, [{"receiver": "ops"}], "ops", "route 0: give a severity, a tenant or both"),
    (RECEIVERS, [{"severity": "high", "receiver": "ops"}], "ops", "severity must be one of"),
    ([], [], "", "receivers must be a non-empty list"),
])
def test_bad_receivers_are_refused_naming_them(receivers, routes, default, message):
    with pytest.raises(MonitoringError) as error:
        check_receivers(receivers, routes, default)
    assert message in str(error.value)
