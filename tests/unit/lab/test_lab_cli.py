"""The lab script: what it decides before it touches the machine."""

import importlib.util
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
LAB_PY = REPO / "lab" / "lab.py"

spec = importlib.util.spec_from_file_location("lab", LAB_PY)
lab = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lab)

DEB822 = """\
Types: deb
URIs: http://mirror.example.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example.org/debian-security
Suites: bookworm-security
Components: main
"""


def test_mirror_is_read_from_deb822_sources():
    assert lab.mirror_from_deb822(DEB822) == "http://mirror.example.org/debian"


def test_mirror_is_read_from_one_line_sources():
    text = "# comment\ndeb http://mirror.example.org/debian-security bookworm-security main\n" \
           "deb http://mirror.example.org/debian/ bookworm main contrib\n"
    assert lab.mirror_from_one_line(text) == "http://mirror.example.org/debian"


def test_mirror_for_another_suite_is_not_used():
    assert lab.mirror_from_deb822(DEB822.replace("bookworm", "trixie")) is None


@pytest.mark.parametrize(
    "os_release, expected",
    [
        ('ID=debian\nVERSION_ID="12"\n', True),
        ('ID=ubuntu\nID_LIKE=debian\n', True),
        ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', True),
        ('ID=fedora\nID_LIKE=""\n', False),
        ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', False),
    ],
)
def test_debian_like_hosts_are_recognised(tmp_path, os_release, expected):
    path = tmp_path / "os-release"
    path.write_text(os_release)
    assert lab.is_debian_like(lab.read_os_release(path)) is expected


@pytest.fixture
def no_engine(tmp_path, monkeypatch):
    """A PATH with no docker, and an apt-get that records being called."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-get.calls"
    apt_get = bin_dir / "apt-get"
    apt_get.write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\n")
    apt_get.chmod(apt_get.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir))
    return calls


def test_missing_engine_on_another_system_stops_with_what_to_do(tmp_path, no_engine):
    os_release = tmp_path / "os-release"
    os_release.write_text('ID=fedora\nPRETTY_NAME="Fedora Linux 41"\n')
    with pytest.raises(lab.LabError) as err:
        lab.ensure_engine(os_release)
    message = str(err.value)
    assert "Fedora Linux 41" in message
    assert "Install and start Docker Engine" in message
    assert not no_engine.exists(), "nothing may be installed on a system the lab does not support"


def test_info_without_an_engine_reports_no_hosts(no_engine):
    info = lab.lab_info()
    assert info["engine"] is False
    assert info["hosts"] == []
    assert info["credentials"]["directory"].endswith("inventories/lab/.secrets")


def test_image_definition_changes_with_its_files(tmp_path, monkeypatch):
    images = tmp_path / "images"
    (images / "systemd").mkdir(parents=True)
    dockerfile = images / "systemd" / "Dockerfile"
    dockerfile.write_text("FROM base\n")
    monkeypatch.setattr(lab, "IMAGES_DIR", images)
    name = f"{lab.LAB_NAME}/systemd:{lab.SUITE}"
    first = lab.definition_hash(name, "http://mirror.example.org/debian")
    assert first == lab.definition_hash(name, "http://mirror.example.org/debian")
    dockerfile.write_text("FROM base\nRUN true\n")
    assert lab.definition_hash(name, "http://mirror.example.org/debian") != first
    # The root filesystem (and so every image) follows the mirror it was bootstrapped from.
    assert lab.definition_hash(name, "http://other.example.org/debian") != lab.definition_hash(
        name, "http://mirror.example.org/debian"
    )


def test_endpoints_combine_inventory_and_container_labels():
    hosts = [
        {"name": "lab-db1", "address": "10.9.0.3", "endpoints": []},
        {"name": "lab-aptcache", "address": "10.9.0.2", "endpoints": [{"name": "apt-cache", "scheme": "http", "port": 3142}]},
    ]
    hostvars = {"lab-db1": {"lab_endpoints_pg": [{"name": "postgres-rw", "scheme": "postgresql", "port": 5000}],
                            "lab_endpoints_api": [{"name": "patroni-api", "scheme": "https", "port": 8008}]}}
    found = {e["name"]: e for e in lab.endpoints(hosts, hostvars)}
    assert found["postgres-rw"]["url"] == "postgresql://10.9.0.3:5000"
    assert found["patroni-api"]["url"] == "https://10.9.0.3:8008"
    assert found["apt-cache"]["url"] == "http://10.9.0.2:3142"
    assert found["apt-cache"]["host"] == "lab-aptcache"


def test_unknown_action_is_refused_before_anything_runs(no_engine):
    proc = subprocess.run(
        [sys.executable, str(LAB_PY), "launch"], capture_output=True, text=True, check=False, env=dict(os.environ)
    )
    assert proc.returncode == 2
    assert "invalid choice: 'launch'" in proc.stderr
    assert "up" in proc.stderr and "destroy" in proc.stderr
    assert not no_engine.exists()


def test_info_json_is_one_parseable_object(no_engine):
    proc = subprocess.run(
        [sys.executable, str(LAB_PY), "info", "--json"], capture_output=True, text=True, check=True, env=dict(os.environ)
    )
    assert set(json.loads(proc.stdout)) == {"lab", "engine", "hosts", "endpoints", "credentials"}
