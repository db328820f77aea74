"""The k3s role's configuration and checks, by ansible-playbook on a test inventory of local hosts.
Installing k3s is not exercised: no k3s binary can be obtained here (see README)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible_collections.odoo_saas.platform.plugins.filter.k3s import k3s_kubeconfig

REPO = Path(__file__).resolve().parents[3]
PLAYBOOK = Path(__file__).parent / "playbooks" / "render.yml"
TOKEN = "test-token-0123456789abcdef"
SHA = "a" * 64


def inventory(tmp_path, **overrides):
    hosts = {name: {"k3s_node_ip": "10.0.0.%d" % (10 + i), "k3s_data_dir": str(tmp_path / name / "data")}
             for i, name in enumerate(["s1", "s2", "s3", "a1"])}
    common = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "render_dir": str(tmp_path / "out"),
              "k3s_api_endpoint": "10.0.0.10", "k3s_token": TOKEN, "k3s_binary_sha256": SHA, "k3s_tls_san": ["k8s.example.com"]}
    common.update(overrides)
    data = {"all": {"vars": common, "children": {
        "k3s_server": {"hosts": {h: hosts[h] for h in ("s1", "s2", "s3")}},
        "k3s_agent": {"hosts": {"a1": hosts["a1"]}}}}}
    path = tmp_path / "hosts.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    (tmp_path / "out").mkdir(exist_ok=True)
    return path


def play(tmp_path, **overrides):
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(["ansible-playbook", "-i", str(inventory(tmp_path, **overrides)), str(PLAYBOOK)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)


def config(tmp_path, host):
    return yaml.safe_load((tmp_path / "out" / ("%s.yaml" % host)).read_text(encoding="utf-8"))


def test_first_server_creates_the_cluster_and_the_others_join_it(tmp_path):
    result = play(tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    first, second, agent = config(tmp_path, "s1"), config(tmp_path, "s2"), config(tmp_path, "a1")
    assert first["cluster-init"] is True and "server" not in first
    assert second["server"] == "https://10.0.0.10:6443" and "cluster-init" not in second
    assert agent["server"] == "https://10.0.0.10:6443" and "cluster-init" not in agent and "disable" not in agent
    # The platform's Traefik, not the bundled one; the API certificate names the endpoint.
    assert first["disable"] == ["traefik"] and first["tls-san"] == ["10.0.0.10", "k8s.example.com"]
    assert (first["node-ip"], agent["node-ip"]) == ("10.0.0.10", "10.0.0.13")
    # The token is read from a 0600 file, never written into config.yaml or the output.
    assert all(c["token-file"] == "/etc/rancher/k3s/token" for c in (first, second, agent))
    assert TOKEN not in (tmp_path / "out" / "s1.yaml").read_text() and TOKEN not in result.stdout


def test_extra_settings_merge_over_the_roles(tmp_path):
    result = play(tmp_path, k3s_server_config={"disable": ["traefik", "servicelb"], "etcd-snapshot-retention": 10},
                  k3s_agent_config={"node-label": ["odoo-saas.io/pool=app_globex"]})
    assert result.returncode == 0, result.stdout[-3000:]
    assert config(tmp_path, "s2")["disable"] == ["traefik", "servicelb"] and config(tmp_path, "s2")["etcd-snapshot-retention"] == 10
    assert config(tmp_path, "a1")["node-label"] == ["odoo-saas.io/pool=app_globex"]


def test_a_changed_token_is_refused_before_anything(tmp_path):
    token_file = tmp_path / "s2" / "data" / "server" / "token"
    token_file.parent.mkdir(parents=True)
    token_file.write_text("K10" + "b" * 64 + "::server:the-original-token-0123\n")
    result = play(tmp_path)
    assert result.returncode != 0
    assert "k3s_token differs from the token this cluster was created with" in result.stdout
    assert "the-original-token-0123" not in result.stdout and TOKEN not in result.stdout
    # The same token as the cluster's passes.
    token_file.write_text("K10" + "b" * 64 + "::server:" + TOKEN + "\n")
    assert play(tmp_path).returncode == 0


@pytest.mark.parametrize("overrides, message", [
    ({"k3s_token": "short"}, "k3s_token must be set (16 characters or more"),
    ({"k3s_binary_sha256": ""}, "k3s_binary_sha256"),
    ({"k3s_images_url": "https://example.com/k3s-airgap-images-amd64.tar.zst"}, "k3s_images_sha256"),
    ({"k3s_state": "reset"}, "set k3s_reset_confirm=odoo-saas"),
])
def test_bad_settings_are_refused_naming_them(tmp_path, overrides, message):
    result = play(tmp_path, **overrides)
    assert result.returncode != 0 and message in result.stdout


def test_the_kubeconfig_gets_its_own_names_and_the_endpoint():
    admin = {"apiVersion": "v1", "kind": "Config", "current-context": "default",
             "clusters": [{"name": "default", "cluster": {"server": "https://127.0.0.1:6443", "certificate-authority-data": "Q0E="}}],
             "users": [{"name": "default", "user": {"client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ"}}],
             "contexts": [{"name": "default", "context": {"cluster": "default", "user": "default"}}]}
    before = json.dumps(admin, sort_keys=True)
    result = k3s_kubeconfig(admin, "odoo-saas", "https://10.0.0.10:6443")
    assert result["current-context"] == "odoo-saas"
    assert result["clusters"][0] == {"name": "odoo-saas", "cluster": {"server": "https://10.0.0.10:6443", "certificate-authority-data": "Q0E="}}
    assert result["contexts"][0] == {"name": "odoo-saas", "context": {"cluster": "odoo-saas", "user": "odoo-saas"}}
    assert result["users"][0] == {"name": "odoo-saas", "user": {"client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ"}}
    assert json.dumps(admin, sort_keys=True) == before  # the input is left as it was
