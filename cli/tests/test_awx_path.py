"""The path AWX and Receptor run jobs on: ansible-runner transmit | worker | process."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cli_test_paths import HERE


def test_events_and_status_come_back_through_transmit_worker_process(tmp_path):
    job = tmp_path / "job"
    (job / "project").mkdir(parents=True)
    (job / "inventory").mkdir()
    shutil.copy(HERE / "project" / "playbooks" / "site.yml", job / "project" / "site.yml")
    shutil.copy(HERE / "project" / "inventories" / "lab" / "hosts.yml", job / "inventory" / "hosts.yml")
    out = tmp_path / "processed"
    out.mkdir()
    runner = str(Path(sys.executable).parent / "ansible-runner")
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))

    transmit = subprocess.Popen([runner, "transmit", str(job), "-p", "site.yml", "--ident", "awx"],
                                stdout=subprocess.PIPE, env=env)
    worker = subprocess.Popen([runner, "worker", "--private-data-dir", str(tmp_path / "worker")],
                              stdin=transmit.stdout, stdout=subprocess.PIPE, env=env)
    transmit.stdout.close()
    process = subprocess.run([runner, "process", str(out), "--ident", "awx"], stdin=worker.stdout,
                             capture_output=True, text=True, env=env, check=False, timeout=300)
    worker.stdout.close()
    assert transmit.wait(timeout=60) == 0 and worker.wait(timeout=60) == 0
    assert process.returncode == 0, process.stderr

    artifacts = out / "artifacts" / "awx"
    assert (artifacts / "status").read_text() == "successful"
    events = [json.loads(p.read_text()) for p in (artifacts / "job_events").glob("*.json")]
    stats = [e for e in events if e["event"] == "playbook_on_stats"]
    assert len(stats) == 1 and stats[0]["event_data"]["changed"] == {"node1": 1, "node2": 1}
    assert {e["event_data"].get("task") for e in events if e["event"] == "runner_on_ok"} == {"Report something", "Change something"}
