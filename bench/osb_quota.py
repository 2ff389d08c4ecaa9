"""Benchmark: the quota (配额) check at confirmation and the allocation-vs-used pivot.

On generated data (default: 5,000 allocations of the current month, 1,000,000
order lines over a year, 50,000 customers, 2,000 teams, 100 products in 10
categories):

1. confirming an order that four allocations cover (the customer's, its team's,
   the team's root market's, and a category allocation of the team's parent),
   each confirmation in its own committed transaction as an RPC call would be,
   against the same database with every allocation archived (the check then finds
   none); blocks of the two modes are interleaved; target: median ratio <= 1.10;
2. the allocation-vs-used pivot of the month for all holders (``osb.quota.report``
   grouped by holder type, team and customer: allocated, used, available);
   target: under 1 s (median of 3).

Prints the figures; exits with status 1 on a miss (at full scale only: at a
smaller ``--scale`` the figures are printed, not judged).

    python3 bench/osb_quota.py --setup                 # create and fill osb_bench_quota (full scale)
    python3 bench/osb_quota.py                         # measure
    python3 bench/osb_quota.py --setup --scale 0.05 --db qt_bench --template qt_tpl   # a small run

The database is created from ``--template`` (default ``tmpl_deps``, created when
missing); osb_credit is installed unless the template has it already.
"""

import argparse
import datetime
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import PG_BIN, TEMPLATE, ensure_template, open_registry, pg_env

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = 100
CATEGORIES = 10


def odoo_install(db):
    from benchlib import odoo_addons_path

    cmd = [sys.executable, "-m", "odoo", "-c", str(ROOT / "odoo.conf"), f"--addons-path={odoo_addons_path()}"]
    cmd += ["-d", db, "-i", "osb_credit", "--max-cron-threads=0", "--log-level=warn", "--stop-after-init"]
    subprocess.run(cmd, cwd=ROOT, check=True)


def installed(db, module):
    out = subprocess.run(
        [f"{PG_BIN}/psql", "-d", db, "-Atc", f"SELECT state FROM ir_module_module WHERE name = '{module}'"],
        env=pg_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "installed"


_REGISTRIES = {}


def registry_of(db):
    """The registry of ``db``, opened once per process (Odoo parses its configuration once)."""
    if db not in _REGISTRIES:
        _REGISTRIES[db] = open_registry(db)
    return _REGISTRIES[db]


def month_bounds(today):
    first = today.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


def setup(args):
    if args.template == TEMPLATE:
        ensure_template()
    subprocess.run([f"{PG_BIN}/dropdb", "--if-exists", args.db], env=pg_env(), check=True)
    subprocess.run([f"{PG_BIN}/createdb", "-T", args.template, args.db], env=pg_env(), check=True)
    if not installed(args.db, "osb_credit"):
        odoo_install(args.db)
    fill(args)


def fill(args):
    """Teams, users, customers and order lines (bench/datagen.py, set-based SQL), the
    lines spread over the products; the allocations in SQL; the measured customer's
    four allocations through the ORM."""
    sys.path.insert(0, str(ROOT / "bench"))
    from datagen import DataGen

    from odoo import Command, api

    scale = args.scale
    started = time.monotonic()
    registry = registry_of(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {"tracking_disable": True, "mail_notrack": True})
        categories = env["product.category"].create([{"name": f"Quota bench {i}"} for i in range(CATEGORIES)])
        products = env["product.product"].create(
            [
                {
                    "name": f"Quota bench product {i}",
                    "type": "consu",
                    "categ_id": categories[i % CATEGORIES].id,
                    "list_price": 10.0,
                    "taxes_id": [Command.clear()],
                }
                for i in range(PRODUCTS)
            ]
        )
        env["osb.credit.policy"]._get_policy(env.company).enforce = False
        env.flush_all()
    with DataGen.connect(args.db) as gen:
        teams = gen.teams(max(20, int(2000 * scale)), levels=4, roots=8)
        users = gen.users(max(20, int(2000 * scale)), teams=teams)
        customers = gen.customers(max(100, int(50000 * scale)))
        gen.cr.connection.commit()
        gen.orders(max(1000, int(1_000_000 * scale)), customers=customers, users=users, lines=1, days=365)
        cr = gen.cr
        cr.execute(
            "UPDATE sale_order_line SET product_id = (%s::int[])[1 + id %% %s] WHERE product_id <> ALL(%s)",
            [products.ids, PRODUCTS, products.ids],
        )
        first, last = month_bounds(datetime.date.today())
        allocations = max(40, int(5000 * scale))
        # 70% customer allocations, 30% team allocations, of the month, large enough to hold nothing.
        cr.execute(
            """
            INSERT INTO osb_quota (holder_type, partner_id, product_id, date_from, date_to, quantity, company_id,
                                   active, create_uid, write_uid, create_date, write_date)
            SELECT 'customer', (%(customers)s::int[])[1 + (g * 7919) %% %(ncust)s],
                   (%(products)s::int[])[1 + g %% %(nprod)s], %(first)s, %(last)s, 1e9, 1, TRUE, 1, 1, now(), now()
              FROM generate_series(1, %(count)s) g
            """,
            dict(
                customers=customers,
                ncust=len(customers),
                products=products.ids,
                nprod=PRODUCTS,
                first=first,
                last=last,
                count=int(allocations * 0.7),
            ),
        )
        team_ids = [t for level in teams["levels"] for t in level]
        cr.execute(
            """
            INSERT INTO osb_quota (holder_type, holder_team_id, team_id, product_id, date_from, date_to, quantity,
                                   company_id, active, create_uid, write_uid, create_date, write_date)
            SELECT 'team', t, t, (%(products)s::int[])[1 + g %% %(nprod)s], %(first)s, %(last)s, 1e9, 1, TRUE,
                   1, 1, now(), now()
              FROM generate_series(1, %(count)s) g,
                   LATERAL (SELECT (%(teams)s::int[])[1 + (g * 104729) %% %(nteams)s] AS t) pick
            """,
            dict(
                teams=team_ids,
                nteams=len(team_ids),
                products=products.ids,
                nprod=PRODUCTS,
                first=first,
                last=last,
                count=allocations - int(allocations * 0.7),
            ),
        )
        gen.cr.connection.commit()
        gen.analyze()
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {"tracking_disable": True, "mail_notrack": True})
        leaf = env["crm.team"].browse(teams["levels"][-1][0])
        member = env["crm.team.member"].search([("crm_team_id", "=", leaf.id)], limit=1)
        user = member.user_id or env.ref("base.user_admin")
        root = env["crm.team"].browse(int(leaf.parent_path.split("/")[0]))
        customer = env["res.partner"].create({"name": "Quota bench customer", "is_company": True, "user_id": user.id})
        product = env["product.product"].browse(products.ids[0])
        Quota = env["osb.quota"]
        common = {"date_from": first, "date_to": last, "quantity": 1e9}
        Quota.create({**common, "holder_type": "customer", "partner_id": customer.id, "product_id": product.id})
        Quota.create({**common, "holder_type": "team", "holder_team_id": leaf.id, "product_id": product.id})
        Quota.create({**common, "holder_type": "team", "holder_team_id": root.id, "product_id": product.id})
        Quota.create(
            {**common, "holder_type": "team", "holder_team_id": leaf.parent_id.id, "categ_id": product.categ_id.id}
        )
        env["ir.config_parameter"].set_param("osb_quota_bench", f"{customer.id},{leaf.id},{product.id},{user.id}")
    print(f"setup done in {time.monotonic() - started:.0f} s", flush=True)


def measure(args):
    from odoo import Command, api

    registry = registry_of(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        customer_id, team_id, product_id, user_id = map(
            int, env["ir.config_parameter"].get_param("osb_quota_bench").split(",")
        )
        allocations = env["osb.quota"].search_count([])
        lines = env["sale.order.line"].search_count([])

    def new_orders(count):
        with registry.cursor() as cr:
            env = api.Environment(cr, user_id, {"tracking_disable": True})
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer_id,
                        "team_id": team_id,
                        "order_line": [Command.create({"product_id": product_id, "product_uom_qty": 1})],
                    }
                    for _i in range(count)
                ]
            )
            return orders.ids

    def set_quotas(active):
        with registry.cursor() as cr:
            cr.execute("UPDATE osb_quota SET active = %s", [active])

    def confirm(order_ids):
        times = []
        for order_id in order_ids:
            with registry.cursor() as cr:
                env = api.Environment(cr, user_id, {})
                order = env["sale.order"].browse(order_id)
                start = time.perf_counter()
                order.action_confirm()
                env.flush_all()
                cr.commit()
                times.append(time.perf_counter() - start)
                assert order.state == "sale", order.osb_quota_hold_message
        return times

    with registry.cursor() as cr:
        env = api.Environment(cr, user_id, {})
        probe = env["sale.order"].browse(new_orders(1))
        covering = probe._osb_quota_applicable(probe._osb_quota_requests(), {probe: probe._osb_quota_check_date()})
        print(f"allocations: {allocations}, order lines: {lines}, allocations covering the order: {len(covering)}")
    timings = {"quotas": [], "none": []}
    block = max(1, args.orders // args.blocks)
    confirm(new_orders(3))  # warm the caches
    for _block in range(args.blocks):
        for mode in ("quotas", "none"):
            set_quotas(mode == "quotas")
            timings[mode] += confirm(new_orders(block))
    set_quotas(True)
    med = {mode: statistics.median(values) * 1000 for mode, values in timings.items()}
    ratio = med["quotas"] / med["none"]
    print(
        f"confirm, median of {len(timings['quotas'])}: with 4 allocations {med['quotas']:.1f} ms, "
        f"without quotas {med['none']:.1f} ms, ratio {ratio:.3f} (target <= 1.10)"
    )
    first, last = month_bounds(datetime.date.today())
    pivot_times = []
    for _i in range(3):
        with registry.cursor() as cr:
            env = api.Environment(cr, 1, {})
            start = time.perf_counter()
            groups = env["osb.quota.report"]._read_group(
                [("date_from", ">=", first), ("date_to", "<=", last)],
                ["holder_type", "holder_team_id", "partner_id"],
                ["allocated:sum", "used:sum", "available:sum", "__count"],
            )
            pivot_times.append(time.perf_counter() - start)
    pivot = statistics.median(pivot_times)
    print(
        f"allocation-vs-used pivot of the month: {len(groups)} holders, "
        f"{sum(g[-1] for g in groups)} allocations, {pivot:.3f} s (target < 1 s)"
    )
    if args.scale >= 1.0 and (ratio > 1.10 or pivot >= 1.0):
        print("MISSED")
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="osb_bench_quota")
    parser.add_argument("--template", default=TEMPLATE)
    parser.add_argument("--setup", action="store_true", help="create and fill the database first")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full data set (1.0: full)")
    parser.add_argument("--orders", type=int, default=100, help="confirmations per mode")
    parser.add_argument("--blocks", type=int, default=10, help="interleaved blocks per mode")
    args = parser.parse_args()
    if args.setup:
        setup(args)
    return measure(args)


if __name__ == "__main__":
    raise SystemExit(main())
