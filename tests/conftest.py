"""Harness of the cross-addon tests: a real Odoo server on a free loopback port.

pytest-odoo loads the registry of the test database (``--odoo-database``) in this
process; the fixtures below commit the data the scenarios need (users, teams,
customers), then start a separate Odoo server process on that database so that
XML-RPC calls run in their own transactions, concurrently, as in production.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import pytest

import odoo
from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.tests import new_test_user

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("sales_team_mgmt", "osb_credit", "sales_kpi")
PREFORK_WORKERS = 3
REQUEST_LINE = re.compile(r"^\S+ \S+ (\d+) INFO \S+ werkzeug: .*\"POST /")
SERVER_ERROR = re.compile(
    r"^\S+ \S+ \d+ (ERROR|CRITICAL) |^Traceback|could not serialize access|serialization_failure|deadlock"
)


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

    def clone(self):
        """A client of the same user with its own connection (one per thread),
        without logging in again (each login verifies the password: ~1 s)."""
        other = object.__new__(RpcClient)
        other.url, other.db, other.login, other.password, other.uid = (
            self.url,
            self.db,
            self.login,
            self.password,
            self.uid,
        )
        other.models = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        return other

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


class OdooServer:
    """A real Odoo server process against ``db`` on a loopback ``port``.

    ``workers=0`` runs it threaded (``python -m odoo``); ``workers=N`` runs it in
    prefork mode, as production does: N HTTP worker processes (each request goes to
    whichever is free), ``cron_workers`` cron processes (none unless asked) and the
    long-polling (gevent) process on its own free port, started through
    ``tests/odoo_launcher.py`` because Odoo re-executes its command line for it.
    The prefork server also logs every request with the worker's pid."""

    def __init__(self, db, port, logfile, workers=0, cron_workers=0):
        self.db, self.port, self.logfile = db, port, logfile
        self.workers, self.cron_workers = workers, cron_workers
        self.url = f"http://127.0.0.1:{port}"
        self.process = None

    def command(self):
        if self.workers:
            head = [sys.executable, str(ROOT / "tests" / "odoo_launcher.py")]
            mode = [
                f"--workers={self.workers}",
                f"--max-cron-threads={self.cron_workers}",
                f"--gevent-port={free_port()}",
                # One line per request, with the pid of the worker that answered it.
                "--log-handler=werkzeug:INFO",
            ]
        else:
            head = [sys.executable, "-m", "odoo"]
            mode = ["--workers=0", "--gevent-port=0", f"--max-cron-threads={self.cron_workers}"]
        return [
            *head,
            "-c",
            str(ROOT / "odoo.conf"),
            f"--addons-path={addons_path()}",
            f"--db_port={odoo.tools.config['db_port']}",
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            *mode,
            "--log-level=warn",
            # Odoo's retries of serialisation failures and deadlocks are INFO lines.
            "--log-handler=odoo.service.model:INFO",
            f"--logfile={self.logfile}",
        ]

    def start(self, timeout=180):
        # Its own process group: stop() ends the workers and the gevent process too.
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
        )
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
        if self.process:
            # Whatever the server started and left behind (its group is its pid).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def log_mark(self):
        """The current end of the server's log, for ``log_since``."""
        return self.logfile.stat().st_size if self.logfile.exists() else 0

    def log_since(self, mark):
        """The lines the server logged since ``mark`` (``log_mark()``): one server
        writes its log alone, so these are the lines of what ran in between."""
        with open(self.logfile, encoding="utf-8", errors="replace") as log:
            log.seek(mark)
            return log.read().splitlines()

    def client(self, login, password=None):
        return RpcClient(self.url, self.db, login, password or login)


def start_server(**options):
    logdir = ROOT / ".local" / "log"
    logdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    kind = "prefork" if options.get("workers") else "server"
    return OdooServer(db_name(), port, logdir / f"{db_name()}.{kind}-{port}.log", **options).start()


@pytest.fixture(scope="session")
def odoo_server(uninstall_db):
    """A real Odoo server process (threaded) on a free loopback port, for the whole session.

    It depends on ``uninstall_db`` so that the copy used by the uninstall test is
    taken before any server holds connections to the test database."""
    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def odoo_prefork_server(uninstall_db):
    """A real Odoo server in prefork mode, as production runs it: 3 HTTP workers,
    no cron worker, the gevent process on a free port; for the whole session."""
    server = start_server(workers=PREFORK_WORKERS)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def matrix_data(odoo_prefork_server):
    """The organisation, one user per role and the records of the access matrix
    (``_build`` of tests/test_access_matrix.py), with a logged-in client per role;
    the bad-input sweep acts on the same records."""
    from access_matrix import ROLES  # noqa: PLC0415
    from test_access_matrix import _build  # noqa: PLC0415

    with committed_env() as env:
        data = _build(env)
    data["clients"] = {role: odoo_prefork_server.client(data[f"{role}_login"], data[f"{role}_key"]) for role in ROLES}
    return data


def answering_pids(lines):
    """The pids of the processes that logged a request (prefork: the workers)."""
    return {int(match.group(1)) for line in lines if (match := REQUEST_LINE.search(line))}


def server_errors(lines):
    """The lines of a server log that tell of a failure: ERROR or CRITICAL lines,
    tracebacks, and every serialisation failure or deadlock (even retried)."""
    return [line for line in lines if SERVER_ERROR.search(line)]


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


def new_api_user(env, login, groups, **values):
    """A user without a password, who calls XML-RPC with an API key, as an
    integration does; returns (user, key). Logging in with ``client(login, key)``
    costs a few milliseconds where a password costs ~1 s of pbkdf2 (600,000
    rounds) at every call after a registry cache clearing, in each worker."""
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": login,
                "login": login,
                "email": f"{login}@example.com",
                "groups_id": [Command.set([env.ref(group.strip()).id for group in groups.split(",")])],
                **values,
            }
        )
    )
    key = env["res.users.apikeys"].with_user(user).sudo()._generate(None, "tests", None)
    return user, key


@pytest.fixture(scope="session")
def sales_user_login():
    """A committed non-admin internal user (salesman), password = login."""
    login = "harness_salesman"
    with committed_env() as env:
        if not env["res.users"].search([("login", "=", login)]):
            new_test_user(env, login=login, groups="sales_team.group_sale_salesman", name="Harness Salesman")
    return login


def run_docs_example(page, odoo_server, login, example=None, fence="python", **variables):
    """Run a ```python example of ``docs/<page>`` against the real server.

    A page has one unnamed example, and any number of named ones: named by
    their fence (```python <name>) or by their first line (``# example:
    <name>``). ``example`` picks one by its name (default: the unnamed one);
    ``fence`` picks the block fenced exactly so (```python quota). The example
    reads its connection from ODOO_URL, ODOO_DB, ODOO_LOGIN and ODOO_PASSWORD
    (password = login for test users), plus ``variables``. Returns the finished
    process; fails the test if the example fails."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    found = []
    for info, code in re.findall(r"```(python(?: [^\n]*)?)\n(.*?)```", text, re.S):
        marker = re.match(r"# [Ee]xample: (\S+)\n", code)
        name = info[len("python ") :].strip() if info != "python" else (marker.group(1) if marker else None)
        if (info == fence) if fence != "python" else name == example:
            found.append(code)
    assert len(found) == 1, f"docs/{page} has one runnable {fence} example {example or '(unnamed)'}"
    blocks = found
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
