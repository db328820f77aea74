# -*- coding: utf-8 -*-
# Copyright: odoo_saas.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared code for the pgBackRest modules: reading `pgbackrest info --output=json`."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

# Stanza status codes of `pgbackrest info` (src/command/info/info.c).
STATUS_OK = 0
STATUS_MISSING_STANZA_PATH = 1
STATUS_NO_BACKUP = 2
STATUS_MISSING_STANZA_DATA = 3


def _iso(epoch):
    if epoch is None:
        return None
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc).isoformat()


def summarize_backup(backup):
    """One backup of `pgbackrest info` as a flat dict."""
    timestamp = backup.get("timestamp") or {}
    info = backup.get("info") or {}
    repository = info.get("repository") or {}
    archive = backup.get("archive") or {}
    lsn = backup.get("lsn") or {}
    start, stop = timestamp.get("start"), timestamp.get("stop")
    return {
        "label": backup.get("label"),
        "type": backup.get("type"),
        "repo": (backup.get("database") or {}).get("repo-key"),
        "prior": backup.get("prior"),
        "start_time": start,
        "stop_time": stop,
        "start_iso": _iso(start),
        "stop_iso": _iso(stop),
        "duration_seconds": (stop - start) if start is not None and stop is not None else None,
        "database_size": info.get("size"),
        "delta_size": info.get("delta"),
        "repo_size": repository.get("size"),
        "repo_delta_size": repository.get("delta"),
        "wal_start": archive.get("start"),
        "wal_stop": archive.get("stop"),
        "lsn_start": lsn.get("start"),
        "lsn_stop": lsn.get("stop"),
        "error": bool(backup.get("error", False)),
    }


def summarize_stanza(stanza, now=None):
    """One stanza of `pgbackrest info` with its backups, WAL range and the newest backup's age."""
    now = now if now is not None else datetime.datetime.now(tz=datetime.timezone.utc).timestamp()
    status = stanza.get("status") or {}
    backups = sorted((summarize_backup(b) for b in stanza.get("backup") or []), key=lambda b: b["stop_time"] or 0)
    archives = [
        {"repo": (a.get("database") or {}).get("repo-key"), "id": a.get("id"), "min": a.get("min"), "max": a.get("max")}
        for a in stanza.get("archive") or []
    ]
    newest = backups[-1] if backups else None
    oldest = backups[0] if backups else None
    return {
        "name": stanza.get("name"),
        "status_code": status.get("code"),
        "status_message": status.get("message"),
        "exists": status.get("code") not in (STATUS_MISSING_STANZA_PATH, STATUS_MISSING_STANZA_DATA),
        "backup_running": bool(((status.get("lock") or {}).get("backup") or {}).get("held", False)),
        "repos": [
            {"key": r.get("key"), "cipher": r.get("cipher"), "status_code": (r.get("status") or {}).get("code"),
             "status_message": (r.get("status") or {}).get("message")}
            for r in stanza.get("repo") or []
        ],
        "backups": backups,
        "backup_count": len(backups),
        "archive": archives,
        "wal_min": min((a["min"] for a in archives if a["min"]), default=None),
        "wal_max": max((a["max"] for a in archives if a["max"]), default=None),
        "newest_backup": newest["label"] if newest else None,
        "newest_backup_stop_time": newest["stop_time"] if newest else None,
        "newest_backup_age_seconds": int(now - newest["stop_time"]) if newest and newest["stop_time"] else None,
        "oldest_backup_stop_time": oldest["stop_time"] if oldest else None,
    }
