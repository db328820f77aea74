"""HTML reports: the timeline of the phases, the verdict, and `report show` on an old run."""

import json
import re
import subprocess
import sys

from cli_test_paths import REPO
from odoo_saas_cli import report

DRILL = {
    "drill": "restore_drill", "started": "2026-11-25T21:40:02Z", "type": "time", "verdict": "fail",
    "rto_seconds": 49.8, "rpo_seconds": 1.2, "max_rto_seconds": 40, "max_rpo_seconds": 300,
    "reasons": ["RTO 49.8 s is over 40 s"],
    "phases": [{"phase": "prepare", "seconds": 10.5}, {"phase": "restore", "seconds": 20.2},
               {"phase": "recovery", "seconds": 9.3}, {"phase": "verify", "seconds": 9.8}],
    "checks": [{"database": "platform_ops", "table": "heartbeat", "source_rows": 120, "restored_rows": 120, "passed": True}],
    "backup": {"label": "20261125-213000F", "database_size_bytes": 31457280},
}


def bars(html):
    return [(float(x), float(w)) for x, w in re.findall(r'<rect class="phase" x="([\d.]+)" y="\d+" width="([\d.]+)"', html)]


def test_the_timeline_draws_each_phase_after_the_one_before():
    html = report.render(DRILL)
    drawn = bars(html)
    assert len(drawn) == 4
    for (x, width), (next_x, _) in zip(drawn, drawn[1:]):
        assert abs(x + width - next_x) < 0.2
    widths = [w for _, w in drawn]
    assert widths[1] > widths[0] > widths[2]  # 20.2 s > 10.5 s > 9.3 s, drawn to scale
    assert "RTO bound 40 s" in html and "RTO 50 s" in html


def test_the_verdict_and_its_reasons_lead_the_page():
    html = report.render(DRILL)
    assert '<span class="verdict" id="verdict">FAIL</span>' in html
    assert "RTO 49.8 s is over 40 s" in html
    assert "platform_ops.heartbeat" in html
    passed = report.render(dict(DRILL, verdict="pass", reasons=[]))
    assert ">PASS</span>" in passed and "#15803d" in passed


def test_a_failover_report_without_phases_gets_one_bar():
    failover = {"operation": "switchover", "started": "2026-11-25T21:00:00+00:00", "ended": "2026-11-25T21:00:04.5+00:00",
                "old_leader": "lab-db1", "new_leader": "lab-db2", "write_unavailable_seconds": 2.1}
    html = report.render(failover)
    assert len(bars(html)) == 1 and "4.5 s" in html and "Writes unavailable" in html and ">OK</span>" in html


def test_report_show_renders_an_old_run_again(odoo_saas, tmp_path):
    run = tmp_path / "runs" / "20261125T214002Z-restore-drill-ab12"
    (run / "reports").mkdir(parents=True)
    (run / "reports" / "restore_drill_1795635602.json").write_text(json.dumps(DRILL))
    proc = odoo_saas("report", "show", run.name)
    assert proc.returncode == 0, proc.stderr
    page = run / "reports" / "restore_drill_1795635602.html"
    assert proc.stdout.strip() == f"Report: {page}"
    assert len(bars(page.read_text())) == 4
    missing = odoo_saas("report", "show", "no-such-run")
    assert missing.returncode == 2 and "no run with reports" in missing.stderr


def test_the_page_opens_in_chromium_and_the_screenshot_shows_the_timeline(tmp_path):
    page = tmp_path / "restore_drill.html"
    page.write_text(report.render(DRILL))
    shot = tmp_path / "restore_drill.png"
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "report_screenshot.py"), str(page), str(shot)],
                          capture_output=True, text=True, check=False, timeout=180)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)["phase_pixels"]
    assert list(seen) == ["prepare", "restore", "recovery", "verify"]
    # Every bar is on screen, and drawn to scale: restore (20.2 s) about twice prepare (10.5 s).
    assert min(seen.values()) > 1000
    assert 1.6 < seen["restore"] / seen["prepare"] < 2.2
