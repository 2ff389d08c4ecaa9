"""Benchmark: what the OSB timeline (osb_credit) costs, and its reports at scale.

1. A year of orders (``--orders``, 200,000 at full scale) generated set-based
   (``datagen``), with their timeline rows and stored cycle times written in SQL,
   as the stamping would have left them (received, confirmed, shipped, invoice
   posted, paid, closed; the next step open with its target; about one step in
   ten late).
2. ``--measure`` fresh orders (one line of a consumable) run one by one, each step
   in its own committed transaction as an RPC call would be: confirm, validate
   the delivery, create and post the invoice; the company's *OSB Timeline Active*
   alternates between orders, so both sides see the same database. Prints the
   median of each operation with and without the timeline and their ratio
   (target: <= 1.05 for each).
3. The cycle-time pivot (average of the four cycles by market and month of the
   confirmed orders; target < 1 s) and the breach list (the first 80 late open
   steps, their count, and their count per owner role; target < 0.5 s), median
   of 5 runs each.

Exits with status 1 when a figure misses its target.

    python3 bench/osb_timeline.py --setup                    # full scale: 200,000 orders (long)
    python3 bench/osb_timeline.py --setup --orders 10000 --measure 20 --db osb_tl_bench_small
    python3 bench/osb_timeline.py --db osb_tl_bench_small     # measure again on the same data

The database (default ``osb_tl_bench``) is created from the template ``tmpl_deps``
(created when missing, about 2 minutes) with osb_credit installed without demo
data; ``--setup`` drops and re-creates it.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import PG_BIN, ROOT, TEMPLATE, database_exists, ensure_template, odoo_addons_path, open_registry, pg_env
from datagen import DataGen

TARGET_RATIO = 1.05
TARGET_PIVOT = 1.0
TARGET_BREACHES = 0.5


def setup(args):
    env = pg_env()
    if database_exists(args.db):
        subprocess.run([f"{PG_BIN}/dropdb", args.db], env=env, check=True)
    ensure_template(args.template)
    subprocess.run([f"{PG_BIN}/createdb", "-T", args.template, args.db], env=env, check=True)
    cmd = [sys.executable, "-m", "odoo", "-c", str(ROOT / "odoo.conf"), f"--addons-path={odoo_addons_path()}"]
    cmd += ["-d", args.db, "-i", "osb_credit", "--without-demo=all", "--stop-after-init"]
    start = time.perf_counter()
    subprocess.run([*cmd, "--max-cron-threads=0", "--log-level=warn"], cwd=ROOT, check=True)
    print(f"osb_credit installed in {time.perf_counter() - start:.0f} s", flush=True)
    teams = max(args.orders // 100, 20)
    with DataGen.connect(args.db) as gen:
        tree = gen.teams(teams, levels=3, roots=8)
        users = gen.users(max(teams, 20), teams=tree)
        customers = gen.customers(max(args.orders // 4, 100))
        gen.orders(args.orders, customers=customers, users=users, lines=1, days=365)
        start = time.perf_counter()
        fill_timeline(gen.cr)
        print(f"timeline of {args.orders} orders written in {time.perf_counter() - start:.1f} s", flush=True)
        gen.analyze()


def fill_timeline(cr):
    """The timeline rows and cycle times of the generated orders, set-based: what the
    stamping leaves on orders run through the flow, at a pace that varies by order."""
    cr.execute("SELECT code, id, sequence, flow, owner_role, sla_hours FROM osb_step")
    steps = {row[0]: row[1:] for row in cr.fetchall()}
    cr.execute(
        """
        UPDATE sale_order so SET osb_market_id = split_part(t.parent_path, '/', 1)::int
          FROM crm_team t WHERE t.id = so.team_id AND so.osb_market_id IS NULL
        """
    )
    # Per order: a pace (hours between steps) and how far it went (stage 1-6), from its id.
    cr.execute(
        """
        CREATE TEMP TABLE bench_flow AS
        SELECT so.id AS order_id, so.company_id, so.date_order AS received,
               (2 + so.id % 7)::float8 AS pace, 1 + so.id % 6 AS stage
          FROM sale_order so
         WHERE so.state = 'sale' AND NOT EXISTS (SELECT 1 FROM osb_order_step s WHERE s.order_id = so.id)
        """
    )
    chain = ["op_received", "op_confirmed", "sp_shipped", "bc_invoice_posted", "bc_reconciled", "bc_order_closed"]
    for rank, code in enumerate(chain, start=1):
        step_id, sequence, flow, owner_role, sla = steps[code]
        # the step done when the order went that far; else open (with its target) when it is the next
        cr.execute(
            """
            INSERT INTO osb_order_step (order_id, step_id, company_id, sequence, flow, owner_role, planned_date,
                                        done_date, breached, create_uid, create_date, write_uid, write_date)
            SELECT f.order_id, %s, f.company_id, %s, %s, %s,
                   CASE WHEN %s > 0 AND %s > 1 THEN f.received + ((%s - 1) * 4 + %s) * interval '1 hour' END,
                   CASE WHEN f.stage >= %s THEN f.received + (%s - 1) * f.pace * interval '1 hour' END,
                   FALSE, 1, now() at time zone 'utc', 1, now() at time zone 'utc'
              FROM bench_flow f
             WHERE f.stage >= %s - 1
            """,
            [step_id, sequence, flow, owner_role, sla, rank, rank, sla, rank, rank, rank],
        )
    cr.execute(
        """
        UPDATE osb_order_step SET breached = COALESCE(done_date > planned_date,
                                                      planned_date < now() at time zone 'utc', FALSE)
         WHERE order_id IN (SELECT order_id FROM bench_flow)
        """
    )
    # Cycle times: working hours approximated by 8/24 of the elapsed hours (the bench reads them, it does not
    # check them); calendar days exact.
    ids = {code: steps[code][0] for code in chain}
    cr.execute(
        """
        WITH d AS (
            SELECT s.order_id,
                   max(s.done_date) FILTER (WHERE s.step_id = %(received)s) AS received,
                   max(s.done_date) FILTER (WHERE s.step_id = %(shipped)s) AS shipped,
                   max(s.done_date) FILTER (WHERE s.step_id = %(posted)s) AS posted,
                   max(s.done_date) FILTER (WHERE s.step_id = %(paid)s) AS paid
              FROM osb_order_step s JOIN bench_flow f ON f.order_id = s.order_id
             GROUP BY s.order_id
        )
        UPDATE sale_order so
           SET osb_order_ship_days = extract(epoch FROM d.shipped - d.received) / 86400,
               osb_order_ship_hours = extract(epoch FROM d.shipped - d.received) / 3600 / 3,
               osb_ship_invoice_days = extract(epoch FROM d.posted - d.shipped) / 86400,
               osb_ship_invoice_hours = extract(epoch FROM d.posted - d.shipped) / 3600 / 3,
               osb_invoice_cash_days = extract(epoch FROM d.paid - d.posted) / 86400,
               osb_invoice_cash_hours = extract(epoch FROM d.paid - d.posted) / 3600 / 3,
               osb_order_cash_days = extract(epoch FROM d.paid - d.received) / 86400,
               osb_order_cash_hours = extract(epoch FROM d.paid - d.received) / 3600 / 3
          FROM d WHERE d.order_id = so.id
        """,
        {
            "received": ids["op_received"],
            "shipped": ids["sp_shipped"],
            "posted": ids["bc_invoice_posted"],
            "paid": ids["bc_reconciled"],
        },
    )
    cr.execute("SELECT count(*), count(*) FILTER (WHERE breached) FROM osb_order_step")
    rows, late = cr.fetchone()
    print(f"timeline rows: {rows}, late: {late}", flush=True)


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def measure(args):
    registry = open_registry(args.db)
    from odoo import SUPERUSER_ID, Command, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        customer = env["res.partner"].create({"name": "OSB timeline bench customer", "is_company": True})
        product = env["product.product"].create(
            {"name": "OSB timeline bench goods", "type": "consu", "list_price": 10.0, "taxes_id": [Command.clear()]}
        )
        policy = env["osb.credit.policy"]._get_policy(company)
        ids = {"customer": customer.id, "product": product.id, "policy": policy.id}
    times = {op: {True: [], False: []} for op in ("confirm", "deliver", "post")}
    for index in range(args.measure * 2):
        enabled = index % 2 == 0
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            policy = env["osb.credit.policy"].browse(ids["policy"])
            if policy.timeline_enabled != enabled:
                policy.timeline_enabled = enabled
            line = {"product_id": ids["product"], "product_uom_qty": 1}
            values = {"partner_id": ids["customer"], "order_line": [Command.create(line)]}
            order_id = env["sale.order"].create(values).id
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(order_id)
            times["confirm"][enabled].append(timed(lambda order=order: (order.action_confirm(), order.env.flush_all())))
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"skip_sms": True})
            pickings = env["sale.order"].browse(order_id).picking_ids

            def deliver(pickings=pickings):
                for move in pickings.move_ids:
                    move.quantity = move.product_uom_qty
                    move.picked = True
                pickings._action_done()
                pickings.env.flush_all()

            times["deliver"][enabled].append(timed(deliver))
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(order_id)

            def post(order=order):
                invoices = order._create_invoices()
                invoices.action_post()
                order.env.flush_all()

            times["post"][enabled].append(timed(post))
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["osb.credit.policy"].browse(ids["policy"]).timeline_enabled = True
    missed = False
    print(f"\n{'operation':<10} {'with (ms)':>10} {'without (ms)':>13} {'ratio':>7}  (median of {args.measure} each)")
    for op, by_side in times.items():
        on, off = statistics.median(by_side[True]), statistics.median(by_side[False])
        ratio = on / off
        missed |= ratio > TARGET_RATIO
        print(f"{op:<10} {on * 1000:>10.1f} {off * 1000:>13.1f} {ratio:>7.3f}  target <= {TARGET_RATIO}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Order, Step = env["sale.order"], env["osb.order.step"]

        def pivot():
            env.invalidate_all()
            Order._read_group(
                [("state", "=", "sale"), ("osb_order_ship_hours", "!=", False)],
                ["osb_market_id", "date_order:month"],
                [
                    "osb_order_ship_hours:avg",
                    "osb_ship_invoice_hours:avg",
                    "osb_invoice_cash_hours:avg",
                    "osb_order_cash_hours:avg",
                    "__count",
                ],
            )

        def breaches():
            env.invalidate_all()
            domain = [("breached", "=", True), ("done_date", "=", False)]
            Step.search_read(domain, ["order_id", "step_id", "owner_role", "owner_id", "planned_date"], limit=80)
            Step.search_count(domain)
            Step._read_group(domain, ["owner_role"], ["__count"])

        orders = Order.search_count([("state", "=", "sale")])
        rows = Step.search_count([])
        for name, function, target in (("pivot", pivot, TARGET_PIVOT), ("breaches", breaches, TARGET_BREACHES)):
            median = statistics.median(timed(function) for _run in range(5))
            missed |= median > target
            print(f"{name:<10} {median * 1000:>10.1f} ms  target < {target * 1000:.0f} ms")
        print(f"(on {orders} confirmed orders, {rows} timeline rows)")
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="osb_tl_bench")
    parser.add_argument("--template", default=TEMPLATE)
    parser.add_argument("--setup", action="store_true", help="drop, create and fill the database")
    parser.add_argument("--orders", type=int, default=200000, help="generated orders of the year (--setup)")
    parser.add_argument("--measure", type=int, default=100, help="orders run through the flow per side")
    args = parser.parse_args()
    if args.setup or not database_exists(args.db):
        setup(args)
    sys.exit(1 if measure(args) else 0)


if __name__ == "__main__":
    main()
