"""Facts the pgbackrest_info module derives from `pgbackrest info --output=json`."""

from ansible_collections.odoo_saas.platform.plugins.module_utils.pgbackrest import summarize_stanza

STANZA = {
    "name": "odoo-saas",
    "status": {"code": 0, "message": "ok", "lock": {"backup": {"held": False}}},
    "repo": [{"key": 1, "cipher": "aes-256-cbc", "status": {"code": 0, "message": "ok"}}],
    "archive": [
        {"database": {"id": 1, "repo-key": 1}, "id": "15-1", "min": "000000010000000000000003", "max": "00000002000000000000000A"},
    ],
    "backup": [
        {
            "label": "20261124-101500F_20261124-111500I", "type": "incr", "prior": "20261124-101500F",
            "database": {"id": 1, "repo-key": 1},
            "timestamp": {"start": 1795519700, "stop": 1795519710},
            "info": {"size": 100, "delta": 10, "repository": {"size": 40, "delta": 4}},
            "archive": {"start": "000000020000000000000008", "stop": "000000020000000000000008"},
            "lsn": {"start": "0/8000028", "stop": "0/8000100"},
            "error": False,
        },
        {
            "label": "20261124-101500F", "type": "full", "prior": None,
            "database": {"id": 1, "repo-key": 1},
            "timestamp": {"start": 1795516500, "stop": 1795516560},
            "info": {"size": 100, "delta": 100, "repository": {"size": 40, "delta": 40}},
            "archive": {"start": "000000010000000000000003", "stop": "000000010000000000000003"},
            "lsn": {"start": "0/3000028", "stop": "0/3000100"},
        },
    ],
}


def test_backups_are_ordered_oldest_first_with_their_sizes_and_wal():
    summary = summarize_stanza(STANZA, now=1795519770)
    assert [b["label"] for b in summary["backups"]] == ["20261124-101500F", "20261124-101500F_20261124-111500I"]
    full = summary["backups"][0]
    assert full["type"] == "full" and full["repo"] == 1
    assert full["duration_seconds"] == 60
    assert full["repo_size"] == 40 and full["database_size"] == 100
    assert full["wal_start"] == "000000010000000000000003"
    assert full["stop_iso"].endswith("+00:00")


def test_newest_backup_age_and_restore_window():
    summary = summarize_stanza(STANZA, now=1795519770)
    assert summary["newest_backup"] == "20261124-101500F_20261124-111500I"
    assert summary["newest_backup_age_seconds"] == 60
    assert summary["oldest_backup_stop_time"] == 1795516560
    assert summary["wal_max"] == "00000002000000000000000A"
    assert summary["exists"] is True


def test_a_stanza_that_was_never_created_does_not_exist_and_has_no_age():
    summary = summarize_stanza({"name": "x", "status": {"code": 1, "message": "missing stanza path"}}, now=0)
    assert summary["exists"] is False
    assert summary["backups"] == []
    assert summary["newest_backup_age_seconds"] is None
    assert summary["wal_min"] is None


def test_a_created_stanza_without_backups_exists():
    summary = summarize_stanza({"name": "x", "status": {"code": 2, "message": "no valid backups"}}, now=0)
    assert summary["exists"] is True
    assert summary["backup_count"] == 0
