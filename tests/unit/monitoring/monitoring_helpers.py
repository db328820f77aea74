"""Shared by the monitoring tests: promtool, and the role's alert rules rendered like the role does."""

import glob
import os
import shutil
import subprocess

import jinja2
import pytest
import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ROLE = os.path.join(REPO, "roles", "monitoring")
CACHE = os.path.join(REPO, ".cache", "promtool")


def debian_binary(package, binary):
    """A binary from PATH, or from a Debian package unpacked under .cache (nothing installed, no daemon)."""
    found = shutil.which(binary) or os.path.join(CACHE, "usr", "bin", binary)
    if os.path.exists(found):
        return found
    os.makedirs(CACHE, exist_ok=True)
    try:
        subprocess.run(["apt-get", "download", package], cwd=CACHE, check=True, capture_output=True)
        deb = glob.glob(os.path.join(CACHE, "%s_*.deb" % package))[0]
        subprocess.run(["dpkg-deb", "-x", deb, CACHE], check=True, capture_output=True)
    except (OSError, IndexError, subprocess.CalledProcessError) as exc:
        pytest.fail("%s is needed: install Debian's %s package or put it on PATH (%s)" % (binary, package, exc))
    return found


def promtool():
    return debian_binary("prometheus", "promtool")


def amtool():
    return debian_binary("prometheus-alertmanager", "amtool")


def role_defaults(**overrides):
    with open(os.path.join(ROLE, "defaults", "main.yml")) as handle:
        values = yaml.safe_load(handle)
    values.update(overrides, ansible_managed="Managed by the tests")
    return values


def rule_files():
    with open(os.path.join(ROLE, "vars", "main.yml")) as handle:
        return yaml.safe_load(handle)["monitoring_rule_files"]


def render_rules(directory, **overrides):
    """Each rule file rendered into `directory` with the role's defaults; returns their paths."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(ROLE, "templates", "rules")),
        variable_start_string="[[", variable_end_string="]]", undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    values = role_defaults(**overrides)
    paths = []
    for name in rule_files():
        path = os.path.join(str(directory), name + ".yml")
        with open(path, "w") as handle:
            handle.write(env.get_template(name + ".yml.j2").render(**values))
        paths.append(path)
    return paths


def alerts(paths):
    """{alertname: rule} of the rendered files."""
    result = {}
    for path in paths:
        with open(path) as handle:
            for group in yaml.safe_load(handle)["groups"]:
                for rule in group["rules"]:
                    if "alert" in rule:
                        result[rule["alert"]] = rule
    return result
