"""One playbook run through ansible-runner: its private data dir, its events, its outcome."""

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import ansible_runner

from odoo_saas_cli.errors import RunLocked

STATS_KEYS = {"ok": "ok", "changed": "changed", "failures": "failed", "dark": "unreachable",
              "skipped": "skipped", "rescued": "rescued", "ignored": "ignored"}


def lock_path(runs, inventory):
    return Path(runs) / f".lock-{hashlib.sha256(str(inventory).encode()).hexdigest()[:12]}"


@contextlib.contextmanager
def fleet_lock(runs, inventory):
    """One run at a time per inventory from this checkout: two converges of one fleet interleave badly."""
    Path(runs).mkdir(parents=True, exist_ok=True)
    path = lock_path(runs, inventory)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise RunLocked(f"another odoo-saas run on {inventory} is in progress ({handle.read().strip()})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield


def new_run_dir(runs, command):
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = Path(runs) / f"{stamp}-{command.replace(' ', '-')}-{secrets.token_hex(2)}"
    path.mkdir(parents=True, mode=0o750)
    return path


def search_path():
    """PATH with this Python's bin directory first, so a venv's ansible-playbook runs without activating it."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def scrub_command_artifact(path):
    """ansible-runner records the whole environment of the run in artifacts/<ident>/command; the
    operator's environment can hold credentials, so only the variables' names are kept."""
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    data["env"] = sorted(data.get("env") or {})
    path.write_text(json.dumps(data) + "\n", encoding="utf-8")


class Outcome:
    """What a run did, from its events: per-host counts, the failed tasks, and its status."""

    def __init__(self):
        self.hosts = {}
        self.failures = []
        self.status = "starting"
        self.started = time.monotonic()
        self.elapsed = 0.0
        self.rc = None

    def add_event(self, event):
        data = event.get("event_data", {})
        kind = event.get("event")
        if kind in ("runner_on_failed", "runner_on_unreachable") and not data.get("ignore_errors"):
            result = data.get("res") or {}
            # A loop's own message is "One or more items failed": name the first item that did.
            failed_items = [item for item in result.get("results") or [] if isinstance(item, dict) and item.get("failed")]
            if failed_items:
                result = failed_items[0]
            self.failures.append({
                "host": data.get("host"),
                "task": data.get("task"),
                "play": data.get("play"),
                "unreachable": kind == "runner_on_unreachable",
                # Ansible has already censored the result of a no_log task.
                "message": str(result.get("msg") or result.get("stderr") or result.get("reason") or "")[:2000],
            })
        elif kind == "playbook_on_stats":
            for key, name in STATS_KEYS.items():
                for host, count in (data.get(key) or {}).items():
                    self.hosts.setdefault(host, dict.fromkeys(STATS_KEYS.values(), 0))[name] = count

    def totals(self):
        return {name: sum(host[name] for host in self.hosts.values()) for name in STATS_KEYS.values()}

    def as_dict(self):
        return {"status": self.status, "rc": self.rc, "elapsed_seconds": round(self.elapsed, 1),
                "totals": self.totals(), "hosts": self.hosts, "failures": self.failures}


def run_playbook(project, run_dir, command, playbook, extravars=None, limit=None, tags=None, display=None):
    """Run a playbook of the collection in its private data dir (run_dir); returns the Outcome."""
    outcome = Outcome()
    display = display or (lambda *_: None)

    def on_event(event):
        outcome.add_event(event)
        display("event", event, outcome)
        return True

    def on_status(status, runner_config):  # noqa: ARG001 - ansible-runner's signature
        outcome.status = status["status"]
        display("status", status, outcome)

    (run_dir / "request.json").write_text(json.dumps(
        {"command": command, "playbook": str(playbook.relative_to(project.root)), "extravars": extravars or {},
         "inventory": str(project.inventory), "limit": limit, "tags": tags}, indent=2) + "\n", encoding="utf-8")
    runner = ansible_runner.run(
        private_data_dir=str(run_dir),
        project_dir=str(project.root),
        playbook=str(playbook),
        inventory=str(project.inventory),
        extravars=extravars or {},
        envvars={"ANSIBLE_CONFIG": str(project.root / "ansible.cfg"), "ANSIBLE_FORCE_COLOR": "0", "PATH": search_path()},
        limit=limit,
        tags=tags,
        ident="run",
        quiet=True,
        event_handler=on_event,
        status_handler=on_status,
    )
    scrub_command_artifact(run_dir / "artifacts" / "run" / "command")
    outcome.rc = runner.rc
    outcome.status = runner.status
    outcome.elapsed = time.monotonic() - outcome.started
    (run_dir / "outcome.json").write_text(json.dumps(outcome.as_dict(), indent=2) + "\n", encoding="utf-8")
    os.chmod(run_dir / "outcome.json", 0o640)
    return outcome
