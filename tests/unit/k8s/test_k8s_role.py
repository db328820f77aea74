"""The odoo_k8s role run by ansible-playbook: what it renders from registry entries, and what it refuses
before touching a cluster. No cluster exists here, so applying is never exercised (see README)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
PLAYBOOK = Path(__file__).parent / "playbooks" / "render.yml"
REGISTRY = [
    {"name": "acme", "hosts": ["acme.example.com"], "tier": "small", "slot": 1, "image": "odoo:17.0-20250101"},
    {"name": "globex", "hosts": ["globex.example.com"], "tenancy": "dedicated", "tier": "medium", "slot": 2,
     "image": "odoo:17.0-20250101", "app_group": "app_globex", "db_group": "postgres_globex"},
    {"name": "hooli", "hosts": ["hooli.example.com"], "tenancy": "shared", "slot": 3, "image": "odoo:17.0-20250101"},
]
SECRET_WORDS = ["role-test-db-secret", "role-test-redis-secret", "role-test-admin-secret", "role-test-sentinel-secret"]


def play(tmp_path, registry=None, **extra):
    extra = dict({"k8s_registry": registry or REGISTRY, "ansible_python_interpreter": sys.executable}, **extra)
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    return subprocess.run(["ansible-playbook", "-i", "localhost,", str(PLAYBOOK), "-e", json.dumps(extra)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("manifests")
    result = play(out, odoo_k8s_apply=False, odoo_k8s_manifest_dir=str(out))
    assert result.returncode == 0, result.stdout[-3000:]
    return out, result


def test_renders_a_file_per_namespace_that_validates(rendered):
    out = rendered[0]
    files = sorted(p.name for p in out.iterdir())
    assert files == ["odoo-acme.yaml", "odoo-globex.yaml", "odoo-pool-shared.yaml"]
    for path in out.iterdir():
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            if not item["apiVersion"].startswith("traefik.io/"):
                kubernetes_validate.validate(item, "1.33.0", strict=True)


def test_the_hosts_data_tier_and_shared_routes_come_through(rendered):
    out = rendered[0]
    acme = yaml.safe_load((out / "odoo-acme.yaml").read_text(encoding="utf-8"))
    conf = next(o for o in acme if o["kind"] == "ConfigMap")["data"]["odoo.conf"]
    assert "db_host = 10.20.0.10" in conf and "db_name = acme" in conf
    egress = next(o for o in acme if o["metadata"]["name"] == "allow-data-tier")["spec"]["egress"]
    assert egress == [{"to": [{"ipBlock": {"cidr": "10.20.0.10/32"}}],
                       "ports": [{"protocol": "TCP", "port": 5000}, {"protocol": "TCP", "port": 5001}]}]
    pool = yaml.safe_load((out / "odoo-pool-shared.yaml").read_text(encoding="utf-8"))
    route = next(o for o in pool if o["kind"] == "IngressRoute")
    assert route["metadata"]["name"] == "hooli" and "Host(`hooli.example.com`)" in route["spec"]["routes"][0]["match"]


def test_no_secret_reaches_the_files_or_the_output(rendered):
    out, result = rendered
    texts = [p.read_text(encoding="utf-8") for p in out.iterdir()] + [result.stdout, result.stderr]
    assert not [word for word in SECRET_WORDS for text in texts if word in text]
    assert all("kind: Secret" not in p.read_text(encoding="utf-8") for p in out.iterdir())


def test_a_missing_kubeconfig_is_refused_before_anything(tmp_path):
    result = play(tmp_path, odoo_k8s_kubeconfig=str(tmp_path / "missing"), odoo_k8s_context="lab")
    assert result.returncode != 0
    assert "odoo_k8s_kubeconfig must be the path of a kubeconfig on the controller" in result.stdout


def test_a_context_the_kubeconfig_lacks_is_refused(tmp_path):
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "Config", "contexts": [{"name": "prod", "context": {"cluster": "prod"}}]}))
    result = play(tmp_path, odoo_k8s_kubeconfig=str(kubeconfig), odoo_k8s_context="staging")
    assert result.returncode != 0
    assert "odoo_k8s_context 'staging' is not a context of" in result.stdout and "(it has: prod)" in result.stdout


def test_an_unknown_runtime_is_refused_naming_it(tmp_path):
    registry = [dict(REGISTRY[0], runtime="nomad")]
    result = play(tmp_path, registry=registry, odoo_k8s_apply=False, odoo_k8s_manifest_dir=str(tmp_path))
    assert result.returncode != 0 and "tenant 'acme': runtime 'nomad' is unknown" in result.stdout
