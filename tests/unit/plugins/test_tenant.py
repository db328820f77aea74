"""The tenant registry checks and what a tenant turns into (plugin_utils/tenant.py)."""

import pytest

from ansible_collections.odoo_saas.platform.plugins.plugin_utils.tenant import (
    USER_PASSWORD_ROUNDS,
    TenantError,
    admin_passwd_hash,
    check,
    check_image_facts,
    check_registry,
    routing,
    with_image,
    workers_for,
)

ACME = {
    "name": "acme",
    "hosts": ["acme.example.com"],
    "tenancy": "isolated",
    "tier": "medium",
    "slot": 3,
    "image": "odoo:17.0-20250101",
    "modules": ["base", "sale"],
}


def tenant(**changes):
    return dict(ACME, **changes)


def refused(description, field, context=None):
    with pytest.raises(TenantError) as error:
        check(description, context)
    assert field in str(error.value)
    return str(error.value)


def test_names_users_prefix_and_ports_follow_the_tenant():
    t = check(ACME)
    assert (t["db_name"], t["db_user"], t["redis_user"], t["redis_prefix"]) == ("acme", "odoo_acme", "tenant-acme", "tenant:acme:")
    assert t["port_base"] == 20000 + 3 * 20
    names = [c["name"] for c in t["containers"]]
    assert names == ["odoo-acme-web-1", "odoo-acme-web-2", "odoo-acme-websocket-1", "odoo-acme-cron-1", "odoo-acme-worker-1"]
    web = [c for c in t["containers"] if c["class"] == "web"]
    assert [c["port"] for c in web] == [20060, 20061]
    assert {c["surge_port"] for c in web} == {20068}
    assert [c["port"] for c in t["containers"] if c["class"] in ("cron", "worker")] == [None, None]


def test_workers_follow_odoos_rule_bounded_by_memory():
    assert workers_for(2, 8192) == 5  # 2 x CPU + 1
    assert workers_for(4, 1024) == 3  # 1024 MB holds three 325 MB workers
    assert workers_for(0.5, 200) == 1
    t = check(tenant(limits={"web": {"workers": 7}}))
    assert t["odoo"]["workers"] == 7


def test_db_maxconn_shares_the_tiers_budget_between_processes():
    t = check(ACME)  # medium: 2 web x (5 workers + 1) + 1 websocket + 1 cron + 1 worker = 15 processes, 48 connections
    assert t["odoo"]["workers"] == 5
    assert t["odoo"]["db_maxconn"] == 3
    assert t["odoo"]["limit_memory_soft"] < t["odoo"]["limit_memory_hard"]


def test_shared_tenants_belong_to_the_pool_role():
    assert check(tenant(tenancy="shared"))["db_user"] == "odoo_pool_shared"


@pytest.mark.parametrize("name", ["Acme", "a", "acme_corp", "-acme", "acme-", "x" * 31, 42])
def test_bad_names_are_refused(name):
    refused(tenant(name=name), "name")


def test_bad_fields_are_refused_by_name():
    refused(tenant(hosts=["acme_corp.example.com"]), "hosts[0]")
    refused(tenant(hosts=[]), "hosts")
    refused(tenant(tenancy="cluster"), "tenancy 'cluster' is unknown")
    refused(tenant(tier="huge"), "tier 'huge' is unknown")
    refused(tenant(slot=0), "slot")
    refused(tenant(slot=4000), "slot")
    refused(tenant(modules=["Sale Orders"]), "modules")
    refused(tenant(limits={"web": {"replicas": 0}}), "limits.web.replicas")
    refused(tenant(limits={"cron": {"replicas": 2}}), "limits.cron.replicas")
    refused(tenant(limits={"web": {"cpu": 2}}), "limits.web")
    refused(tenant(rate_limit={"average": 0}), "rate_limit.average")
    refused(tenant(colour="blue"), "colour")


def test_images_need_a_tag_and_production_refuses_latest():
    refused(tenant(image="odoo"), "has no tag")
    refused(tenant(image="odoo:latest"), "refuses", {"environment": "production"})
    assert check(tenant(image="odoo:latest"), {"environment": "lab"})["image"] == "odoo:latest"
    assert check(tenant(image="registry.example.com:5000/erp/odoo:17.0"))["image"].endswith(":17.0")
    digest = "odoo@sha256:" + "a" * 64
    assert check(tenant(image=digest))["image"] == digest


def test_limits_must_fit_one_app_host():
    message = refused(tenant(limits={"web": {"replicas": 4, "cpus": 4}}), "limits", {"capacity": {"cpus": 8, "memory_mb": 65536}})
    assert "more than an app host has" in message
    refused(tenant(limits={"web": {"memory_mb": 60000}}), "limits", {"capacity": {"cpus": 64, "memory_mb": 16384}})
    check(ACME, {"capacity": {"cpus": 64, "memory_mb": 65536}})


def test_dedicated_tenants_name_their_own_groups_which_must_exist():
    refused(tenant(tenancy="dedicated"), "app_group")
    refused(tenant(tenancy="dedicated", app_group="acme_app"), "db_group")
    groups = ["app", "postgres", "redis", "acme_app", "acme_db"]
    refused(tenant(tenancy="dedicated", app_group="acme_app", db_group="nowhere"), "'nowhere' is not a group", {"groups": groups})
    t = check(tenant(tenancy="dedicated", app_group="acme_app", db_group="acme_db"), {"groups": groups})
    assert (t["app_group"], t["db_group"]) == ("acme_app", "acme_db")


def test_the_registry_refuses_a_name_host_or_slot_used_twice():
    other = dict(ACME, name="globex", hosts=["globex.example.com"], slot=4)
    assert [t["name"] for t in check_registry([ACME, other])] == ["acme", "globex"]
    with pytest.raises(TenantError, match="name is used twice"):
        check_registry([ACME, ACME])
    with pytest.raises(TenantError, match="hosts has 'acme.example.com', which tenant 'acme' already has"):
        check_registry([ACME, dict(other, hosts=["acme.example.com"])])
    with pytest.raises(TenantError, match="slot 3"):
        check_registry([ACME, dict(other, slot=3)])


def test_the_fingerprint_moves_with_anything_that_changes_the_deployment():
    base = check(ACME)["fingerprint"]
    assert check(ACME)["fingerprint"] == base
    assert check(tenant(image="odoo:17.0-20250201"))["fingerprint"] != base
    assert check(tenant(limits={"web": {"replicas": 3}}))["fingerprint"] != base
    upgraded = with_image(check(ACME), "odoo:17.0-20250201")
    assert upgraded["fingerprint"] == check(tenant(image="odoo:17.0-20250201"))["fingerprint"]


def test_routing_sends_each_host_to_the_tenants_containers_and_moves_one_container():
    t = check(ACME)
    route = routing(t, ["10.0.0.5", "10.0.0.6"])
    assert route["hosts"] == ["acme.example.com"]
    assert route["web"] == ["http://10.0.0.5:20060", "http://10.0.0.5:20061", "http://10.0.0.6:20060", "http://10.0.0.6:20061"]
    assert route["websocket"] == ["http://10.0.0.5:20070", "http://10.0.0.6:20070"]
    moved = routing(t, ["10.0.0.5", "10.0.0.6"], {"10.0.0.5": {"web": [20061, 20068]}})
    assert moved["web"] == ["http://10.0.0.5:20061", "http://10.0.0.5:20068", "http://10.0.0.6:20060", "http://10.0.0.6:20061"]


def test_admin_passwd_is_a_passlib_pbkdf2_sha512_hash():
    digest = admin_passwd_hash("s3cret", "saltsaltsalt")
    assert digest == admin_passwd_hash("s3cret", "saltsaltsalt")
    assert digest.startswith("$pbkdf2-sha512$100000$") and "s3cret" not in digest
    passlib = pytest.importorskip("passlib.hash")
    assert passlib.pbkdf2_sha512.verify("s3cret", digest)
    assert not passlib.pbkdf2_sha512.verify("wrong", digest)


def test_a_user_password_is_hashed_as_odoo_writes_it():
    digest = admin_passwd_hash("s3cret", "saltsaltsalt", USER_PASSWORD_ROUNDS)
    assert digest.startswith("$pbkdf2-sha512$600000$")
    passlib = pytest.importorskip("passlib.hash")
    assert passlib.pbkdf2_sha512.verify("s3cret", digest)
    assert not passlib.pbkdf2_sha512.verify("admin", digest)


@pytest.mark.parametrize("name, database", [("postgres", "postgres"), ("template0", "template0"), ("template1", "template1"),
                                            ("platform-ops", "platform_ops")])
def test_names_that_give_a_database_the_platform_owns_are_refused(name, database):
    message = refused(tenant(name=name, hosts=["%s.example.com" % name]), "tenant '%s': name gives the database '%s'" % (name, database))
    assert "reserved" in message


def test_the_inventorys_own_reserved_databases_are_refused_too():
    refused(tenant(name="heartbeat", hosts=["hb.example.com"]), "gives the database 'heartbeat'", {"reserved_databases": ["heartbeat"]})
    assert check(tenant(name="heartbeat", hosts=["hb.example.com"]))["db_name"] == "heartbeat"


IMAGE_OUTPUT = "uid=101\ngid=101\nuser=odoo\nmodule=base\nmodule=sale\nmodule=stock\nnoise line\n"


def test_image_facts_give_the_images_user_and_modules():
    facts = check_image_facts([check(tenant())], {"odoo:17.0-20250101": IMAGE_OUTPUT})["odoo:17.0-20250101"]
    assert facts == {"image": "odoo:17.0-20250101", "uid": 101, "gid": 101, "user": "odoo", "modules": ["base", "sale", "stock"]}


def test_a_module_the_image_lacks_is_refused_by_name():
    with pytest.raises(TenantError) as error:
        check_image_facts([check(tenant(modules=["base", "stok", "sale"]))], {"odoo:17.0-20250101": IMAGE_OUTPUT})
    assert "tenant 'acme': modules 'stok' is not in image 'odoo:17.0-20250101'" in str(error.value)


@pytest.mark.parametrize("output, says", [
    ("uid=4242\ngid=4242\nuser=\nmodule=base\n", "runs as uid 4242, which has no passwd entry"),
    ("uid=0\ngid=0\nuser=root\nmodule=base\nmodule=sale\n", "runs as root"),
    ("module=base\n", "its user could not be determined"),
])
def test_an_image_whose_user_odoo_cannot_run_as_is_refused(output, says):
    with pytest.raises(TenantError) as error:
        check_image_facts([check(tenant())], {"odoo:17.0-20250101": output})
    assert "tenant 'acme': image 'odoo:17.0-20250101'" in str(error.value) and says in str(error.value)


def test_tenants_whose_image_was_not_inspected_are_left_to_the_deploy():
    assert check_image_facts([check(tenant(modules=["nothing_like_it"]))], {}) == {}
