"""JSON reports of drills, failovers and upgrades rendered as one self-contained HTML page.

The page has a timeline of the phases (inline SVG: no script, no network) and the verdict with
its RTO/RPO against their bounds, so it opens anywhere, offline, and prints as it shows.
"""

import html
import json
from datetime import datetime
from pathlib import Path

PHASE_COLOURS = ["#2563eb", "#f59e0b", "#10b981", "#8b5cf6", "#ef4444", "#0ea5e9", "#84cc16"]
VERDICT_COLOURS = {"pass": "#15803d", "ok": "#15803d", "upgraded": "#15803d", "fail": "#b91c1c",
                   "failed": "#b91c1c", "rolled_back": "#b45309"}
TITLES = {"restore_drill": "Restore drill", "rolling_upgrade": "Rolling upgrade", "switchover": "Switchover",
          "failover": "Failover", "promote_standby": "Standby promotion",
          "data_tier_rolling_restart": "Data tier rolling restart"}


def kind(report):
    return report.get("drill") or report.get("operation") or "report"


def verdict(report):
    if "verdict" in report:
        return report["verdict"]
    if "result" in report:
        return report["result"]
    return "ok" if report.get("new_leader") else "failed"


def phases(report):
    """[(name, start, seconds)] on one time axis, from the report's sequential phases."""
    listed = report.get("phases")
    if not listed and report.get("started") and report.get("ended") and kind(report) in TITLES:
        seconds = (datetime.fromisoformat(report["ended"]) - datetime.fromisoformat(report["started"])).total_seconds()
        listed = [{"phase": kind(report), "seconds": seconds}]
    out, start = [], 0.0
    for item in listed or []:
        seconds = max(float(item.get("seconds") or 0), 0.0)
        out.append((str(item.get("phase")), start, seconds))
        start += seconds
    return out


def timeline_svg(report, width=880):
    spans = phases(report)
    total = sum(seconds for _, _, seconds in spans)
    marks = []
    if report.get("max_rto_seconds"):
        marks.append(("RTO bound", float(report["max_rto_seconds"])))
    if report.get("rto_seconds") is not None:
        marks.append(("RTO", float(report["rto_seconds"])))
    axis = max([total, 1.0] + [seconds for _, seconds in marks if seconds <= 3 * max(total, 1.0)])
    left, bar_h, gap = 150, 26, 10
    scale = (width - left - 90) / axis
    height = 40 + len(spans) * (bar_h + gap) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="timeline" width="{width}" height="{height}"'
             f' viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">']
    for i, (name, start, seconds) in enumerate(spans):
        y = 30 + i * (bar_h + gap)
        x = left + start * scale
        w = max(seconds * scale, 2)
        colour = PHASE_COLOURS[i % len(PHASE_COLOURS)]
        parts.append(f'<text x="{left - 10}" y="{y + 18}" text-anchor="end">{html.escape(name)}</text>')
        parts.append(f'<rect class="phase" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{colour}">'
                     f'<title>{html.escape(name)}: {seconds:.1f} s</title></rect>')
        parts.append(f'<text x="{x + w + 6:.1f}" y="{y + 18}" fill="#374151">{seconds:.1f} s</text>')
    axis_y = 30 + len(spans) * (bar_h + gap) + 5
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + axis * scale:.1f}" y2="{axis_y}" stroke="#6b7280"/>')
    for tick in range(6):
        seconds = axis * tick / 5
        x = left + seconds * scale
        parts.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 5}" stroke="#6b7280"/>')
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 20}" text-anchor="middle" fill="#6b7280">{seconds:.0f} s</text>')
    for label, seconds in marks:
        if seconds > axis:
            continue
        x = left + seconds * scale
        colour = "#b91c1c" if label == "RTO bound" else "#111827"
        parts.append(f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{axis_y}" stroke="{colour}" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x + 4:.1f}" y="16" fill="{colour}">{label} {seconds:.0f} s</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def facts(report):
    """The figures worth a row in the table, flattened one level."""
    rows = []
    for key, value in report.items():
        if key in ("phases", "checks", "reasons"):
            continue
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                if not isinstance(subvalue, (dict, list)):
                    rows.append((f"{key}.{sub}", subvalue))
        elif not isinstance(value, list):
            rows.append((key, value))
    return rows


def render(report, source=""):
    title = TITLES.get(kind(report), kind(report).replace("_", " ").capitalize())
    result = str(verdict(report))
    colour = VERDICT_COLOURS.get(result, "#374151")
    headline = []
    for label, key, bound in (("RTO", "rto_seconds", "max_rto_seconds"), ("RPO", "rpo_seconds", "max_rpo_seconds")):
        if report.get(key) is not None:
            limit = f" (bound {report[bound]} s)" if report.get(bound) is not None else ""
            headline.append(f"<li><b>{label}</b> {report[key]} s{limit}</li>")
    if report.get("write_unavailable_seconds") not in (None, ""):
        headline.append(f"<li><b>Writes unavailable</b> {report['write_unavailable_seconds']} s</li>")
    requests = report.get("requests") or {}
    if requests:
        headline.append(f"<li><b>Requests</b> {requests.get('sent')} sent, {requests.get('failed')} failed, "
                        f"p99 {(requests.get('latency_ms') or {}).get('p99')} ms</li>")
    reasons = "".join(f"<li>{html.escape(str(r))}</li>" for r in report.get("reasons") or [])
    checks = "".join(
        f"<tr><td>{html.escape(str(c.get('database')))}.{html.escape(str(c.get('table')))}</td>"
        f"<td>{c.get('source_rows')}</td><td>{c.get('restored_rows')}</td><td>{'yes' if c.get('passed') else 'NO'}</td></tr>"
        for c in report.get("checks") or [])
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in facts(report))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}: {html.escape(result)}</title>
<style>
body {{ font-family: sans-serif; margin: 2rem; color: #111827; max-width: 60rem; }}
.verdict {{ display: inline-block; padding: .3rem .9rem; border-radius: 4px; color: #fff; background: {colour}; font-weight: bold; }}
table {{ border-collapse: collapse; margin-top: 1rem; }} th, td {{ text-align: left; padding: .2rem .8rem; border-bottom: 1px solid #e5e7eb; }}
ul.headline {{ list-style: none; padding: 0; display: flex; gap: 2rem; }}
</style></head>
<body>
<h1>{html.escape(title)} <span class="verdict" id="verdict">{html.escape(result.upper())}</span></h1>
<p>Started {html.escape(str(report.get('started') or ''))} &middot; source {html.escape(str(source))}</p>
<ul class="headline">{''.join(headline)}</ul>
{'<h2>Why</h2><ul>' + reasons + '</ul>' if reasons else ''}
<h2>Timeline</h2>
<div id="timeline">{timeline_svg(report)}</div>
{'<h2>Data checks</h2><table><tr><th>table</th><th>source rows</th><th>restored rows</th><th>equal</th></tr>' + checks + '</table>' if checks else ''}
<h2>Figures</h2>
<table>{rows}</table>
</body></html>
"""


def render_file(json_path):
    """Writes <report>.html beside the JSON report; returns its path."""
    json_path = Path(json_path)
    report = json.loads(json_path.read_text(encoding="utf-8"))
    out = json_path.with_suffix(".html")
    out.write_text(render(report, json_path.name), encoding="utf-8")
    out.chmod(0o640)
    return out
