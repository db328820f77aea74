"""The AWX execution environment builds a context, and its pins are the ones the tests run."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from cli_test_paths import REPO

BIN = Path(sys.executable).parent


def pins(path):
    lines = [line.split("#")[0].strip() for line in Path(path).read_text().splitlines()]
    return dict(re.split(r"==", line, maxsplit=1) for line in lines if "==" in line)


def test_ansible_builder_creates_a_build_context(tmp_path):
    proc = subprocess.run([str(BIN / "ansible-builder"), "create", "-f", str(REPO / "meta" / "execution-environment.yml"),
                           "-c", str(tmp_path / "context")], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    dockerfile = (tmp_path / "context" / "Dockerfile").read_text()
    assert "ansible-core==2.19.14" in dockerfile and "ansible-runner==2.4.3" in dockerfile
    build = tmp_path / "context" / "_build"
    assert pins(build / "requirements.txt") == pins(REPO / "meta" / "ee" / "requirements.txt")
    assert "community.postgresql" in (build / "requirements.yml").read_text()


def test_the_environment_pins_what_the_controller_runs():
    controller = pins(REPO / "requirements.txt")
    for package, version in pins(REPO / "meta" / "ee" / "requirements.txt").items():
        assert controller[package] == version, package
    definition = yaml.safe_load((REPO / "meta" / "execution-environment.yml").read_text())
    assert definition["dependencies"]["ansible_core"]["package_pip"] == f"ansible-core=={controller['ansible-core']}"
    assert definition["dependencies"]["ansible_runner"]["package_pip"] == f"ansible-runner=={controller['ansible-runner']}"
    installed = Path(sys.executable).parents[1].glob("lib/python3*/site-packages/ansible_collections")
    collections = next(installed)
    for item in yaml.safe_load((REPO / "meta" / "ee" / "requirements.yml").read_text())["collections"]:
        namespace, name = item["name"].split(".")
        manifest = json.loads((collections / namespace / name / "MANIFEST.json").read_text())
        assert manifest["collection_info"]["version"] == item["version"], item["name"]


def test_awx_configure_refuses_to_start_without_its_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTROLLER_")}
    env.update(ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), PATH=os.pathsep.join([str(BIN), env["PATH"]]))
    proc = subprocess.run([str(BIN / "ansible-playbook"), "odoo_saas.platform.awx_configure",
                           "-e", "awx_project_scm_url=https://git.example.com/ops/odoo-saas.git"],
                          capture_output=True, text=True, cwd=REPO, env=env, check=False)
    assert proc.returncode == 2
    assert "set CONTROLLER_HOST" in proc.stdout
    assert "changed=0" in proc.stdout and "ok=0" in proc.stdout
