"""Benchmark: requesting and validating POP issues (POP 物料领用), with and without budgets.

On generated data (default: 2,000 POP budgets of the current month, half for
customers, half for teams covering their customers; 20 POP products; 5,000 done
issues of the month on the budgets):

1. one POP issue of three lines to a customer with a budget of its own and a team
   budget above it, requested then its picking validated, each in its own
   committed transaction as RPC calls would be, against the same issue with every
   budget archived (no budget covers it: nothing is checked); blocks of the two
   modes interleaved; target: median ratio <= 1.25;
2. the figures (budget, committed, spent, remaining) of every budget of the month
   in one read; target: under 1 s (median of 3).

Prints the figures; exits with status 1 on a miss (at full scale only: at a
smaller ``--scale`` the figures are printed, not judged).

    python3 bench/osb_pop.py --setup                    # create and fill osb_bench_pop (full scale)
    python3 bench/osb_pop.py                            # measure
    python3 bench/osb_pop.py --setup --scale 0.02 --db pop_bench --template pop_t2 --rounds 4   # a small run

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
PRODUCTS = 20


_REGISTRIES = {}


def registry_of(db):
    """The registry of ``db``, opened once per process (Odoo parses its configuration once)."""
    if db not in _REGISTRIES:
        _REGISTRIES[db] = open_registry(db)
    return _REGISTRIES[db]


def installed(db, module):
    out = subprocess.run(
        [f"{PG_BIN}/psql", "-d", db, "-Atc", f"SELECT state FROM ir_module_module WHERE name = '{module}'"],
        env=pg_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "installed"


def odoo_install(db):
    from benchlib import odoo_addons_path

    cmd = [sys.executable, "-m", "odoo", "-c", str(ROOT / "odoo.conf"), f"--addons-path={odoo_addons_path()}"]
    cmd += ["-d", db, "-i", "osb_credit", "--max-cron-threads=0", "--log-level=warn", "--stop-after-init"]
    subprocess.run(cmd, cwd=ROOT, check=True)


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
    """Teams, customers, POP products and budgets through the ORM (batched
    creates); the done issues and their lines in SQL (what they read is their
    budget, state and amount)."""
    from odoo import api

    scale = args.scale
    started = time.monotonic()
    registry = registry_of(args.db)
    first, last = month_bounds(datetime.date.today())
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True})
        budgets = max(20, int(2000 * scale))
        teams = env["crm.team"].create([{"name": f"POP bench team {i}"} for i in range(budgets // 2)])
        customers = env["res.partner"].create(
            [{"name": f"POP bench customer {i}", "is_company": True} for i in range(budgets // 2)]
        )
        products = env["product.product"].create(
            [
                {"name": f"POP bench {i}", "type": "consu", "osb_pop": True, "standard_price": 5.0}
                for i in range(PRODUCTS)
            ]
        )
        period = {"date_from": first, "date_to": last}
        Budget = env["osb.pop.budget"]
        Budget.create(
            [dict(period, holder_type="customer", partner_id=c.id, amount=1e9) for c in customers]
            + [dict(period, holder_type="team", holder_team_id=t.id, amount=1e9, cover_customers=True) for t in teams]
        )
        budget_ids = Budget.search([]).ids
        done = max(50, int(5000 * scale))
        cr.execute(
            """
            WITH issues AS (
                INSERT INTO osb_pop_issue (name, state, holder_type, partner_id, date, company_id, budget_id,
                                           amount_total, user_id, create_uid, write_uid, create_date, write_date)
                SELECT 'POP/BENCH/' || g, 'done', 'customer', %(customer)s, %(first)s, 1,
                       (%(budgets)s::int[])[1 + g %% %(nbudgets)s], 50, 1, 1, 1, now(), now()
                  FROM generate_series(1, %(count)s) g
                RETURNING id, budget_id
            )
            INSERT INTO osb_pop_issue_line (issue_id, company_id, budget_id, state, product_id, quantity,
                                            quantity_done, unit_cost, amount, user_id,
                                            create_uid, write_uid, create_date, write_date)
            SELECT i.id, 1, i.budget_id, 'done', %(product)s, 10, 10, 5, 50, 1, 1, 1, now(), now() FROM issues i
            """,
            dict(
                customer=customers[0].id,
                first=first,
                budgets=budget_ids,
                nbudgets=len(budget_ids),
                count=done,
                product=products[0].id,
            ),
        )
        # the measured customer: a budget of its own, and its team's budget above it
        team = teams[0]
        customer = env["res.partner"].create({"name": "POP bench measured", "is_company": True})
        user = env["res.users"].create({"name": "POP bench rep", "login": f"pop_bench_rep_{time.time_ns()}"})
        env["crm.team.member"].create({"crm_team_id": team.id, "user_id": user.id})
        customer.user_id = user
        Budget.create(dict(period, holder_type="customer", partner_id=customer.id, amount=1e9))
        env["ir.config_parameter"].set_param("osb_pop_bench.customer_id", customer.id)
        env["ir.config_parameter"].set_param("osb_pop_bench.product_ids", ",".join(map(str, products[:3].ids)))
    print(f"filled {args.db}: {budgets} budgets, {done} done issues in {time.monotonic() - started:.1f} s")


def issue_once(registry, customer_id, product_ids):
    """One issue requested (one transaction), then its picking validated (another)."""
    from odoo import Command, api

    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        issue = env["osb.pop.issue"].create(
            {
                "holder_type": "customer",
                "partner_id": customer_id,
                "line_ids": [Command.create({"product_id": pid, "quantity": 2}) for pid in product_ids],
            }
        )
        issue.action_request()
        issue_id = issue.id
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        issue = env["osb.pop.issue"].browse(issue_id)
        issue.picking_id.button_validate()
        assert issue.state == "done", issue.state
        with_budget = bool(issue.budget_id)
    return time.perf_counter() - started, with_budget


def set_budgets_active(registry, active):
    with registry.cursor() as cr:
        cr.execute("UPDATE osb_pop_budget SET active = %s", [active])
        registry.clear_cache()


def measure(args):
    from odoo import api

    registry = registry_of(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        customer_id = int(env["ir.config_parameter"].get_param("osb_pop_bench.customer_id"))
        product_ids = [int(p) for p in env["ir.config_parameter"].get_param("osb_pop_bench.product_ids").split(",")]
        budget_count = env["osb.pop.budget"].search_count([])
    issue_once(registry, customer_id, product_ids)  # warm-up
    times = {True: [], False: []}
    for _round in range(args.rounds):
        for active in (True, False):
            set_budgets_active(registry, active)
            for _n in range(args.block):
                elapsed, with_budget = issue_once(registry, customer_id, product_ids)
                assert with_budget == active, (with_budget, active)
                times[active].append(elapsed)
    set_budgets_active(registry, True)
    with_median = statistics.median(times[True]) * 1000
    without_median = statistics.median(times[False]) * 1000
    ratio = with_median / without_median
    figures_times = []
    for _n in range(3):
        with registry.cursor() as cr:
            env = api.Environment(cr, 1, {})
            first, _last = month_bounds(datetime.date.today())
            started = time.perf_counter()
            budgets = env["osb.pop.budget"].search([("date_from", "=", first)])
            budgets.mapped("remaining")
            figures_times.append(time.perf_counter() - started)
    figures = statistics.median(figures_times)
    print(f"scale {args.scale}: {budget_count} budgets, {args.rounds} rounds of {args.block} issues per mode")
    print(
        f"issue request + validation: with budgets {with_median:.1f} ms, without {without_median:.1f} ms, "
        f"ratio {ratio:.2f} (target <= 1.25)"
    )
    print(f"figures of the month's {len(budgets)} budgets: {figures * 1000:.1f} ms (target < 1000 ms)")
    if args.scale >= 1.0 and (ratio > 1.25 or figures > 1.0):
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="osb_bench_pop")
    parser.add_argument("--template", default=TEMPLATE)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--block", type=int, default=3)
    parser.add_argument("--setup", action="store_true")
    args = parser.parse_args()
    if args.setup:
        setup(args)
    measure(args)


if __name__ == "__main__":
    main()
