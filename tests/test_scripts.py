"""The README's two commands refuse to start, with a clear message, when the
Python they are given cannot import Odoo 18."""

import os
import shutil
import socket
import subprocess
from pathlib import Path

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


def test_command_stops_when_postgresql_cannot_start(tmp_path):
    """A port held by another program: the cluster cannot start, the command
    says so and stops before Odoo runs."""
    project = tmp_path / "project"
    (project / "addons").mkdir(parents=True)
    shutil.copytree(ROOT / "scripts", project / "scripts")
    shutil.copy(ROOT / "odoo.conf", project / "odoo.conf")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = dict(os.environ, SALES_MGMT_PGPORT=str(port))
        try:
            proc = subprocess.run(
                ["bash", str(project / "scripts" / "run.sh")],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        finally:
            pgdirs = [project / ".local" / "pg", *Path("/tmp").glob("sales-mgmt-pg-*")]
            for pgdir in pgdirs:
                if str(project) in pgdir.as_posix() or _cluster_of(pgdir, project):
                    shutil.rmtree(pgdir, ignore_errors=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "PostgreSQL could not start (see " in proc.stderr
    assert f"is port {port} taken?" in proc.stderr
    assert "Serving" not in proc.stdout


def _cluster_of(pgdir, project):
    """True when ``pgdir`` is the /tmp fallback cluster folder of ``project``."""
    expected = subprocess.run(
        ["bash", "-c", f"echo '{project}' | cksum | cut -d' ' -f1"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return pgdir.name == f"sales-mgmt-pg-{expected}"
