#!/usr/bin/env python3
"""Cost of the Team hierarchy record rules on the sale order list.

A market manager (Team hierarchy group: reads the orders of every team under his
market, through ``team_id child_of`` and ``crm_team.parent_path``) opens the
order list: ``search_read`` of the first 80 orders in the default order
(``date_order desc, id desc``), with the fields of the list view. The same call by
a user with "All Documents" (no restriction) is the reference. Each call runs in
its own cursor and environment, as a request would; the two users alternate, one
warm-up call each, then the median of ``--runs`` calls. Prints both medians and
their ratio (target: <= 1.5); exits with status 1 above it. About 1 minute
once the data is generated (datagen at the scale below: about 5 minutes).

Generate the data first (dedicated database, see bench/datagen.py)::

    createdb -T <db with sales_team_mgmt installed> stm_bench
    python3 bench/datagen.py --db stm_bench --teams 2000 --levels 5 --users 2000 \\
        --customers 50000 --orders 1000000 --tag full
    python3 bench/sales_team_mgmt_visibility.py --db stm_bench --tag full
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

ROOT = Path(__file__).resolve().parent.parent
FIELDS = [
    "name",
    "date_order",
    "partner_id",
    "user_id",
    "team_id",
    "amount_untaxed",
    "amount_total",
    "currency_id",
    "state",
    "invoice_status",
    "approval_state",
]
ALL_DOCS_LOGIN = "stm_bench_all_documents"


def setup(registry, tag, level=1):
    """The manager (leader of the first generated team of ``level``; 1 = a market, a root
    of the tree) and the All Documents user."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        market = env["crm.team"].search(
            [("code", "=like", f"B{tag}-{level}-%"), ("user_id", "!=", False)],
            order="id",
            limit=1,
        )
        if not market:
            sys.exit(f"No generated root team with tag {tag!r}: run bench/datagen.py first.")
        manager = market.user_id
        if manager.has_group("sales_team.group_sale_salesman_all_leads"):
            sys.exit(f"{manager.login} must not have All Documents")
        if not manager.has_group("sales_team_mgmt.group_sales_team_mgmt_hierarchy"):
            sys.exit(f"{manager.login} must have the Team hierarchy group")
        all_docs = env["res.users"].search([("login", "=", ALL_DOCS_LOGIN)])
        if not all_docs:
            all_docs = env["res.users"].create(
                {
                    "login": ALL_DOCS_LOGIN,
                    "name": "Bench All Documents",
                    "groups_id": [odoo.Command.set([env.ref("sales_team.group_sale_salesman_all_leads").id])],
                }
            )
        Order = env["sale.order"]
        figures = {
            "teams": env["crm.team"].search_count([]),
            "subtree_teams": env["crm.team"].search_count([("id", "child_of", market.id)]),
            "orders": Order.search_count([]),
            "subtree_orders": Order.search_count([("team_id", "child_of", market.id)]),
            "own_orders": Order.search_count([("user_id", "=", manager.id)]),
        }
        cr.commit()
        return market.id, market.display_name, manager.id, manager.login, all_docs.id, figures


def call(registry, uid, limit):
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        start = time.perf_counter()
        rows = env["sale.order"].search_read([], FIELDS, limit=limit)
        elapsed = time.perf_counter() - start
        return elapsed, rows


def explain(registry, uid, limit):
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        query = env["sale.order"]._search([], limit=limit, order=env["sale.order"]._order)
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query.select()))
        return "\n".join(row[0] for row in cr.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="stm_bench")
    parser.add_argument("--tag", default="full", help="tag given to bench/datagen.py")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--limit", type=int, default=80)
    parser.add_argument("--config", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--addons-path", default=str(ROOT / "addons"))
    parser.add_argument("--level", type=int, default=1, help="level of the manager's team (1 = market)")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args()

    odoo.tools.config.parse_config(
        ["-c", args.config, f"--addons-path={args.addons_path}", "-d", args.db, "--log-level=warn"]
    )
    registry = Registry(args.db)
    market_id, market_name, manager_id, manager_login, all_docs_id, figures = setup(registry, args.tag, args.level)
    print(
        f"Database {args.db}: {figures['teams']} teams, {figures['orders']} sale orders; "
        f"team {market_name!r} (level {args.level}, id {market_id}): {figures['subtree_teams']} teams, "
        f"{figures['subtree_orders']} orders in its subtree; its manager {manager_login} (uid {manager_id})"
    )

    # Warm-up (registry, rule domain cache, PostgreSQL buffers), and correctness.
    _elapsed, rows = call(registry, manager_id, args.limit)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        subtree = set(env["crm.team"].search([("id", "child_of", market_id)]).ids)
    # Allowed: the subtree's orders, and the manager's own or unassigned ones (Odoo's own-documents rule).
    outside = [
        r["name"]
        for r in rows
        if not ((r["team_id"] and r["team_id"][0] in subtree) or not r["user_id"] or r["user_id"][0] == manager_id)
    ]
    if len(rows) != args.limit or outside:
        sys.exit(f"Unexpected result for the manager: {len(rows)} rows, outside the subtree: {outside[:5]}")
    call(registry, all_docs_id, args.limit)

    manager_times, all_times = [], []
    for _run in range(args.runs):
        manager_times.append(call(registry, manager_id, args.limit)[0])
        all_times.append(call(registry, all_docs_id, args.limit)[0])
    manager_median = statistics.median(manager_times) * 1000
    all_median = statistics.median(all_times) * 1000
    ratio = manager_median / all_median
    print(f"search_read of the first {args.limit} orders, median of {args.runs} runs:")
    print(f"  manager (Team hierarchy):        {manager_median:.2f} ms")
    print(f"  All Documents user:              {all_median:.2f} ms")
    print(f"  ratio: {ratio:.2f} (target <= 1.5) -> {'OK' if ratio <= 1.5 else 'ABOVE TARGET'}")
    if args.explain:
        print("\nPlan for the market manager:\n" + explain(registry, manager_id, args.limit))
        print("\nPlan for the All Documents user:\n" + explain(registry, all_docs_id, args.limit))
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
