"""The tenants' NetworkPolicies, evaluated flow by flow (netpol.py): tenants cannot reach each
other, only Traefik reaches web and websocket, and pods leave the cluster only for the data tier."""

import itertools

import pytest
from k8s_fixtures import SETTINGS, render_all
from netpol import External, Pod, allowed, pods_of, side_allows

RENDERED = render_all()
OBJECTS = [o for items in RENDERED.values() for o in items]
POLICIES = [o for o in OBJECTS if o["kind"] == "NetworkPolicy"]
PODS = pods_of(OBJECTS)
TRAEFIK = Pod("traefik", {"app.kubernetes.io/name": "traefik"}, {})
OTHER_APP = Pod("default", {"app": "something-else"}, {})
DNS = Pod("kube-system", {"k8s-app": "kube-dns"}, {})
PORTS = [22, 53, 5000, 5432, 6379, 8069, 8072, 26379]


def component(pod):
    return pod.labels["app.kubernetes.io/component"]


def test_there_are_pods_of_every_namespace():
    assert {p.namespace for p in PODS} == {"odoo-acme", "odoo-initech", "odoo-globex", "odoo-pool-shared"}


@pytest.mark.parametrize("port", PORTS)
def test_no_pod_reaches_another_namespace(port):
    crossing = [(a, b) for a, b in itertools.permutations(PODS, 2)
                if a.namespace != b.namespace and allowed(POLICIES, a, b, port)]
    assert crossing == []


def test_pods_of_one_tenant_do_not_talk_to_each_other():
    # Nothing in Odoo calls another class's pod: web, cron and workers meet in PostgreSQL and Redis.
    inside = [(a, b) for a, b in itertools.permutations(PODS, 2) if a.namespace == b.namespace
              and any(allowed(POLICIES, a, b, port) for port in PORTS)]
    assert inside == []


def test_only_traefik_reaches_web_and_websocket():
    for pod in PODS:
        kind = component(pod)
        for source in [TRAEFIK, OTHER_APP] + [p for p in PODS if p is not pod]:
            for port in (8069, 8072):
                expected = source is TRAEFIK and {"web": 8069, "websocket": 8072}.get(kind) == port
                assert allowed(POLICIES, source, pod, port) == expected, (source, pod, port)


def test_egress_goes_to_dns_and_the_data_tier_only():
    postgres, redis = External("10.20.0.10"), External("10.20.0.21")
    outside, other_host = External("203.0.113.9"), External("10.20.0.11")
    for pod in PODS:
        assert allowed(POLICIES, pod, DNS, 53, "UDP") and allowed(POLICIES, pod, DNS, 53, "TCP")
        assert allowed(POLICIES, pod, postgres, 5000) and allowed(POLICIES, pod, redis, 26379)
        assert not allowed(POLICIES, pod, postgres, 22), "only the data tier's ports"
        assert not allowed(POLICIES, pod, other_host, 5000), "only the data tier's addresses"
        assert not allowed(POLICIES, pod, outside, 443)
        assert not allowed(POLICIES, pod, OTHER_APP, 8080)
    assert SETTINGS["data_tier"][0]["cidr"] == "10.20.0.10/32"


def test_the_evaluator_sees_an_open_namespace_as_open():
    """Without acme's default-deny policy, acme's cron accepts another tenant's pod: the checks above can fail."""
    without_deny = [p for p in POLICIES if not (p["metadata"]["name"] == "default-deny" and p["metadata"]["namespace"] == "odoo-acme")]
    acme_cron = next(p for p in PODS if p.namespace == "odoo-acme" and component(p) == "cron")
    intruder = next(p for p in PODS if p.namespace == "odoo-initech")
    assert not side_allows(POLICIES, acme_cron, "Ingress", intruder, 8069, "TCP")
    assert side_allows(without_deny, acme_cron, "Ingress", intruder, 8069, "TCP")
