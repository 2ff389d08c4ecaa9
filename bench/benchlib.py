"""What the benchmark scripts share: the project-local cluster and its databases."""

import os
import subprocess
import sys
from pathlib import Path

PG_BIN = "/usr/lib/postgresql/15/bin"
ROOT = Path(__file__).resolve().parent.parent
# What the template database of the benchmarks holds: the Odoo addons they share.
TEMPLATE = "tmpl_deps"
TEMPLATE_MODULES = "sale_management,sale_stock,account,crm,web_hierarchy"


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


def odoo_addons_path(*extra):
    """This repository's addons, Odoo's (a source checkout keeps them beside the
    odoo package, as scripts/lib.sh finds them), then ``extra``."""
    import odoo

    path = [str(ROOT / "addons")]
    source = Path(odoo.__file__).resolve().parent.parent / "addons"
    if (source / "sale").is_dir():
        path.append(str(source))
    return ",".join([*path, *extra])


def ensure_template(template=TEMPLATE):
    """Create the template database (the shared Odoo addons, no demo data) when
    missing: about 2 minutes."""
    if database_exists(template):
        return
    print(f"creating the template database {template} ({TEMPLATE_MODULES})", flush=True)
    cmd = [sys.executable, "-m", "odoo", "-c", str(ROOT / "odoo.conf"), f"--addons-path={odoo_addons_path()}"]
    cmd += ["-d", template, "-i", TEMPLATE_MODULES, "--without-demo=all", "--stop-after-init"]
    subprocess.run([*cmd, "--max-cron-threads=0", "--log-level=warn"], cwd=ROOT, check=True)


def open_registry(db):
    """The Odoo registry of ``db``, configured as the project runs Odoo."""
    sys.path.insert(0, str(ROOT))
    import odoo
    from odoo.modules.registry import Registry

    # The filestore is the project's (odoo.conf's data_dir is relative to where the bench runs).
    odoo.tools.config.parse_config(
        [
            "-c",
            str(ROOT / "odoo.conf"),
            f"--addons-path={odoo_addons_path()}",
            f"--data-dir={ROOT / '.local' / 'odoo-data'}",
            "-d",
            db,
        ]
    )
    return Registry(db)
