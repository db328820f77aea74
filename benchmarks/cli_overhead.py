#!/usr/bin/env python3
"""The CLI's overhead over plain ansible-playbook, and what its progress display costs.

Runs the CLI tests' small project (two localhost nodes) both ways, alternating, --runs times:
  no-op   the play with no task selected (--tags nothing)
  small   the play's default tasks
and reports the median wall time of each, their ratio (goal: CLI <= 1.10x), and the same runs
through ansible-runner in-process with the progress display on and off. Prints the figures and
writes them as JSON; asserts nothing.

  python benchmarks/cli_overhead.py [--runs 7] [--out benchmarks/results/cli_overhead.json]
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "cli" / "tests" / "project"
BIN = Path(sys.executable).parent
CASES = {"no-op": ["--tags", "nothing"], "small": []}


def timed(cmd, env):
    start = time.monotonic()
    subprocess.run(cmd, cwd=PROJECT, env=env, check=True, capture_output=True)
    return time.monotonic() - start


def in_process(runs_dir, with_progress):
    """One run through run_playbook, the display on (to a discarded live terminal) or off."""
    from odoo_saas_cli.progress import Progress
    from odoo_saas_cli.project import Project
    from odoo_saas_cli.run import new_run_dir, run_playbook

    project = Project(PROJECT)
    project.runs = Path(runs_dir)
    display = Progress(stream=io.StringIO(), live=True) if with_progress else None
    start = time.monotonic()
    outcome = run_playbook(project, new_run_dir(project.runs, "bench"), "bench", project.playbook("site"), display=display)
    assert outcome.rc == 0
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "cli_overhead.json"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as runs:
        env = dict(os.environ, ANSIBLE_CONFIG=str(PROJECT / "ansible.cfg"), ODOO_SAAS_RUNS_DIR=runs,
                   PATH=os.pathsep.join([str(BIN), os.environ["PATH"]]))
        env.pop("CI", None)
        results = {}
        for case, extra in CASES.items():
            plain, cli = [], []
            for _ in range(args.runs):
                plain.append(timed([str(BIN / "ansible-playbook"), "playbooks/site.yml", *extra], env))
                cli.append(timed([str(BIN / "odoo-saas"), "--project-dir", str(PROJECT), "deploy", *extra], env))
            results[case] = {"ansible_playbook_s": round(statistics.median(plain), 3),
                             "odoo_saas_s": round(statistics.median(cli), 3),
                             "ratio": round(statistics.median(cli) / statistics.median(plain), 3)}
        on, off = [], []
        for _ in range(args.runs):
            on.append(in_process(runs, True))
            off.append(in_process(runs, False))
        results["progress_display"] = {"on_s": round(statistics.median(on), 3), "off_s": round(statistics.median(off), 3),
                                       "difference_s": round(statistics.median(on) - statistics.median(off), 3)}

    print(f"{'case':<10} {'ansible-playbook':>17} {'odoo-saas':>10} {'ratio':>6}")
    for case in CASES:
        r = results[case]
        print(f"{case:<10} {r['ansible_playbook_s']:>16.2f}s {r['odoo_saas_s']:>9.2f}s {r['ratio']:>6.2f}")
    p = results["progress_display"]
    print(f"progress display: on {p['on_s']:.2f}s, off {p['off_s']:.2f}s, difference {p['difference_s']:+.3f}s")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(dict(results, runs=args.runs), indent=2) + "\n")


if __name__ == "__main__":
    main()
