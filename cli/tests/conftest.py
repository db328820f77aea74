"""The CLI's tests run the real `odoo-saas` against a small project of localhost playbooks (project/)."""

import os
import shutil
import subprocess
import sys

import pytest

from cli_test_paths import HERE


@pytest.fixture()
def project(tmp_path):
    """A copy of the test project, so runs/ lands in tmp."""
    root = tmp_path / "project"
    shutil.copytree(HERE / "project", root, ignore=shutil.ignore_patterns("runs"))
    return root


@pytest.fixture()
def odoo_saas(project, tmp_path):
    """Runs the CLI as an operator would; returns the CompletedProcess."""
    def run(*args, env=None, root=project):
        environ = {k: v for k, v in os.environ.items() if k != "ODOO_SAAS_PROJECT_DIR"}
        environ.update({"ODOO_SAAS_RUNS_DIR": str(tmp_path / "runs")}, **(env or {}))
        return subprocess.run([sys.executable, "-m", "odoo_saas_cli", "--project-dir", str(root), *args],
                              capture_output=True, text=True, env=environ, check=False, timeout=300)
    return run
