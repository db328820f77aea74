"""The tenant registry's checks for the kubernetes runtime: runtime, namespace and tier quota."""

import pytest

from ansible_collections.odoo_saas.platform.plugins.plugin_utils.tenant import TenantError, check, check_pool

ACME = {"name": "acme", "hosts": ["acme.example.com"], "tier": "small", "slot": 1, "image": "odoo:17.0-20250101"}
KUBERNETES = {"runtime": "kubernetes"}


def refused(description, context=None):
    with pytest.raises(TenantError) as error:
        check(description, context)
    return str(error.value)


def test_runtime_comes_from_the_environment_and_a_tenant_may_override_it():
    assert check(ACME)["runtime"] == "docker"
    assert check(ACME, KUBERNETES)["runtime"] == "kubernetes"
    hybrid = check(dict(ACME, runtime="docker"), KUBERNETES)
    assert (hybrid["runtime"], hybrid["namespace"], hybrid["quota"]) == ("docker", None, None)


@pytest.mark.parametrize("where", ["tenant", "environment"])
def test_an_unknown_runtime_is_refused(where):
    description, context = (dict(ACME, runtime="nomad"), None) if where == "tenant" else (ACME, {"runtime": "nomad"})
    assert "runtime 'nomad' is unknown: use one of docker, kubernetes" in refused(description, context)


def test_namespaces_default_per_tenant_and_per_pool():
    assert check(ACME, KUBERNETES)["namespace"] == "odoo-acme"
    shared = check(dict(ACME, tenancy="shared"), KUBERNETES)
    assert (shared["namespace"], shared["pool"], shared["db_user"]) == ("odoo-pool-shared", "shared", "odoo_pool_shared")
    assert check(dict(ACME, tenancy="shared", pool="eu-1"), KUBERNETES)["namespace"] == "odoo-pool-eu-1"


@pytest.mark.parametrize("namespace", ["Odoo-Acme", "odoo_acme", "-acme", "acme-", "a" * 64, "", 7])
def test_a_namespace_that_is_not_a_dns_1123_label_is_refused(namespace):
    message = refused(dict(ACME, runtime="kubernetes", namespace=namespace))
    assert message.startswith("tenant 'acme': namespace ") and "DNS-1123 label" in message


def test_a_namespace_on_the_docker_runtime_is_refused():
    assert "namespace is for the kubernetes runtime only" in refused(dict(ACME, namespace="odoo-acme"))


def test_requests_over_the_tier_quota_are_refused_naming_the_limits():
    # small: quota 4 CPUs. Three web replicas of 1 CPU, plus websocket, cron and the surge pods: 5.5.
    message = refused(dict(ACME, limits={"web": {"replicas": 3}}), KUBERNETES)
    assert message.startswith("tenant 'acme': limits need 5.5 cpus at peak") and "tier 'small''s quota of 4" in message
    # Autoscaling counts at its maximum.
    assert "limits need 5.5 cpus at peak" in refused(dict(ACME, limits={"web": {"max_replicas": 3}}), KUBERNETES)
    # The same tenant on Docker has no quota to meet.
    assert check(dict(ACME, limits={"web": {"replicas": 3}}))["quota"] is None


def test_a_tier_without_quota_is_refused_on_kubernetes():
    tiers = {"bare": {"web": {"cpus": 1, "memory_mb": 512}, "websocket": {"cpus": 1, "memory_mb": 512},
                      "cron": {"cpus": 1, "memory_mb": 512}, "worker": {"replicas": 0, "cpus": 1, "memory_mb": 512}}}
    message = refused(dict(ACME, tier="bare"), {"runtime": "kubernetes", "tiers": tiers})
    assert "tier 'bare' has no quota" in message


def test_only_web_and_workers_autoscale():
    assert "limits.cron.max_replicas is for web and worker only" in refused(dict(ACME, limits={"cron": {"max_replicas": 2}}))
    assert "limits.web.max_replicas must be a whole number of at least 2" in refused(
        dict(ACME, limits={"web": {"replicas": 2, "max_replicas": 1}}))


def test_a_pool_is_checked_like_a_tenant_and_owns_its_tenants_databases():
    pool = check_pool({"name": "shared", "tier": "medium", "image": "odoo:17.0-20250101"}, KUBERNETES)
    assert (pool["name"], pool["tenancy"], pool["namespace"], pool["db_user"], pool["db_name"]) == (
        "pool-shared", "pool", "odoo-pool-shared", "odoo_pool_shared", None)
    assert pool["quota"]["cpus"] == 16
    with pytest.raises(TenantError, match="shared pool 'shared': field"):
        check_pool({"name": "shared", "tier": "medium", "image": "odoo:17.0", "hosts": ["x.example.com"]})
    with pytest.raises(TenantError, match="image"):
        check_pool({"name": "shared", "tier": "medium", "image": "odoo"}, KUBERNETES)


def test_tenant_names_may_not_take_the_pool_prefix():
    assert "name starts with 'pool-', which names shared pools" in refused(dict(ACME, name="pool-eu"))
