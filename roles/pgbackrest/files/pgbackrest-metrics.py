"""Writes pgBackRest's state as Prometheus metrics for node_exporter's textfile collector.

  python3 pgbackrest-metrics.py OUTPUT.prom

Reads `pgbackrest --output=json info` (as postgres) and writes, per stanza, the newest backup of
each type (completion time, size, duration), the number of backups and the stanza's status code.
The file is replaced atomically, so the collector never reads half of it.
"""

import json
import os
import subprocess
import sys
import tempfile
import time


def label(value):
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def metrics(info):
    lines = [
        "# HELP pgbackrest_stanza_status Status code of the stanza (0 is ok).",
        "# TYPE pgbackrest_stanza_status gauge",
        "# HELP pgbackrest_backups Backups in the repositories.",
        "# TYPE pgbackrest_backups gauge",
        "# HELP pgbackrest_backup_last_completion_timestamp_seconds When the newest backup of a type finished.",
        "# TYPE pgbackrest_backup_last_completion_timestamp_seconds gauge",
        "# HELP pgbackrest_backup_last_duration_seconds How long the newest backup of a type took.",
        "# TYPE pgbackrest_backup_last_duration_seconds gauge",
        "# HELP pgbackrest_backup_last_size_bytes Database size of the newest backup of a type.",
        "# TYPE pgbackrest_backup_last_size_bytes gauge",
        "# HELP pgbackrest_backup_last_delta_bytes Bytes the newest backup of a type stored in the repository.",
        "# TYPE pgbackrest_backup_last_delta_bytes gauge",
    ]
    for stanza in info:
        name = label(stanza["name"])
        lines.append('pgbackrest_stanza_status{stanza="%s"} %d' % (name, stanza.get("status", {}).get("code", 99)))
        backups = stanza.get("backup", [])
        lines.append('pgbackrest_backups{stanza="%s"} %d' % (name, len(backups)))
        newest = {}
        for backup in backups:
            if backup.get("error"):
                continue
            newest[backup["type"]] = backup  # info lists backups oldest first
        for kind, backup in sorted(newest.items()):
            labels = 'stanza="%s",type="%s"' % (name, label(kind))
            stamp = backup["timestamp"]
            lines.append("pgbackrest_backup_last_completion_timestamp_seconds{%s} %d" % (labels, stamp["stop"]))
            lines.append("pgbackrest_backup_last_duration_seconds{%s} %d" % (labels, stamp["stop"] - stamp["start"]))
            lines.append("pgbackrest_backup_last_size_bytes{%s} %d" % (labels, backup["info"]["size"]))
            lines.append("pgbackrest_backup_last_delta_bytes{%s} %d" % (labels, backup["info"]["repository"]["delta"]))
    return lines


def main(output):
    result = subprocess.run(["runuser", "-u", "postgres", "--", "pgbackrest", "--output=json", "info"],
                            capture_output=True, text=True, timeout=120, check=False)
    ok = result.returncode == 0
    lines = metrics(json.loads(result.stdout)) if ok else []
    lines += [
        "# HELP pgbackrest_metrics_success Whether pgbackrest info answered on the last read.",
        "# TYPE pgbackrest_metrics_success gauge",
        "pgbackrest_metrics_success %d" % ok,
        "# HELP pgbackrest_metrics_timestamp_seconds When the metrics were last read.",
        "# TYPE pgbackrest_metrics_timestamp_seconds gauge",
        "pgbackrest_metrics_timestamp_seconds %d" % time.time(),
    ]
    directory = os.path.dirname(os.path.abspath(output))
    with tempfile.NamedTemporaryFile("w", dir=directory, prefix=".pgbackrest.", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, output)
    if not ok:
        sys.exit("pgbackrest info failed: %s" % result.stderr.strip()[:300])


if __name__ == "__main__":
    main(sys.argv[1])
