"""Harness of the cross-addon tests: a real Odoo server on a free loopback port.

pytest-odoo loads the registry of the test database (``--odoo-database``) in this
process; the fixtures below commit the data the scenarios need (users, teams,
customers), then start a separate Odoo server process on that database so that
XML-RPC calls run in their own transactions, concurrently, as in production.
"""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import pytest

import odoo
from odoo import api
from odoo.modules.registry import Registry
from odoo.tests import new_test_user

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("sales_team_mgmt", "osb_credit", "sales_kpi")


def db_name():
    return odoo.tools.config["db_name"]


def addons_path():
    return os.environ.get("SALES_MGMT_ADDONS_PATH") or odoo.tools.config["addons_path"]


@contextlib.contextmanager
def committed_env(user=api.SUPERUSER_ID, context=None):
    """An environment whose changes are committed on exit, and whose cache
    invalidations are signalled to the server process."""
    registry = Registry(db_name())
    with registry.cursor() as cr:
        env = api.Environment(cr, user, context or {})
        yield env
        env.flush_all()
    registry.signal_changes()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RpcClient:
    """A logged-in XML-RPC client: ``client.call(model, method, *args, **kwargs)``."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.login, self.password = url, db, login, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise AssertionError(f"XML-RPC authentication failed for {login!r}")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


class OdooServer:
    def __init__(self, db, port, logfile):
        self.db, self.port, self.logfile = db, port, logfile
        self.url = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self, timeout=180):
        cmd = [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            str(ROOT / "odoo.conf"),
            f"--addons-path={addons_path()}",
            f"--db_port={odoo.tools.config['db_port']}",
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            "--gevent-port=0",
            "--max-cron-threads=0",
            "--log-level=warn",
            f"--logfile={self.logfile}",
        ]
        self.process = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo server exited with {self.process.returncode}; see {self.logfile}")
            with contextlib.suppress(OSError, xmlrpc.client.Error):
                if common.version().get("server_serie") == "18.0":
                    return self
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Odoo server did not answer on {self.url} within {timeout} s; see {self.logfile}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self, login, password=None):
        return RpcClient(self.url, self.db, login, password or login)


@pytest.fixture(scope="session")
def odoo_server(uninstall_db):
    """A real Odoo server process on a free loopback port, for the whole session.

    It depends on ``uninstall_db`` so that the copy used by the uninstall test is
    taken before any server holds connections to the test database."""
    logdir = ROOT / ".local" / "log"
    logdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = OdooServer(db_name(), port, logdir / f"{db_name()}.server-{port}.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def uninstall_db():
    """Name of a copy of the test database that the uninstall test may destroy."""
    name = os.environ.get("SALES_MGMT_UNINSTALL_DB") or f"{db_name()}_uninstall"
    with committed_env() as env:
        env.cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = bool(env.cr.fetchone())
    if not exists:
        odoo.sql_db.close_db(db_name())
        with odoo.sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(f'CREATE DATABASE "{name}" WITH TEMPLATE "{db_name()}"')
    return name


@pytest.fixture(scope="session")
def sales_user_login():
    """A committed non-admin internal user (salesman), password = login."""
    login = "harness_salesman"
    with committed_env() as env:
        if not env["res.users"].search([("login", "=", login)]):
            new_test_user(env, login=login, groups="sales_team.group_sale_salesman", name="Harness Salesman")
    return login


def run_docs_example(page, odoo_server, login, **variables):
    """Run the one ```python example of ``docs/<page>`` against the real server.

    The example reads its connection from ODOO_URL, ODOO_DB, ODOO_LOGIN and
    ODOO_PASSWORD (password = login for test users), plus ``variables``.
    Returns the finished process; fails the test if the example fails."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / page).read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, f"docs/{page} has one runnable python example"
    env = dict(
        os.environ,
        ODOO_URL=odoo_server.url,
        ODOO_DB=odoo_server.db,
        ODOO_LOGIN=login,
        ODOO_PASSWORD=login,
        **{name: str(value) for name, value in variables.items()},
    )
    proc = subprocess.run(
        [sys.executable, "-c", blocks[0]], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc
