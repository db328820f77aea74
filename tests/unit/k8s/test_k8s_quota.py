"""Each namespace's pods fit its ResourceQuota at their peak: every Deployment at its HPA's
maxReplicas, plus the surge pods of a rolling update (maxSurge) of web and websocket at once."""

import re

import pytest
from k8s_fixtures import render_all

RENDERED = render_all()
UNITS = {"m": 0.001, "Mi": 1, "Gi": 1024}


def amount(text):
    number, unit = re.match(r"^([0-9.]+)(m|Mi|Gi)?$", text).groups()
    return float(number) * UNITS.get(unit, 1)


def peak(objects):
    scaled = {o["spec"]["scaleTargetRef"]["name"]: o["spec"]["maxReplicas"] for o in objects if o["kind"] == "HorizontalPodAutoscaler"}
    total = {"requests.cpu": 0.0, "limits.cpu": 0.0, "requests.memory": 0.0, "limits.memory": 0.0, "pods": 0}
    for deployment in (o for o in objects if o["kind"] == "Deployment"):
        name, spec = deployment["metadata"]["name"], deployment["spec"]
        replicas = scaled.get(name, spec.get("replicas", 1))
        surge = spec["strategy"].get("rollingUpdate", {}).get("maxSurge", 0)
        pod = spec["template"]["spec"]
        for count in (replicas, surge):
            total["pods"] += count
            for container in pod["containers"]:
                for kind in ("requests", "limits"):
                    for resource in ("cpu", "memory"):
                        total["%s.%s" % (kind, resource)] += count * amount(container["resources"][kind][resource])
    return total


@pytest.mark.parametrize("owner", [o for o, items in RENDERED.items() if any(i["kind"] == "ResourceQuota" for i in items)])
def test_peak_fits_the_quota(owner):
    objects = RENDERED[owner]
    hard = next(o for o in objects if o["kind"] == "ResourceQuota")["spec"]["hard"]
    needs = peak(objects)
    for key, value in needs.items():
        assert value <= amount(hard[key]) + 1e-9, "%s: %s needs %s, quota %s" % (owner, key, value, hard[key])


def test_every_workload_namespace_has_a_quota():
    for owner, objects in RENDERED.items():
        if any(o["kind"] == "Deployment" for o in objects):
            assert any(o["kind"] == "ResourceQuota" for o in objects), owner


def test_requests_equal_limits():
    """Guaranteed pods: the quota's requests and limits sums are the same figure."""
    for objects in RENDERED.values():
        for deployment in (o for o in objects if o["kind"] == "Deployment"):
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                assert container["resources"]["requests"] == container["resources"]["limits"]
