"""Decisions the Patroni modules make from REST API answers."""

import pytest

from ansible_collections.odoo_saas.platform.plugins.module_utils.patroni import (
    config_changes,
    summarize_cluster,
)
from ansible_collections.odoo_saas.platform.plugins.modules.patroni_switchover import choose_candidate

CLUSTER = {
    "scope": "odoo-saas",
    "members": [
        {"name": "db1", "role": "leader", "state": "running", "api_url": "https://10.0.0.1:8008/patroni", "timeline": 3, "lag": 0},
        {"name": "db2", "role": "sync_standby", "state": "streaming", "api_url": "https://10.0.0.2:8008/patroni", "timeline": 3, "lag": 0},
        {"name": "db3", "role": "replica", "state": "streaming", "api_url": "https://10.0.0.3:8008/patroni", "timeline": 3, "lag": 4096,
         "pending_restart": True},
        {"name": "db4", "role": "replica", "state": "stopped", "api_url": "https://10.0.0.4:8008/patroni", "lag": "unknown"},
    ],
}


def test_summary_names_the_leader_and_healthy_replicas():
    summary = summarize_cluster(CLUSTER)
    assert summary["leader"] == "db1"
    assert summary["leader_count"] == 1
    assert summary["timeline"] == 3
    assert summary["healthy_replicas"] == ["db2", "db3"]
    assert summary["pending_restart"] == ["db3"]
    assert summary["max_lag"] == 4096
    assert summary["is_standby_cluster"] is False


def test_two_leaders_mean_no_leader():
    cluster = {"members": [dict(m, role="leader") for m in CLUSTER["members"][:2]]}
    summary = summarize_cluster(cluster)
    assert summary["leader"] is None
    assert summary["leader_count"] == 2


def test_a_standby_cluster_is_recognised():
    cluster = {"members": [dict(CLUSTER["members"][0], role="standby_leader")]}
    assert summarize_cluster(cluster)["is_standby_cluster"] is True


def test_switchover_picks_the_replica_with_least_lag():
    cluster = {"members": [dict(m, role="replica") if m["role"] == "sync_standby" else m for m in CLUSTER["members"]]}
    cluster["members"][1]["lag"] = 8192
    assert choose_candidate(summarize_cluster(cluster), None, None) == ("db3", None)


def test_in_synchronous_mode_only_the_sync_standby_qualifies():
    summary = summarize_cluster(CLUSTER)
    assert choose_candidate(summary, None, None) == ("db2", None)
    chosen, error = choose_candidate(summary, "db3", None)
    assert chosen is None
    assert error.startswith("candidate db3 is not a healthy synchronous replica (role replica, state streaming); candidates: db2")


@pytest.mark.parametrize(
    "candidate, max_lag, reason",
    [
        ("db4", None, "candidate db4 is not a healthy synchronous replica (role replica, state stopped)"),
        ("db9", None, "candidate db9 is not a healthy synchronous replica (not a member)"),
        ("db2", -1, "candidate db2 lags 0 bytes, more than max_lag -1"),
    ],
)
def test_switchover_refuses_an_unusable_candidate(candidate, max_lag, reason):
    chosen, error = choose_candidate(summarize_cluster(CLUSTER), candidate, max_lag)
    assert chosen is None
    assert error.startswith(reason)


def test_config_changes_only_what_differs():
    current = {"ttl": 30, "loop_wait": 10, "postgresql": {"use_pg_rewind": True, "parameters": {"max_connections": "200", "work_mem": "4MB"}}}
    desired = {"ttl": 30, "loop_wait": 2, "postgresql": {"use_pg_rewind": True, "parameters": {"max_connections": 200, "work_mem": "16MB"}}}
    assert config_changes(desired, current) == {"loop_wait": 2, "postgresql": {"parameters": {"work_mem": "16MB"}}}


def test_config_in_place_is_no_change():
    current = {"synchronous_mode": True, "postgresql": {"parameters": {"wal_level": "replica"}}}
    assert config_changes({"synchronous_mode": "true", "postgresql": {"parameters": {"wal_level": "replica"}}}, current) is None


def test_config_null_removes_a_key_that_is_set():
    assert config_changes({"standby_cluster": None}, {"standby_cluster": {"host": "x"}}) == {"standby_cluster": None}
    assert config_changes({"standby_cluster": None}, {}) is None
