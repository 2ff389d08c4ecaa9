"""Benchmark: load with invariants against a prefork server (issue 20).

20 XML-RPC clients for 5 minutes (by default) against Odoo in prefork mode
(3 workers), on a copy of a database with the three addons and demo data,
selling, approving, releasing, shipping, invoicing and collecting for 300
customers under credit control; then the invariants: no server error, no
order both held and confirmed nor confirmed unapproved, no customer's exposure
above its limit but for what a valid release let through, the stored exposure
equal to a fresh computation once its queue has drained, the facts equal to a
full rebuild. The scenario is ``tests/load_invariants.py``, the same as the
short test of the test command (``tests/test_load_invariants.py``: 20 clients,
40 s, 60 customers). Prints the figures and each invariant; exits with status 1
when one breaks or a server error occurs.

    ./scripts/run.sh                       # once: the demo database sales_mgmt
    python3 bench/load_invariants.py       # about 6-7 min
    python3 bench/load_invariants.py --clients 40 --seconds 600 --customers 500 --workers 4

Each run works on a fresh copy (``<template>_load``, dropped afterwards) of the
template database (``--template``, default ``sales_mgmt``).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from benchlib import PG_BIN, database_exists, odoo_addons_path, open_registry, pg_env

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="sales_mgmt")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--reps", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not database_exists(args.template):
        sys.exit(f"database {args.template} is missing: run ./scripts/run.sh once (or give --template)")
    db = f"{args.template}_load"
    env = pg_env()
    subprocess.run([f"{PG_BIN}/dropdb", "--if-exists", db], env=env, check=True)
    subprocess.run([f"{PG_BIN}/createdb", "-T", args.template, db], env=env, check=True)
    os.environ["SALES_MGMT_ADDONS_PATH"] = odoo_addons_path()
    sys.path.insert(0, str(ROOT / "tests"))
    open_registry(db)
    from load_invariants import SHARED_TABLES, build, check_invariants, run_load  # noqa: PLC0415

    from conftest import OdooServer, committed_env, free_port  # noqa: PLC0415

    log_dir = ROOT / ".local" / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    server = OdooServer(db, free_port(), log_dir / f"{db}.prefork.log", workers=args.workers)
    failed = False
    try:
        with committed_env() as cenv:
            data = build(cenv, customers=args.customers, reps=args.reps)
            policy = cenv["osb.credit.policy"]._get_policy(cenv.company)
            policy.enforce = True
        server.start()
        print(
            f"load: {args.clients} clients, {args.seconds} s, {args.customers} customers, "
            f"{args.workers} workers, on {db}",
            flush=True,
        )
        stats = run_load(server, data, clients=args.clients, seconds=args.seconds, seed=args.seed)
        server.stop()
        with committed_env() as cenv:
            report = check_invariants(cenv, data)
        print(f"requests: {stats['requests']} in {stats['seconds']} s = {stats['requests_per_second']} per second")
        print("work done:", json.dumps(stats["counts"], sort_keys=True))
        print("orders by state:", json.dumps(report.pop("orders")[1], sort_keys=True))
        print(f"server errors (client side): {len(stats['server_errors'])}")
        print(f"error lines in the server log: {len(stats['log_errors'])}")
        print(f"serialisation failures Odoo retried, by table: {json.dumps(stats['retried_conflicts'])}")
        shared = {t: n for t, n in stats["retried_conflicts"].items() if t in SHARED_TABLES}
        failed = bool(stats["server_errors"] or stats["log_errors"] or shared)
        for error in (stats["server_errors"] + stats["log_errors"])[:5]:
            print("  ", error[:600])
        for name, (ok, detail) in report.items():
            print(f"invariant: {name}: {'ok' if ok else 'BROKEN ' + str(detail)[:600]}")
            failed = failed or not ok
    finally:
        server.stop()
        import odoo  # noqa: PLC0415

        odoo.sql_db.close_all()
        subprocess.run([f"{PG_BIN}/dropdb", "--if-exists", db], env=env, check=False)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
