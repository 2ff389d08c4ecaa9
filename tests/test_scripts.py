"""The README's two commands refuse to start, with a clear message, when the
Python they are given cannot import Odoo 18."""

import os
import subprocess

import pytest

from conftest import ROOT


@pytest.fixture
def python_without_odoo(tmp_path):
    shim = tmp_path / "python-without-odoo"
    shim.write_text("#!/bin/sh\necho \"ModuleNotFoundError: No module named 'odoo'\" >&2\nexit 1\n")
    shim.chmod(0o755)
    return str(shim)


@pytest.mark.parametrize("script", ["scripts/run.sh", "scripts/test.sh"])
def test_command_stops_without_odoo(script, python_without_odoo):
    env = dict(os.environ, PYTHON=python_without_odoo)
    proc = subprocess.run(
        ["bash", str(ROOT / script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 1
    assert "Odoo is not importable" in proc.stderr
    assert "Install Odoo 18.0 Community first" in proc.stderr
    assert "Creating database" not in proc.stdout and "Installing" not in proc.stdout
