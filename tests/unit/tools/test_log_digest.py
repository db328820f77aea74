"""tools/log-digest: CI shows only the tail of a run, so the digest must find the failure in molecule's output."""

import subprocess
import sys
from pathlib import Path

DIGEST = Path(__file__).resolve().parents[3] / "tools" / "log-digest"

# What molecule relays: ANSI colours, a "│" gutter, ignored and real failures, profile_tasks lines.
LOG = """\
  \x1b[2m│\x1b[0m PLAY [Check Redis and Sentinel] *********
  \x1b[2m│\x1b[0m TASK [Probe a key that may be missing]
  \x1b[2m│\x1b[0m \x1b[0;31mfatal: [lab-redis1]: FAILED! => {"msg": "expected"}\x1b[0m
  \x1b[2m│\x1b[0m ...ignoring
  \x1b[2m│\x1b[0m TASK [Kill the master and count lost writes]
  \x1b[2m│\x1b[0m fatal: [localhost]: FAILED! => {"msg": "3 acknowledged writes lost"}
  \x1b[2m│\x1b[0m odoo_saas.platform.patroni : Wait for a leader ------------------ 41.20s
  \x1b[2m│\x1b[0m Kill the master and count lost writes ---------------------------- 12.05s
"""


def run_digest(tmp_path, text, *args):
    log = tmp_path / "molecule.log"
    log.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, str(DIGEST), str(log), *args], capture_output=True, text=True, check=True).stdout


def section(out, header):
    """The lines under one "=== header" of the digest."""
    return out.split(f"=== {header}\n")[1].split("\n===")[0].splitlines()


def test_reports_the_failed_task_with_its_play_and_skips_ignored_ones(tmp_path):
    out = run_digest(tmp_path, LOG)
    failures = section(out, "failed tasks (not ignored)")
    assert failures == ["play [Check Redis and Sentinel] task [Kill the master and count lost writes] "
                        "localhost: 3 acknowledged writes lost"]


def test_failures_come_last_so_a_short_tail_shows_them(tmp_path):
    out = run_digest(tmp_path, LOG)
    assert out.index("=== slowest") < out.index("=== failed tasks")


def test_reports_what_molecule_says_of_a_failed_idempotence_step(tmp_path):
    log = ("CRITICAL 'molecule/default/molecule.yml' glob failed.  Exiting.\n"
           "CRITICAL Idempotence test failed because of the following tasks:\n"
           "*  [lab-pg1] => odoo_saas.platform.patroni : Write patroni.yml\n")
    failures = section(run_digest(tmp_path, log), "failed tasks (not ignored)")
    assert failures == ["CRITICAL Idempotence test failed because of the following tasks:",
                        "*  [lab-pg1] => odoo_saas.platform.patroni : Write patroni.yml"]


def test_lists_the_slowest_tasks_first(tmp_path):
    out = run_digest(tmp_path, LOG, "--slowest", "1")
    slowest = section(out, "slowest 1 tasks (profile_tasks)")
    assert slowest == ["    41.2s  odoo_saas.platform.patroni : Wait for a leader"]


def test_says_none_when_nothing_failed(tmp_path):
    out = run_digest(tmp_path, "TASK [ok]\nok: [localhost]\n")
    assert out.rstrip().endswith("=== failed tasks (not ignored)\nnone")


def test_reads_timings_that_a_narrow_terminal_wrapped(tmp_path):
    wrapped = ("  \u2502 odoo_saas.platform.docker : Install Docker Engine, and the Python library\n"
               "  \u2502   community.docker uses on the host -- 39.42s\n"
               "  \u2502 odoo_saas.platform.base : Install the base packages --------------------\n"
               "  \u2502   49.24s\n")
    slowest = section(run_digest(tmp_path, wrapped), "slowest 10 tasks (profile_tasks)")
    assert slowest == ["    49.2s  odoo_saas.platform.base : Install the base packages",
                       "    39.4s  odoo_saas.platform.docker : Install Docker Engine, and the Python library community.docker uses on the host"]


def test_a_wrapped_failure_gives_its_whole_message(tmp_path):
    log = ('  \u2502 TASK [Read the cluster]\n'
           '  \u2502 fatal: [localhost]: FAILED! => {"attempts": 30, "leader": null, "msg": "no Patroni member answered: cannot reach\n'
           '  \u2502   Patroni at https://172.19.0.6:8008/cluster: [Errno 36] File name too long", "scope": null}\n'
           '  \u2502 \n')
    failures = section(run_digest(tmp_path, log), "failed tasks (not ignored)")
    assert failures == ["play [] task [Read the cluster] localhost: no Patroni member answered: cannot reach "
                        "Patroni at https://172.19.0.6:8008/cluster: [Errno 36] File name too long"]


def test_adds_up_time_by_molecule_step_and_by_verify_play(tmp_path):
    stamp = "Thursday 26 November 2026  10:41:14 +0000 ({})       0:16:24.572 *****"
    log = "\n".join([
        "INFO     platform \u279c converge: Executing",
        "  \u2502 PLAY [Deploy] ***",
        "  \u2502 TASK [Install] ***",
        "  \u2502 " + stamp.format("0:00:00.100"),
        "  \u2502 TASK [Start] ***",
        "  \u2502 " + stamp.format("0:01:30.000"),
        "INFO     platform \u279c verify: Executing",
        "  \u2502 PLAY [Check Redis] ***",
        "  \u2502 TASK [Kill the master] ***",
        "  \u2502 " + stamp.format("0:00:00.020"),
        "  \u2502 PLAY [Check tenants] ***",
        "  \u2502 TASK [Upgrade demo] ***",
        "  \u2502 " + stamp.format("0:02:00.000"),
        "  \u2502 TASK [Offboard] ***",
        "  \u2502 " + stamp.format("0:06:00.000"),
    ]) + "\n"
    out = run_digest(tmp_path, log)
    # A stamp is the time of the task before it; the first stamp of a step has no task before it.
    assert section(out, "time by step (profile_tasks)") == ["   1.5 min  converge", "   8.0 min  verify"]
    assert section(out, "verify time by play") == ["   2.0 min  Check Redis", "   6.0 min  Check tenants"]
