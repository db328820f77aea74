"""Each subcommand as a checked request: the playbook to run and its extra vars.

Everything here runs before a run directory exists; a ValidationError stops the command there.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from odoo_saas_cli.errors import ValidationError

TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
BACKUP_SET_RE = re.compile(r"^\d{8}-\d{6}F(_\d{8}-\d{6}[DI])?$")
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
CHECK_RE = re.compile(rf"^(?P<database>{IDENT})\.(?P<table>{IDENT}):(?P<time_column>{IDENT})(?::(?P<key_column>{IDENT}))?$")
HOST_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class Request:
    """A playbook run: `report_vars` name the extra vars that point the playbook's reports into the run."""
    command: str
    playbook: str
    extravars: dict = field(default_factory=dict)
    report_vars: tuple = ()
    limit: str = None
    tags: str = None


def deploy(args, project):  # noqa: ARG001 - same signature for every builder
    return Request("deploy", "site", limit=args.limit, tags=args.tags)


def with_file(extravars, args):
    if args.file:
        extravars["tenant_file"] = str(Path(args.file).resolve())
    return extravars


def tenant_onboard(args, project):
    project.tenants(args.names, args.file)
    extravars = {"tenant": args.names[0]} if len(args.names) == 1 else {"tenants": args.names}
    return Request("tenant onboard", "tenant_onboard", with_file(extravars, args))


def tenant_offboard(args, project):
    project.tenants([args.name], args.file)
    if args.confirm != args.name:
        raise ValidationError(f"--confirm must repeat the tenant's name to offboard it (got '{args.confirm or ''}' for '{args.name}')")
    extravars = {"tenant": args.name, "confirm": args.confirm, "purge": args.purge}
    return Request("tenant offboard", "tenant_offboard", with_file(extravars, args))


def upgrade(args, project):
    tenant = project.tenants([args.tenant])[0]
    extravars = {"tenant": args.tenant}
    if args.image:
        utils = project.tenant_utils()
        try:
            utils.with_image(tenant, args.image, project.inventory_context()["environment"])
        except utils.TenantError as exc:
            raise ValidationError(f"--image: {exc}") from None
        extravars["image"] = args.image
    return Request("upgrade", "rolling_upgrade", extravars, report_vars=("upgrade_report_dir",))


def failover(args, project):  # noqa: ARG001
    extravars = {"mode": args.mode.replace("-", "_")}
    if args.candidate:
        if args.mode != "switchover" or not HOST_RE.match(args.candidate):
            raise ValidationError("--candidate names a replica's host, and only with --mode switchover")
        extravars["dr_candidate"] = args.candidate
    return Request("failover", "dr_failover", extravars, report_vars=("dr_report_dir",))


def drill_check(text):
    """--check DATABASE.TABLE:TIME_COLUMN[:KEY_COLUMN] as the playbook's restore_drill_checks item."""
    match = CHECK_RE.match(text)
    if not match:
        raise ValidationError(f"--check '{text}': write DATABASE.TABLE:TIME_COLUMN[:KEY_COLUMN], e.g. app.orders:created_at")
    return {k: v for k, v in match.groupdict().items() if v}


def restore_drill(args, project):  # noqa: ARG001
    extravars = {"restore_drill_type": args.type, "restore_drill_keep": args.keep}
    if args.check:
        extravars["restore_drill_checks"] = [drill_check(text) for text in args.check]
    if args.type == "set":
        if not args.set or not BACKUP_SET_RE.match(args.set):
            raise ValidationError("--type set needs --set LABEL, a pgBackRest label such as 20261124-010000F")
        extravars["restore_drill_set"] = args.set
    elif args.set:
        raise ValidationError("--set is only for --type set")
    if args.type == "time":
        if not args.time or not TIME_RE.match(args.time):
            raise ValidationError("--type time needs --time 'YYYY-MM-DD HH:MM:SS' (UTC)")
        extravars["restore_drill_target_time"] = args.time
    elif args.time:
        raise ValidationError("--time is only for --type time")
    return Request("restore-drill", "restore_drill", extravars, report_vars=("restore_drill_report_dir",))


def backup_now(args, project):  # noqa: ARG001
    return Request("backup now", "backup", {"backup_action": "now", "backup_type": args.type},
                   report_vars=("backup_report_dir",))


def backup_list(args, project):  # noqa: ARG001
    return Request("backup list", "backup", {"backup_action": "list"}, report_vars=("backup_report_dir",))


def data_tier_restart(args, project):  # noqa: ARG001
    return Request("data-tier restart", "data_tier_rolling_restart", {"data_tier_upgrade": args.upgrade},
                   report_vars=("data_tier_report_dir",))
