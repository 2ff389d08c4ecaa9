"""What the benchmark scripts share: the project-local cluster and its databases."""

import os
import subprocess

PG_BIN = "/usr/lib/postgresql/15/bin"


def pg_env():
    """The environment of PostgreSQL's client programs for the project-local cluster."""
    return dict(os.environ, PGHOST="127.0.0.1", PGPORT="55432", PGUSER="odoo", PGPASSWORD="odoo")


def database_exists(db):
    out = subprocess.run(
        [f"{PG_BIN}/psql", "-d", "postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"],
        env=pg_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"
