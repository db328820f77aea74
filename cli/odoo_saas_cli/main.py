"""odoo-saas: operate the platform by running the collection's playbooks through ansible-runner.

Exit codes: 0 success, 1 the playbook failed, 2 invalid arguments (nothing ran), 3 the run
could not start, 130 interrupted.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml

from odoo_saas_cli import __version__, commands, report, status, summary
from odoo_saas_cli.errors import (EXIT_FAILED, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_NOT_STARTED, EXIT_OK, RunLocked,
                                  ValidationError)
from odoo_saas_cli.progress import Progress
from odoo_saas_cli.project import Project, find_root
from odoo_saas_cli.run import fleet_lock, new_run_dir, run_playbook


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error raises ValidationError (exit 2, JSON under --json) instead of exiting."""

    def error(self, message):
        raise ValidationError(f"{self.prog}: {message}")


def build_parser():
    parser = Parser(prog="odoo-saas", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"odoo-saas {__version__}")
    parser.add_argument("--project-dir", help="the collection checkout (default: found from here)")
    parser.add_argument("-i", "--inventory", help="inventory file or directory (default: inventories/lab/hosts.yml)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else")
    sub = parser.add_subparsers(dest="group", required=True, parser_class=Parser)

    lab = sub.add_parser("lab", help="the local lab (lab/lab.py)")
    lab.add_argument("action", choices=["up", "down", "status", "info"])

    deploy = sub.add_parser("deploy", help="converge the platform (site.yml)")
    deploy.add_argument("--limit")
    deploy.add_argument("--tags")
    deploy.set_defaults(build=commands.deploy)

    tenant = sub.add_parser("tenant", help="tenant lifecycle").add_subparsers(dest="action", required=True, parser_class=Parser)
    onboard = tenant.add_parser("onboard", help="onboard tenants of the registry")
    onboard.add_argument("names", nargs="+", metavar="NAME")
    onboard.add_argument("--file", help="a registry entry outside the registry directory")
    onboard.set_defaults(build=commands.tenant_onboard)
    offboard = tenant.add_parser("offboard", help="final backup, then remove routes, containers and access")
    offboard.add_argument("name", metavar="NAME")
    offboard.add_argument("--confirm", help="the tenant's name again")
    offboard.add_argument("--purge", action="store_true", help="delete the data now instead of keeping it")
    offboard.add_argument("--file", help="the tenant's registry entry, when it is outside the registry directory")
    offboard.set_defaults(build=commands.tenant_offboard)
    tenant.add_parser("list", help="the registry, one tenant a line")
    show = tenant.add_parser("show", help="one registry entry, checked and completed")
    show.add_argument("name", metavar="NAME")

    upgrade = sub.add_parser("upgrade", help="zero-downtime upgrade of one tenant's image")
    upgrade.add_argument("tenant", metavar="TENANT")
    upgrade.add_argument("--image", help="the new image (default: the registry's)")
    upgrade.set_defaults(build=commands.upgrade)

    failover = sub.add_parser("failover", help="switchover, failover or standby promotion")
    failover.add_argument("--mode", required=True, choices=["switchover", "failover", "promote-standby"])
    failover.add_argument("--candidate", help="switchover: the replica to promote")
    failover.set_defaults(build=commands.failover)

    data_tier = sub.add_parser("data-tier", help="the Patroni cluster").add_subparsers(dest="action", required=True,
                                                                                     parser_class=Parser)
    restart = data_tier.add_parser("restart", help="rolling restart: replicas, a switchover, then the old leader")
    restart.add_argument("--upgrade", action="store_true", help="upgrade PostgreSQL within its major version on the way")
    restart.set_defaults(build=commands.data_tier_restart)

    drill = sub.add_parser("restore-drill", help="restore a backup on the scratch host and judge RTO/RPO")
    drill.add_argument("--type", choices=["latest", "set", "time"], default="latest")
    drill.add_argument("--set", help="--type set: the backup label")
    drill.add_argument("--time", help="--type time: 'YYYY-MM-DD HH:MM:SS' UTC")
    drill.add_argument("--keep", action="store_true", help="leave the restored copy running")
    drill.add_argument("--check", action="append", metavar="DB.TABLE:TIME_COLUMN[:KEY]",
                       help="also compare this table between the source and the restored copy (repeatable)")
    drill.set_defaults(build=commands.restore_drill)

    backup = sub.add_parser("backup", help="database backups").add_subparsers(dest="action", required=True, parser_class=Parser)
    now = backup.add_parser("now", help="take a backup on the leader")
    now.add_argument("--type", choices=["full", "diff", "incr"], default="incr")
    now.set_defaults(build=commands.backup_now)
    backup.add_parser("list", help="the backups in the repository").set_defaults(build=commands.backup_list)

    health = sub.add_parser("status", help="health summary from Prometheus: primary, lag, backups, tenants, alerts")
    health.add_argument("--prometheus", metavar="URL", help="Prometheus (default: $ODOO_SAAS_PROMETHEUS_URL, else the lab's)")

    rep = sub.add_parser("report", help="reports of earlier runs").add_subparsers(dest="action", required=True, parser_class=Parser)
    rep.add_parser("show", help="render a run's reports as HTML again").add_argument("run", metavar="RUN")
    return parser


def emit(args, payload, text):
    print(json.dumps(payload, indent=2, default=str) if args.json else text)


def run_request(args, project, request):
    with fleet_lock(project.runs, project.inventory):
        return run_locked(args, project, request)


def run_locked(args, project, request):
    run_dir = new_run_dir(project.runs, request.command)
    extravars = dict(request.extravars)
    for name in request.report_vars:
        extravars[name] = str(run_dir / "reports")
    progress = Progress(live=False if args.json else None)
    try:
        outcome = run_playbook(project, run_dir, request.command, project.playbook(request.playbook), extravars,
                               limit=request.limit, tags=request.tags, display=progress)
    finally:
        progress.close()
    reports = [report.render_file(path) for path in sorted((run_dir / "reports").glob("*.json"))]
    emit(args, summary.as_json(request.command, run_dir, outcome, reports),
         summary.text(request.command, run_dir, outcome, reports))
    return EXIT_OK if outcome.rc == 0 else EXIT_FAILED


def lab(args, project):
    cmd = [sys.executable, str(project.root / "lab" / "lab.py"), "--inventory", str(project.inventory)]
    cmd += ["--json", args.action] if args.json and args.action == "info" else [args.action]
    return subprocess.run(cmd, check=False).returncode


def tenant_list(args, project):
    tenants = project.tenants(project.tenant_names())
    rows = [{"name": t["name"], "tenancy": t["tenancy"], "tier": t["tier"], "hosts": t["hosts"], "image": t["image"]}
            for t in tenants]
    lines = [f"{r['name']:<20} {r['tenancy']:<10} {r['tier']:<8} {r['image']:<45} {', '.join(r['hosts'])}" for r in rows]
    emit(args, {"tenants": rows}, "\n".join(lines) or f"no tenants in {project.registry}")
    return EXIT_OK


def tenant_show(args, project):
    tenant = project.tenants([args.name])[0]
    emit(args, tenant, yaml.safe_dump(tenant, sort_keys=False).rstrip())
    return EXIT_OK


def report_show(args, project):
    run_dir = Path(args.run)
    if not run_dir.is_dir():
        run_dir = project.runs / args.run
    sources = sorted((run_dir / "reports").glob("*.json")) if run_dir.is_dir() else []
    if not sources:
        raise ValidationError(f"report show: no run with reports at '{args.run}' (runs are in {project.runs})")
    rendered = [report.render_file(path) for path in sources]
    emit(args, {"run_dir": str(run_dir), "reports": [str(p) for p in rendered]},
         "\n".join(f"Report: {p}" for p in rendered))
    return EXIT_OK


def platform_status(args, project):
    url = status.prometheus_url(args.prometheus, project)
    try:
        result = status.collect(url)
    except status.PrometheusUnavailable as exc:
        emit(args, {"error": "prometheus", "message": str(exc)}, f"odoo-saas status: Prometheus does not answer: {exc}")
        return EXIT_NOT_STARTED
    emit(args, result, status.text(result))
    return EXIT_FAILED if any(a["severity"] == "critical" for a in result["alerts"]) else EXIT_OK


def dispatch(args, project):
    if getattr(args, "build", None):
        return run_request(args, project, args.build(args, project))
    if args.group == "lab":
        return lab(args, project)
    if args.group == "status":
        return platform_status(args, project)
    handlers = {("tenant", "list"): tenant_list, ("tenant", "show"): tenant_show, ("report", "show"): report_show}
    return handlers[(args.group, args.action)](args, project)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    # --json is taken anywhere on the line, before or after the subcommand.
    wants_json = "--json" in argv
    try:
        args = build_parser().parse_args([arg for arg in argv if arg != "--json"])
        args.json = wants_json
        project = Project(find_root(args.project_dir), args.inventory)
        return dispatch(args, project)
    except ValidationError as exc:
        if wants_json:
            print(json.dumps({"error": "invalid", "message": str(exc)}))
        else:
            print(f"odoo-saas: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except (OSError, RunLocked) as exc:
        message = f"the run could not start: {exc}"
        print(json.dumps({"error": "not_started", "message": message}) if wants_json else f"odoo-saas: {message}",
              file=sys.stdout if wants_json else sys.stderr)
        return EXIT_NOT_STARTED
