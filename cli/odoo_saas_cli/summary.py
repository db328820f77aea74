"""The end of a run, for people (a per-host table) and for pipelines (one JSON object)."""

from odoo_saas_cli.progress import fmt_elapsed

COLUMNS = ("ok", "changed", "failed", "unreachable", "skipped")


def text(command, run_dir, outcome, reports):
    state = "succeeded" if outcome.rc == 0 else f"FAILED (status {outcome.status}, rc {outcome.rc})"
    lines = [f"{command}: {state} in {fmt_elapsed(outcome.elapsed)}"]
    if outcome.hosts:
        width = max(len(host) for host in outcome.hosts) + 2
        lines.append("  " + "HOST".ljust(width) + " ".join(c.rjust(11) for c in COLUMNS))
        for host in sorted(outcome.hosts):
            counts = outcome.hosts[host]
            lines.append("  " + host.ljust(width) + " ".join(str(counts[c]).rjust(11) for c in COLUMNS))
    for failure in outcome.failures:
        what = "unreachable" if failure["unreachable"] else "failed"
        lines.append(f"  {what}: {failure['host']} in task '{failure['task']}': {failure['message']}".rstrip(": "))
    lines.append(f"Artifacts: {run_dir / 'artifacts' / 'run'}")
    for report in reports:
        lines.append(f"Report: {report}")
    return "\n".join(lines)


def as_json(command, run_dir, outcome, reports):
    return dict(outcome.as_dict(), command=command, run_dir=str(run_dir),
                artifacts=str(run_dir / "artifacts" / "run"), reports=[str(r) for r in reports])
