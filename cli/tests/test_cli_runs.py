"""Runs through ansible-runner: summaries, exit codes, artifacts, JSON, progress and secrets."""

import json
import os
import pty
import secrets
import select
import subprocess
import sys

from cli_test_paths import REPO


def run_dirs(tmp_path):
    runs = tmp_path / "runs"
    return sorted(p for p in runs.iterdir() if p.is_dir()) if runs.exists() else []


def test_deploy_summarises_each_host_and_keeps_artifacts(odoo_saas, tmp_path):
    proc = odoo_saas("deploy")
    assert proc.returncode == 0, proc.stderr
    assert "deploy: succeeded" in proc.stdout
    rows = {line.split()[0]: line.split()[1:] for line in proc.stdout.splitlines() if line.startswith("  node")}
    assert rows == {"node1": ["2", "1", "0", "0", "0"], "node2": ["2", "1", "0", "0", "0"]}
    [run] = run_dirs(tmp_path)
    artifacts = run / "artifacts" / "run"
    assert (artifacts / "status").read_text() == "successful"
    assert any(p.name.endswith(".json") for p in (artifacts / "job_events").iterdir())
    assert f"Artifacts: {artifacts}" in proc.stdout


def test_a_failing_playbook_names_the_host_and_task(odoo_saas, tmp_path):
    proc = odoo_saas("deploy", "--tags", "all,boom")
    assert proc.returncode == 1
    assert "deploy: FAILED" in proc.stdout
    assert "failed: node2 in task 'Fail on node2': node2 refuses the change" in proc.stdout
    [run] = run_dirs(tmp_path)
    assert (run / "artifacts" / "run" / "status").read_text() == "failed"
    assert json.loads((run / "outcome.json").read_text())["failures"][0]["host"] == "node2"


def test_json_prints_one_object_and_nothing_else(odoo_saas):
    proc = odoo_saas("deploy", "--json", "--tags", "all,boom")
    result = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert result["status"] == "failed" and result["totals"]["failed"] == 1
    assert result["hosts"]["node1"]["changed"] == 1 and result["hosts"]["node2"]["failed"] == 1
    assert result["failures"][0]["task"] == "Fail on node2"


def test_invalid_arguments_are_refused_before_any_run(odoo_saas, tmp_path):
    cases = [
        ("deploy", "--no-such-flag"),
        ("failover", "--mode", "panic"),
        ("failover", "--mode", "failover", "--candidate", "lab-db2"),
        ("restore-drill", "--type", "time", "--time", "yesterday"),
        ("restore-drill", "--check", "orders"),
        ("backup", "now", "--type", "weekly"),
    ]
    for args in cases:
        proc = odoo_saas(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert proc.stderr.startswith("odoo-saas: "), (args, proc.stderr)
    proc = odoo_saas("--json", "failover", "--mode", "panic")
    assert proc.returncode == 2 and json.loads(proc.stdout)["error"] == "invalid"
    assert run_dirs(tmp_path) == []


def test_tenant_requests_are_checked_as_the_playbooks_check_them(odoo_saas, tmp_path):
    bad = REPO / "molecule" / "platform" / "tenants" / "bad"
    cases = {
        ("tenant", "onboard", "Bad_Name"): "tenant name 'Bad_Name'",
        ("tenant", "onboard", "nosuch"): "not in the registry",
        ("tenant", "offboard", "demo"): "--confirm must repeat",
        ("tenant", "offboard", "demo", "--confirm", "dem"): "--confirm must repeat",
        ("upgrade", "demo", "--image", "odoo"): "has no tag",
        ("upgrade", "nosuch"): "not in the registry",
        ("tenant", "onboard", "duphost", "--file", str(bad / "dup-host.yml")): "duphost",
        ("tenant", "onboard", "toobig", "--file", str(bad / "bad-tenancy.yml")): "tenancy",
    }
    for args, message in cases.items():
        proc = odoo_saas(*args, root=REPO)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert message in proc.stderr, (args, proc.stderr)
    assert run_dirs(tmp_path) == []


def test_a_terminal_gets_a_live_status_line(project, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "ODOO_SAAS_PROJECT_DIR")}
    env.update(TERM="xterm", ODOO_SAAS_RUNS_DIR=str(tmp_path / "runs"))
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "odoo_saas_cli", "--project-dir", str(project), "deploy"],
                            stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    output = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 120)
        try:
            chunk = os.read(controller, 65536) if ready else b""
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            break
        output += chunk
    assert proc.wait(timeout=60) == 0
    text = output.decode()
    assert "\r\x1b[2K" in text, text
    assert "Change something | hosts ok" in text
    assert "PLAY Converge the test nodes" in text
    assert "deploy: succeeded" in text


def test_no_secret_reaches_the_artifacts(odoo_saas, tmp_path):
    secret = secrets.token_urlsafe(24)
    proc = odoo_saas("deploy", "--tags", "all,secret", env={"FIXTURE_SECRET": secret})
    assert proc.returncode == 0, proc.stdout
    assert "Use a secret" in (run_dirs(tmp_path)[0] / "artifacts" / "run" / "stdout").read_text()
    leaks = [str(path) for path in tmp_path.joinpath("runs").rglob("*")
             if path.is_file() and secret.encode() in path.read_bytes()]
    assert leaks == []
    assert secret not in proc.stdout + proc.stderr


def test_a_second_run_on_the_same_inventory_waits_its_turn(odoo_saas, tmp_path, project):
    import fcntl

    from odoo_saas_cli.run import lock_path

    runs = tmp_path / "runs"
    runs.mkdir()
    lock = lock_path(runs, project / "inventories" / "lab" / "hosts.yml")
    with open(lock, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = odoo_saas("deploy")
    assert proc.returncode == 3
    assert "another odoo-saas run on" in proc.stderr
    assert [p for p in runs.iterdir() if not p.name.startswith(".lock")] == []
