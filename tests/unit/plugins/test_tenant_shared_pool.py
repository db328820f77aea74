"""Shared tenants on Docker: one pool's containers serve their databases, picked by dbfilter ^%d$."""

import pytest

from ansible_collections.odoo_saas.platform.plugins.plugin_utils.tenant import (
    TenantError,
    check,
    check_registry,
    docker_pools,
    routing,
)

IMAGE = "odoo:17.0-20250101"
POOL = {"name": "shared", "tier": "small", "image": IMAGE, "slot": 9}


def shared(name, **changes):
    return dict({"name": name, "hosts": ["%s.example.com" % name], "tenancy": "shared", "tier": "small", "slot": 1,
                 "image": IMAGE}, **changes)


def registry(*descriptions):
    return check_registry(list(descriptions))


def test_a_shared_tenant_runs_no_containers_and_is_served_by_its_pool():
    tenant = check(shared("hooli"))
    assert (tenant["containers"], tenant["served_by"], tenant["db_user"]) == ([], "pool-shared", "odoo_pool_shared")
    assert check(dict(shared("hooli"), tenancy="isolated"))["served_by"] == "hooli"


def test_a_shared_tenant_needs_no_slot_and_takes_none_from_others():
    without = dict(shared("hooli"))
    del without["slot"]
    tenants = registry(without, shared("umbrella", slot=1), dict(shared("acme"), tenancy="isolated", slot=1))
    assert (tenants[0]["slot"], tenants[0]["port_base"]) == (None, None)
    assert (tenants[1]["port_base"], tenants[2]["port_base"]) == (None, 20020)  # a shared slot holds no ports


def test_a_shared_tenants_host_names_must_start_with_its_database():
    with pytest.raises(TenantError, match=r"hosts\[1\] 'www.hooli.example.com' must start with 'hooli.'"):
        check(shared("hooli", hosts=["hooli.example.com", "www.hooli.example.com"]))
    with pytest.raises(TenantError, match="must start with 'new_co.'"):
        check(shared("new-co", hosts=["new-co.example.com"]))


def test_the_pool_runs_every_class_at_its_slot_and_pins_cron_to_its_tenants():
    [pool] = docker_pools(registry(shared("hooli"), shared("umbrella", slot=2)), [POOL])
    assert (pool["name"], pool["tenancy"], pool["served_by"], pool["members"]) == ("pool-shared", "pool", "pool-shared", ["hooli", "umbrella"])
    assert sorted(c["class"] for c in pool["containers"]) == ["cron", "web", "websocket"]  # the small tier has no worker
    cron = [c for c in pool["containers"] if c["class"] == "cron"][0]
    web = [c for c in pool["containers"] if c["class"] == "web"][0]
    assert cron["databases"] == "hooli,umbrella"
    assert web["port"] == pool["port_base"] == 20000 + 9 * 20


def test_a_new_tenant_changes_the_pool_and_an_unchanged_registry_does_not():
    two = docker_pools(registry(shared("hooli"), shared("umbrella", slot=2)), [POOL])[0]
    again = docker_pools(registry(shared("hooli"), shared("umbrella", slot=2)), [POOL])[0]
    three = docker_pools(registry(shared("hooli"), shared("umbrella", slot=2), shared("wonka", slot=3)), [POOL])[0]
    assert two["fingerprint"] == again["fingerprint"] != three["fingerprint"]


def test_routes_of_a_shared_tenant_lead_to_its_pools_containers():
    tenants = registry(shared("hooli"))
    [pool] = docker_pools(tenants, [POOL])
    route = routing(dict(tenants[0], containers=pool["containers"]), ["10.0.0.5"])
    assert route["hosts"] == ["hooli.example.com"]
    assert route["web"] == ["http://10.0.0.5:%d" % pool["port_base"]]


def test_only_docker_shared_tenants_need_a_pool():
    tenants = registry(dict(shared("acme"), tenancy="isolated"), shared("kube", runtime="kubernetes", slot=2))
    assert docker_pools(tenants, []) == []


@pytest.mark.parametrize("pools, tenants, message", [
    ([], [shared("hooli")], "tenant 'hooli': pool 'shared' is not described in tenant_shared_pools"),
    ([dict(POOL, slot=3)], [shared("hooli"), dict(shared("acme", slot=3), tenancy="isolated")],
     "shared pool 'shared': slot 3 is tenant 'acme''s in group app"),
    ([dict(POOL, image="odoo:17.0-20250201")], [shared("hooli")],
     "tenant 'hooli': image 'odoo:17.0-20250101' differs from its pool 'shared''s image 'odoo:17.0-20250201'"),
    ([{"name": "shared", "tier": "small", "image": IMAGE}], [shared("hooli")], "shared pool 'shared': slot is required"),
])
def test_bad_pools_are_refused_naming_what_to_fix(pools, tenants, message):
    with pytest.raises(TenantError) as error:
        docker_pools(registry(*tenants), pools)
    assert message in str(error.value)
