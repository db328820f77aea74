"""The collection tarball: what users install from Galaxy or a file."""

import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOT_SHIPPED = ("lab/", "tools/", "benchmarks/", ".venv/", ".cache/", ".ci/", "inventories/lab/", "molecule/", "collections/ansible_collections", "Makefile")


@pytest.fixture(scope="module")
def tarball_members(tmp_path_factory):
    galaxy = shutil.which("ansible-galaxy")
    assert galaxy, "run the tests from the venv (make test): ansible-galaxy is missing"
    out = tmp_path_factory.mktemp("build")
    subprocess.run([galaxy, "collection", "build", "--output-path", str(out), str(REPO)], check=True, capture_output=True)
    (tarball,) = out.glob("odoo_saas-platform-*.tar.gz")
    with tarfile.open(tarball) as tar:
        return [m.name for m in tar.getmembers()]


def test_tarball_has_the_collection(tarball_members):
    for expected in ("MANIFEST.json", "roles/base/tasks/main.yml", "roles/base/meta/argument_specs.yml", "playbooks/site.yml", "meta/runtime.yml"):
        assert expected in tarball_members


def test_tarball_has_no_lab_or_build_junk(tarball_members):
    junk = [name for name in tarball_members if name.startswith(NOT_SHIPPED) or "__pycache__" in name]
    assert junk == []
