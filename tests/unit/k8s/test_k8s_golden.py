"""What the kubernetes runtime applies, pinned in golden files (golden/<owner>.yaml), and exactly
what changes in it when a tenant's tier, limits or image change.

After an intended change to the renderer: UPDATE_GOLDEN=1 pytest tests/unit/k8s, then review the diff.
"""

import os
from pathlib import Path

import pytest
import yaml
from k8s_fixtures import render, render_all

from ansible_collections.odoo_saas.platform.plugins.plugin_utils.k8s_manifests import migration_job

GOLDEN = Path(__file__).parent / "golden"
RENDERED = render_all()


class IndentedDumper(yaml.SafeDumper):
    """Sequences indented under their key, as yamllint's indentation rule (ansible-lint) wants."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump(objects):
    # One document (a list of the objects): yamllint, which sanity runs on tests/, refuses several.
    return yaml.dump(objects, Dumper=IndentedDumper, sort_keys=True, default_flow_style=False, width=120)


@pytest.mark.parametrize("owner", sorted(RENDERED))
def test_matches_the_golden_file(owner):
    path = GOLDEN / ("%s.yaml" % owner)
    text = dump(RENDERED[owner])
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, "rendering changed: rerun with UPDATE_GOLDEN=1 and review the diff"


def flatten(objects):
    """{'Kind/name:path': value} for every leaf."""
    leaves = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk("%s.%s" % (prefix, key), item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk("%s[%d]" % (prefix, index), item)
        else:
            leaves[prefix] = value

    for item in objects:
        walk("%s/%s:" % (item["kind"], item["metadata"]["name"]), {k: v for k, v in item.items() if k not in ("apiVersion", "kind")})
    return leaves


def changes(before, after):
    a, b = flatten(before), flatten(after)
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def test_an_image_change_changes_only_the_images():
    changed = changes(render("acme"), render("acme", image="odoo:17.0-20250301"))
    assert changed == [
        "Deployment/odoo-%s:.spec.template.spec.%s[0].image" % (kind, containers)
        for kind in ("cron", "web", "websocket") for containers in ("containers", "initContainers")
    ]


def test_a_web_memory_change_resizes_web_and_rolls_every_class_through_odoo_conf():
    changed = changes(render("acme"), render("acme", limits={"web": {"memory_mb": 1152}}))
    conf = "ConfigMap/odoo-conf:.data.odoo.conf"
    hashes = ["Deployment/odoo-%s:.spec.template.metadata.annotations.odoo-saas.io/config-hash" % k for k in ("cron", "web", "websocket")]
    web = ["Deployment/odoo-web:.spec.template.spec.containers[0].resources.%s.memory" % k for k in ("limits", "requests")]
    limit_range = ["LimitRange/odoo-limits:.spec.limits[0].max.memory"]
    # limit_memory_hard/soft follow the web container's memory; every class reads the same odoo.conf.
    assert changed == sorted([conf] + hashes + web + limit_range)


def test_a_tier_change_resizes_quota_and_pods_and_adds_autoscaling():
    before, after = render("acme"), render("acme", tier="medium")
    changed = changes(before, after)
    kinds = {c.split("/")[0] for c in changed}
    assert kinds == {"Namespace", "ResourceQuota", "LimitRange", "ConfigMap", "Deployment", "HorizontalPodAutoscaler",
                     "Middleware"}
    assert "Namespace/odoo-acme:.metadata.labels.odoo-saas.io/tier" in changed
    # medium adds an autoscaled web and a worker class (HPA, and no fixed replicas for web).
    assert {o["metadata"]["name"] for o in after if o["kind"] == "HorizontalPodAutoscaler"} == {"odoo-web", "odoo-worker"}
    assert "Deployment/odoo-web:.spec.replicas" in changed
    assert "Middleware/acme-ratelimit:.spec.rateLimit.average" in changed
    # What the tier does not size stays as it was.
    untouched = ("NetworkPolicy", "Secret", "ServiceAccount", "PersistentVolumeClaim", "IngressRoute")
    assert not [c for c in changed if c.startswith(untouched)]


def test_an_upgrade_renders_a_migration_job_and_a_web_rollout_without_unavailability():
    from k8s_fixtures import tenant
    acme = tenant("acme")
    job = migration_job(acme, "odoo:17.0-20250301")
    pod = job["spec"]["template"]["spec"]
    assert pod["containers"][0]["image"] == "odoo:17.0-20250301"
    assert pod["containers"][0]["command"][:7] == ["odoo", "--no-http", "-d", "acme", "-u", "base,sale", "--stop-after-init"]
    assert pod["restartPolicy"] == "Never" and job["spec"]["backoffLimit"] == 0
    # Another image or module list is another Job: each upgrade runs its own migration once.
    assert migration_job(acme, "odoo:17.0-20250401")["metadata"]["name"] != job["metadata"]["name"]
    web = next(o for o in render("acme", image="odoo:17.0-20250301") if o["kind"] == "Deployment" and o["metadata"]["name"] == "odoo-web")
    assert web["spec"]["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    cron = next(o for o in render("acme") if o["kind"] == "Deployment" and o["metadata"]["name"] == "odoo-cron")
    assert cron["spec"]["strategy"] == {"type": "Recreate"} and cron["spec"]["replicas"] == 1


def test_the_init_job_is_one_per_tenant_and_kept():
    from k8s_fixtures import tenant
    hooli = tenant("hooli")
    job = migration_job(hooli, hooli["image"], action="init")
    assert job["metadata"]["name"] == "odoo-init-hooli" and "ttlSecondsAfterFinished" not in job["spec"]
    # A shared tenant's database is initialised in its pool's namespace, with the pool's role.
    assert job["metadata"]["namespace"] == "odoo-pool-shared"
    assert job["spec"]["template"]["spec"]["containers"][0]["command"][2:6] == ["-d", "hooli", "-i", "base"]
