"""The traefik_tenant_routing filter's checks and output."""

import pytest

from ansible_collections.odoo_saas.platform.plugins.plugin_utils.traefik_routing import (
    RoutingError,
    check_tenants,
    render,
)

ACME = {
    "name": "acme",
    "hosts": ["acme.example.com", "erp.acme.example.com"],
    "web": ["http://10.0.0.5:8069", "http://10.0.0.6:8069"],
    "websocket": ["http://10.0.0.5:8072"],
    "rate_limit": {"average": 20, "burst": 40},
    "admin_allow": ["10.0.0.0/8"],
}


def tenant(**changes):
    return dict(ACME, **changes)


def test_routers_cover_hosts_websocket_and_admin_paths():
    http = render(ACME)["http"]
    routers = http["routers"]
    assert routers["acme-web"]["rule"] == "(Host(`acme.example.com`) || Host(`erp.acme.example.com`))"
    assert routers["acme-websocket"]["service"] == "acme-websocket"
    assert "PathPrefix(`/websocket`)" in routers["acme-websocket"]["rule"]
    assert "/longpolling" not in routers["acme-websocket"]["rule"]
    assert routers["acme-admin"]["middlewares"][0] == "acme-admin-allow"
    assert routers["acme-admin"]["priority"] > routers["acme-websocket"]["priority"]
    assert http["services"]["acme-web"]["loadBalancer"]["servers"] == [{"url": "http://10.0.0.5:8069"}, {"url": "http://10.0.0.6:8069"}]
    assert http["services"]["acme-web"]["loadBalancer"]["healthCheck"]["path"] == "/web/health"


def test_longpolling_for_older_odoo():
    rule = render(tenant(longpolling=True))["http"]["routers"]["acme-websocket"]["rule"]
    assert "PathPrefix(`/longpolling`)" in rule


def test_websocket_defaults_to_the_web_backends():
    http = render(tenant(websocket=None))["http"]
    assert http["services"]["acme-websocket"]["loadBalancer"]["servers"][0]["url"] == "http://10.0.0.5:8069"


def test_client_ip_depth_keys_limits_on_the_forwarded_address():
    http = render(ACME, {"client_ip_depth": 1})["http"]
    assert http["middlewares"]["acme-ratelimit"]["rateLimit"]["sourceCriterion"] == {"ipStrategy": {"depth": 1}}
    assert http["middlewares"]["acme-admin-allow"]["ipAllowList"]["ipStrategy"] == {"depth": 1}
    direct = render(ACME)["http"]["middlewares"]
    assert "sourceCriterion" not in direct["acme-ratelimit"]["rateLimit"]
    assert "ipStrategy" not in direct["acme-admin-allow"]["ipAllowList"]


def test_rate_limit_fills_in_defaults():
    limit = render(tenant(rate_limit={"average": 7}))["http"]["middlewares"]["acme-ratelimit"]["rateLimit"]
    assert limit == {"average": 7, "burst": 100, "period": "1s"}


def test_cert_resolver_when_acme_is_on():
    assert render(ACME, {"cert_resolver": "acme"})["http"]["routers"]["acme-web"]["tls"] == {"certResolver": "acme"}
    assert render(ACME)["http"]["routers"]["acme-web"]["tls"] == {}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"hosts": ["acme_example.com"]}, "tenant 'acme': hosts[0] 'acme_example.com' is not a valid DNS name"),
        ({"hosts": ["localhost"]}, "hosts[0] 'localhost' is not a valid DNS name"),
        ({"hosts": []}, "tenant 'acme': hosts must be a non-empty list"),
        ({"rate_limit": {"average": 0}}, "tenant 'acme': rate_limit.average must be a whole number above 0"),
        ({"rate_limit": {"burst": -5}}, "tenant 'acme': rate_limit.burst must be a whole number above 0"),
        ({"rate_limit": {"period": "soon"}}, "rate_limit.period 'soon' is not a duration"),
        ({"web": ["10.0.0.5:8069"]}, "tenant 'acme': web[0] '10.0.0.5:8069' is not a backend URL with a scheme"),
        ({"websocket": ["ftp://10.0.0.5"]}, "tenant 'acme': websocket[0] 'ftp://10.0.0.5'"),
        ({"admin_allow": ["everyone"]}, "tenant 'acme': admin_allow[0] 'everyone' is not an address or CIDR range"),
        ({"admin_paths": ["web/database"]}, "admin_paths[0] 'web/database' is not an absolute URL path"),
        ({"color": "red"}, "tenant 'acme': unknown field(s) color"),
        ({"name": "Acme Corp"}, "name must be lower-case"),
    ],
)
def test_bad_input_names_the_tenant_and_the_field(changes, message):
    with pytest.raises(RoutingError) as error:
        render(tenant(**changes))
    assert message in str(error.value)


def test_a_host_used_by_two_tenants_is_refused():
    other = {"name": "globex", "hosts": ["globex.example.com", "ERP.acme.example.com."], "web": ["http://10.0.0.7:8069"]}
    with pytest.raises(RoutingError) as error:
        check_tenants([ACME, other])
    assert "tenant 'globex': hosts[1] 'erp.acme.example.com' is already a host of tenant 'acme'" in str(error.value)


def test_a_tenant_name_used_twice_is_refused():
    with pytest.raises(RoutingError, match="tenant 'acme': the name is used by another tenant too"):
        check_tenants([ACME, tenant(hosts=["other.example.com"])])
