#!/usr/bin/env python3
"""The metric names the monitoring role's dashboards and alert rules query.

  tools/monitoring_metrics.py            a JSON object: {"dashboards": [...], "rules": [...], "recorded": [...]}

The platform scenario compares them with what the lab's Prometheus has, and the unit tests use
the same extraction, so a dashboard cannot query a metric no exporter of the platform exports.
"""

import glob
import json
import os
import re
import sys

ROLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "roles", "monitoring")
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
MATCHERS = re.compile(r"\{[^}]*\}")
RANGES = re.compile(r"\[[^\]]*\]")
LABEL_LISTS = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
IDENTIFIER = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
KEYWORDS = set("and or unless by without on ignoring group_left group_right bool offset inf nan".split())


def metric_names(expr):
    """Metric names in a PromQL expression (function, keyword and label names left out)."""
    text = RANGES.sub(" ", MATCHERS.sub(" ", STRING.sub(" ", expr)))
    text = LABEL_LISTS.sub(" ", text)
    names = set()
    for match in IDENTIFIER.finditer(text):
        rest = text[match.end():].lstrip()
        if match.group() in KEYWORDS or rest.startswith("("):
            continue
        names.add(match.group())
    return names


def dashboard_exprs(directory=None):
    """{dashboard file: [expr, ...]} with Grafana's variables replaced so the queries parse."""
    result = {}
    for path in sorted(glob.glob(os.path.join(directory or os.path.join(ROLE, "files", "dashboards"), "*.json"))):
        with open(path) as handle:
            dashboard = json.load(handle)
        exprs = [t["expr"] for p in dashboard.get("panels", []) for t in p.get("targets", [])]
        result[os.path.basename(path)] = [e.replace("$__rate_interval", "5m").replace("$tenant", ".*") for e in exprs]
    return result


def rule_exprs():
    """(alert and record expressions, recorded names) of the rule templates, thresholds as 0."""
    import yaml  # only here: the dashboards need no YAML parser
    exprs, recorded = [], set()
    for path in sorted(glob.glob(os.path.join(ROLE, "templates", "rules", "*.yml.j2"))):
        with open(path) as handle:
            text = re.sub(r"\[\[[^\]]*\]\]", "0", handle.read())
        for group in yaml.safe_load(text)["groups"]:
            for rule in group["rules"]:
                exprs.append(rule["expr"])
                if "record" in rule:
                    recorded.add(rule["record"])
    return exprs, recorded


def main():
    dashboards = set()
    for exprs in dashboard_exprs().values():
        for expr in exprs:
            dashboards |= metric_names(expr)
    rules, recorded = rule_exprs()
    used = set()
    for expr in rules:
        used |= metric_names(expr)
    json.dump({"dashboards": sorted(dashboards), "rules": sorted(used), "recorded": sorted(recorded)}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
