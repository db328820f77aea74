"""Every rendered object validates against the Kubernetes OpenAPI schemas of each supported
version (kubernetes-validate, strict: unknown fields fail), and the Traefik CRD objects against
the traefik.io/v1alpha1 schemas kept next to this file."""

import json
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
from k8s_fixtures import render_all

SUPPORTED = ["1.30.0", "1.31.0", "1.32.0", "1.33.0"]
TRAEFIK = json.loads((Path(__file__).parent / "schemas" / "traefik.io-v1alpha1.json").read_text(encoding="utf-8"))
RENDERED = render_all()


def objects(traefik):
    return [pytest.param(item, id="%s/%s/%s" % (owner, item["kind"], item["metadata"]["name"]))
            for owner, items in RENDERED.items() for item in items
            if item["apiVersion"].startswith("traefik.io/") == traefik]


def test_every_tenancy_model_is_rendered():
    kinds = {owner: {o["kind"] for o in items} for owner, items in RENDERED.items()}
    assert {"Deployment", "ResourceQuota", "NetworkPolicy", "IngressRoute"} <= kinds["acme"]
    assert {"Deployment", "ResourceQuota", "HorizontalPodAutoscaler"} <= kinds["globex"]
    # A shared tenant is routed to its pool, which runs the workloads.
    assert kinds["hooli"] == {"Middleware", "IngressRoute"}
    assert "Deployment" in kinds["pool-shared"] and "IngressRoute" not in kinds["pool-shared"]


@pytest.mark.parametrize("version", SUPPORTED)
@pytest.mark.parametrize("item", objects(traefik=False))
def test_validates_against_kubernetes(item, version):
    kubernetes_validate.validate(item, version, strict=True)


@pytest.mark.parametrize("item", objects(traefik=True))
def test_validates_against_traefik_crd(item):
    schema = dict(TRAEFIK[item["kind"]], **{"$defs": TRAEFIK["$defs"]})
    jsonschema.Draft202012Validator(schema).validate(item)


def test_the_schemas_do_refuse_a_wrong_object():
    """The checks above can fail: a misspelt field is refused by both kinds of schema."""
    deployment = next(o for o in RENDERED["acme"] if o["kind"] == "Deployment")
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["resource"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, SUPPORTED[0], strict=True)
    route = json.loads(json.dumps(next(o for o in RENDERED["acme"] if o["kind"] == "IngressRoute")))
    route["spec"]["routes"][0]["middleware"] = route["spec"]["routes"][0].pop("middlewares")
    schema = dict(TRAEFIK["IngressRoute"], **{"$defs": TRAEFIK["$defs"]})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(route)
