"""tenant_state, run as Ansible runs a module: read, merge, check mode, removal, refusals."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

MODULE = Path(__file__).resolve().parents[3] / "plugins" / "modules" / "tenant_state.py"
COLLECTIONS = Path(__file__).resolve().parents[3] / "collections"


def run(tmp_path, check_mode=False, diff=False, **args):
    args = dict(args, path=str(tmp_path / "records"), _ansible_check_mode=check_mode, _ansible_diff=diff)
    args_file = tmp_path / "args.json"
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    proc = subprocess.run([sys.executable, str(MODULE), str(args_file)], capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(COLLECTIONS)})
    return json.loads(proc.stdout)


def test_a_record_is_written_merged_and_read_back(tmp_path):
    first = run(tmp_path, name="acme", state="present", record={"status": "complete", "fingerprint": "f1", "image": "odoo:17.0"})
    assert first["changed"] and first["records"]["acme"]["fingerprint"] == "f1"
    again = run(tmp_path, name="acme", state="present", record={"status": "complete", "fingerprint": "f1"})
    assert not again["changed"]
    merged = run(tmp_path, name="acme", state="present", record={"fingerprint": "f2", "image": None})
    assert merged["changed"] and merged["records"]["acme"] == {"status": "complete", "fingerprint": "f2"}
    assert run(tmp_path)["records"] == {"acme": {"status": "complete", "fingerprint": "f2"}}
    assert run(tmp_path, names=["acme", "globex"])["records"] == {"acme": {"status": "complete", "fingerprint": "f2"}}


def test_check_mode_and_diff_change_nothing(tmp_path):
    result = run(tmp_path, check_mode=True, diff=True, name="acme", state="present", record={"status": "complete"})
    assert result["changed"] and '"status": "complete"' in result["diff"]["after"]
    assert run(tmp_path)["records"] == {}


def test_absent_removes_the_record(tmp_path):
    run(tmp_path, name="acme", state="present", record={"status": "offboarded"})
    assert run(tmp_path, name="acme", state="absent")["changed"]
    assert not run(tmp_path, name="acme", state="absent")["changed"]
    assert run(tmp_path)["records"] == {}


@pytest.mark.parametrize("args, says", [
    ({"name": "Acme", "state": "present"}, "is not a tenant name"),
    ({"name": "acme", "state": "present", "record": {"db_password": "x"}}, "hold no secrets"),
    ({"state": "present"}, "name"),
])
def test_bad_input_is_refused(tmp_path, args, says):
    result = run(tmp_path, **args)
    assert result.get("failed") and says in result["msg"]
    assert not (tmp_path / "records").exists()
