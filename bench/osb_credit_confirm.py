"""Benchmark: order confirmation time with osb_credit, plain Odoo and OCA sale_financial_risk.

One customer with many open invoice lines and open (confirmed, not invoiced) order
lines; N new one-line orders are confirmed one by one, each in its own committed
transaction (as an RPC call would be), interleaved across the databases in one
process, and the median confirmation time is printed for each database, with the
ratios with their 95% intervals (targets, met by the upper end of the interval:
ours / plain <= 1.15, ours / OCA <= 1.0). Exits with status 1 on a miss.

    python3 bench/osb_credit_confirm.py --setup            # create and fill the databases (about 6-7 min)
    python3 bench/osb_credit_confirm.py                    # measure (about 75 s)
    python3 bench/osb_credit_confirm.py --setup --orders 200 --invoices 100 --invoice-lines 50 \
        --order-count 20 --order-lines 100

Databases (prefix osb_bench_): _ours (osb_credit, credit control on), _stm
(sales_team_mgmt only: the addon osb_credit depends on, to isolate its own cost),
_plain (the Odoo dependencies only), _oca (sale_financial_risk + account_financial_risk 18.0 from
PyPI at 18.0, installed by --setup into bench/out/oca when missing, risk on orders and open invoices included).
They are created from the template database ``tmpl_deps`` (override with --template), which
--setup creates when missing. Each measurement runs on a
fresh copy of the filled database (``<db>_run``, dropped afterwards), with the addons of
this repository upgraded to the code at hand, so runs are repeatable and comparable.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import PG_BIN, TEMPLATE, ensure_template, odoo_addons_path, pg_env

ROOT = Path(__file__).resolve().parent.parent
MODES = ("ours", "stm", "plain", "oca")
PG = PG_BIN


# The OCA peer, at its 18.0 version (the unpinned names install the 19.0 addons).
OCA_PACKAGES = ("odoo-addon-sale_financial_risk>=18.0,<18.1", "odoo-addon-account_financial_risk>=18.0,<18.1")


# Where --setup installs the OCA peer: a folder of its own, never Odoo's package
# (pip would make ``odoo`` a namespace package there, which hides an editable Odoo).
OCA_DIR = ROOT / "bench" / "out" / "oca"


def oca_candidates():
    import odoo.addons

    return [Path(path) for path in odoo.addons.__path__] + [OCA_DIR / "odoo" / "addons"]


def oca_addons_dir():
    for path in oca_candidates():
        if (path / "sale_financial_risk" / "__manifest__.py").exists():
            return str(path)
    raise SystemExit(f"OCA sale_financial_risk is not installed: run --setup, or pip install --no-deps {OCA_PACKAGES}")


def ensure_oca_peer():
    """Install the OCA peer from PyPI into bench/out/oca when it is missing (no
    dependency is pulled: Odoo is there)."""
    if any((path / "sale_financial_risk" / "__manifest__.py").exists() for path in oca_candidates()):
        return
    print("installing the OCA peer into", OCA_DIR, ":", ", ".join(OCA_PACKAGES), flush=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(OCA_DIR), *OCA_PACKAGES],
        check=True,
    )


def addons_path(mode):
    return odoo_addons_path(oca_addons_dir()) if mode == "oca" else odoo_addons_path()


def odoo_cmd(mode, db, *args):
    return [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        str(ROOT / "odoo.conf"),
        f"--addons-path={addons_path(mode)}",
        "-d",
        db,
        "--max-cron-threads=0",
        "--log-level=warn",
        "--stop-after-init",
        *args,
    ]


MODULES = {"ours": "osb_credit", "stm": "sales_team_mgmt", "plain": None, "oca": "sale_financial_risk"}


def setup_db(mode, db, template):
    subprocess.run([f"{PG}/dropdb", "--if-exists", db], env=pg_env(), check=True)
    subprocess.run([f"{PG}/createdb", "-T", template, db], env=pg_env(), check=True)
    if MODULES[mode]:
        subprocess.run(odoo_cmd(mode, db, "-i", MODULES[mode]), cwd=ROOT, check=True)


def copy_db(mode, db):
    """A fresh copy of the filled database, with this repository's addons upgraded."""
    run_db = f"{db}_run"
    subprocess.run([f"{PG}/dropdb", "--if-exists", run_db], env=pg_env(), check=True)
    subprocess.run([f"{PG}/createdb", "-T", db, run_db], env=pg_env(), check=True)
    if mode in ("ours", "stm"):
        # Every addon of this repository in the database, so that a model moved from
        # one to the other (e.g. a mixin) upgrades cleanly.
        subprocess.run(odoo_cmd(mode, run_db, "-u", "sales_team_mgmt,osb_credit"), cwd=ROOT, check=True)
    return run_db


def fill(mode, db, args):
    """Runs inside one database (own process): fill it."""
    import odoo
    from odoo import Command, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(ROOT / "odoo.conf"), f"--addons-path={addons_path(mode)}", "-d", db])
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        admin = env.ref("base.user_admin")
        product = env["product.product"].create(
            {
                "name": "Bench service",
                "default_code": "OSB-BENCH",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 10.0,
                "taxes_id": [Command.clear()],
            }
        )
        vals = {
            "name": "Bench customer",
            "is_company": True,
            "credit_limit": 1e12,
            "property_payment_term_id": env.ref("account.account_payment_term_30days").id,
            "user_id": admin.id,
        }
        if mode == "ours":
            vals["osb_slt_user_id"] = admin.id
            env["osb.credit.policy"]._get_policy(env.company).enforce = True
        if mode == "oca":
            vals.update(
                risk_sale_order_include=True,
                risk_invoice_draft_include=True,
                risk_invoice_open_include=True,
                risk_invoice_unpaid_include=True,
                risk_account_amount_include=True,
            )
        customer = env["res.partner"].create(vals)
        for i in range(args.invoices):
            move = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "quantity": 1, "price_unit": 10.0})
                        for _j in range(args.invoice_lines)
                    ],
                }
            )
            move.action_post()
            if i % 20 == 0:
                print(f"[{mode}] invoices {i}/{args.invoices}", file=sys.stderr)
        for _i in range(args.order_count):
            env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 10.0})
                        for _j in range(args.order_lines)
                    ],
                }
            ).action_confirm()
        print(f"[{mode}] filled", file=sys.stderr)


def measure(modes, dbs, args):
    """Runs in one process holding the registries of all the databases: creates the new
    orders in each, then confirms them interleaved (order i in every database before
    order i + 1), each in its own committed transaction, so that a change of machine
    load during the run weighs on every database alike."""
    import odoo
    from odoo import Command, api
    from odoo.modules.registry import Registry

    paths = ",".join(dict.fromkeys(p for mode in modes for p in addons_path(mode).split(",")))
    odoo.tools.config.parse_config(["-c", str(ROOT / "odoo.conf"), f"--addons-path={paths}"])
    plans = {}
    for mode, db in zip(modes, dbs, strict=True):
        registry = Registry(db)
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            customer = env["res.partner"].search([("name", "=", "Bench customer")], limit=1)
            product = env["product.product"].search([("default_code", "=", "OSB-BENCH")], limit=1)
            order_ids = (
                env["sale.order"]
                .create(
                    [
                        {
                            "partner_id": customer.id,
                            "order_line": [Command.create({"product_id": product.id, "price_unit": 10.0})],
                        }
                        for _i in range(args.orders)
                    ]
                )
                .ids
            )
            admin_id = env.ref("base.user_admin").id
        plans[mode] = (registry, admin_id, order_ids)
    times = {mode: [] for mode in modes}
    for index in range(args.orders):
        for mode in modes:
            registry, admin_id, order_ids = plans[mode]
            with registry.cursor() as cr:
                env = api.Environment(cr, admin_id, {})
                order = env["sale.order"].browse(order_ids[index])
                start = time.perf_counter()
                order.action_confirm()
                env.flush_all()
                cr.commit()
                times[mode].append(time.perf_counter() - start)
                assert order.state == "sale", (mode, order.state)
    return {
        mode: {
            "median_ms": statistics.median(t) * 1000,
            "mean_ms": statistics.mean(t) * 1000,
            "n": len(t),
            "times_ms": [x * 1000 for x in t],
        }
        for mode, t in times.items()
    }


def ratio_interval(num, den, resamples=2000, seed=1):
    """95% bootstrap interval of median(num) / median(den), resampling the order
    indexes (pairs stay together: order i was confirmed in every database in turn).
    It tells how much the ratio of this run depends on which orders were timed;
    the machine's drift from one run to the next comes on top."""
    import random

    rng = random.Random(seed)
    n = len(num)
    ratios = []
    for _i in range(resamples):
        picks = [rng.randrange(n) for _j in range(n)]
        ratios.append(statistics.median(num[i] for i in picks) / statistics.median(den[i] for i in picks))
    ratios.sort()
    return ratios[int(0.025 * resamples)], ratios[int(0.975 * resamples) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setup", action="store_true", help="create and fill the databases first")
    parser.add_argument("--template", default=TEMPLATE)
    parser.add_argument("--prefix", default="osb_bench")
    parser.add_argument("--orders", type=int, default=200, help="new orders confirmed and timed")
    parser.add_argument("--invoices", type=int, default=100)
    parser.add_argument("--invoice-lines", type=int, default=50, help="lines per open invoice")
    parser.add_argument("--order-count", type=int, default=20)
    parser.add_argument("--order-lines", type=int, default=100, help="lines per open order")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--fill", nargs=2, metavar=("MODE", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=2, metavar=("MODES", "DBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        fill(args.fill[0], args.fill[1], args)
        return
    if args.measure:
        print(json.dumps(measure(args.measure[0].split(","), args.measure[1].split(","), args)))
        return
    modes = args.modes.split(",")
    passthrough = [
        f"--orders={args.orders}",
        f"--invoices={args.invoices}",
        f"--invoice-lines={args.invoice_lines}",
        f"--order-count={args.order_count}",
        f"--order-lines={args.order_lines}",
    ]
    if args.setup:
        started = time.monotonic()
        if "oca" in modes:
            ensure_oca_peer()
        ensure_template(args.template)
        for mode in modes:
            db = f"{args.prefix}_{mode}"
            setup_db(mode, db, args.template)
            cmd = [sys.executable, __file__, "--fill", mode, db, *passthrough]
            subprocess.run(cmd, cwd=ROOT, check=True)
        print(f"setup took {time.monotonic() - started:.0f} s", flush=True)
    run_dbs = [copy_db(mode, f"{args.prefix}_{mode}") for mode in modes]
    cmd = [sys.executable, __file__, "--measure", ",".join(modes), ",".join(run_dbs), *passthrough]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    for run_db in run_dbs:
        subprocess.run([f"{PG}/dropdb", "--if-exists", run_db], env=pg_env(), check=True)
    results = json.loads(out.strip().splitlines()[-1])
    print(
        f"customer: {args.invoices * args.invoice_lines} open invoice lines, "
        f"{args.order_count * args.order_lines} open order lines; {args.orders} orders confirmed per database"
    )
    for mode, res in results.items():
        print(f"{mode:6s} median {res['median_ms']:8.1f} ms   mean {res['mean_ms']:8.1f} ms   n={res['n']}")
    missed = []
    # the targets hold for the upper end of the 95% interval, not the median
    for other, label, target in (
        ("plain", "target <= 1.15", 1.15),
        ("stm", "osb_credit's own cost", None),
        ("oca", "target <= 1.0", 1.0),
    ):
        if "ours" in results and other in results:
            low, high = ratio_interval(results["ours"]["times_ms"], results[other]["times_ms"])
            ratio = results["ours"]["median_ms"] / results[other]["median_ms"]
            name = "OCA" if other == "oca" else other
            verdict = "" if target is None else (" ok" if high <= target else " MISSED")
            if target is not None and high > target:
                missed.append(f"ours / {name}")
            print(
                f"ours / {name:5s} = {ratio:.3f} ({label};"
                f" 95% interval over these orders {low:.3f}-{high:.3f}){verdict}"
            )
    if missed:
        print(f"MISSED (upper end of the interval above the target): {', '.join(missed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
