"""Benchmark of the sales_kpi engine.

Creates (once) a database with 2,000 salespeople, 50,000 customers and
1,000,000 confirmed order lines over the 12 months of 2025 (set-based SQL),
then times, in the same run:

- the floor: one plain SQL ``GROUP BY salesperson, month`` summing the lines;
- the full rebuild of the monthly facts;
- 10 KPIs for every salesperson for each of the 12 months;
- Odoo's gamification (batch mode, its fastest) updating the goals
  "confirmed sales per salesperson per month" for the same users and months,
  against our confirmed-sales KPI for the same pairs (the values of both are
  compared pair by pair: the script fails if one differs);
- a target plan of the confirmed-sales KPI for 2025 over the whole
  organisation (teams, the 2,000 members, year, quarters and months):
  allocating it, and reading the targets-vs-actuals report by team and month
  and by member (as the pivot does); rolled back afterwards.

Usage (from the repository root)::

    python3 bench/sales_kpi_bench.py [--db kpi_bench] [--scale 1.0] [--regenerate] [--repeat 3]

The floor and the rebuild run ``--repeat`` times, in pairs, back to back
(the rebuild commits after each run, untimed): the ratio printed is the
median of the pairs' ratios, each rebuild compared with a floor measured in
the same state of the machine.

``--scale 0.1`` divides every volume by 10 for a quick run.

Run time at the documented scale: about 10 minutes the first time (the data
generation), then about 4 minutes. Targets: rebuild / floor <= 8 in every
pair, 10 KPIs / floor <= 4, gamification / ours >= 10, the allocation under
30 s; the script exits with status 1 when one is missed.
"""

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from benchlib import PG_BIN, TEMPLATE, database_exists, ensure_template, odoo_addons_path, open_registry, pg_env

ROOT = Path(__file__).resolve().parent.parent
KPI_SOURCES = (
    ("sales", "amount"),
    ("invoiced", "amount"),
    ("units", "quantity"),
    ("orders", "count"),
    ("price_maintenance", "percent"),
    ("collection_rate", "percent"),
    ("new_customers", "count"),
    ("lost_customers", "count"),
    ("retention", "percent"),
    ("growth", "percent"),
)


def create_database(db):
    ensure_template()
    for _attempt in range(30):
        proc = subprocess.run([f"{PG_BIN}/createdb", "-T", TEMPLATE, db], env=pg_env(), capture_output=True)
        if proc.returncode == 0:
            break
        time.sleep(5)
    else:
        raise SystemExit(f"cannot copy {TEMPLATE}: {proc.stderr.decode()}")
    run_odoo(db, "-i", "sales_kpi,gamification")


def run_odoo(db, *args):
    """Odoo's command line on ``db`` with this repository's addons, stopping after init."""
    cmd = [sys.executable, "-m", "odoo", "-c", "odoo.conf", f"--addons-path={odoo_addons_path()}", "-d", db, *args]
    cmd += ["--stop-after-init", "--max-cron-threads=0", "--no-http", "--log-level=warn"]
    subprocess.run(cmd, cwd=ROOT, check=True)


def prepare_database(db, regenerate=False):
    """Drop ``db`` when asked, create it (from the template, with sales_kpi) when
    missing, or bring its addons to the code at hand (a database of an earlier run)."""
    if regenerate and database_exists(db):
        subprocess.run([f"{PG_BIN}/dropdb", db], env=pg_env(), check=True)
    if not database_exists(db):
        create_database(db)
    else:
        run_odoo(db, "-u", "sales_team_mgmt,sales_kpi")


def timed(label, func, results):
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    results[label] = elapsed
    print(f"{label:<58} {elapsed:9.3f} s", flush=True)
    return value


def generate(env, scale, order_scale=None):
    """Set-based data generation (SQL), a few seconds per 100,000 lines.
    ``order_scale`` (default ``scale``) scales the customers and orders alone."""
    cr = env.cr
    order_scale = scale if order_scale is None else order_scale
    n_users = max(int(2000 * scale), 10)
    n_customers = max(int(50000 * order_scale), 100)
    n_orders = max(int(200000 * order_scale), 100)
    lines_per_order = 5
    company = env.ref("base.main_company")
    currency_id = company.currency_id.id
    print(f"generating {n_users} salespeople, {n_customers} customers, {n_orders * lines_per_order} order lines")
    # organisation (ORM, small): 1 top, 4 markets, 5 regions each
    Team = env["crm.team"]
    top = Team.create({"name": "Bench Top", "company_id": company.id})
    regions = Team
    for market_index in range(4):
        market = Team.create({"name": f"Bench Market {market_index}", "parent_id": top.id, "company_id": company.id})
        for region_index in range(5):
            regions |= Team.create(
                {
                    "name": f"Bench Region {market_index}.{region_index}",
                    "parent_id": market.id,
                    "company_id": company.id,
                }
            )
    categories = env["product.category"].create([{"name": f"Bench Category {i}"} for i in range(10)])
    products = env["product.product"].create(
        [
            {
                "name": f"Bench Product {i}",
                "type": "service",
                "list_price": 10.0 + i,
                "categ_id": categories[i % 10].id,
                "taxes_id": False,
            }
            for i in range(200)
        ]
    )
    env.flush_all()
    cr.execute(
        """
        WITH p AS (
            INSERT INTO res_partner (name, active, is_company, type, autopost_bills, company_id,
                                     create_date, write_date)
            SELECT 'Bench Rep ' || g, true, false, 'contact', 'ask', %(company)s, now(), now()
              FROM generate_series(1, %(n)s) g
            RETURNING id
        )
        INSERT INTO res_users (login, partner_id, company_id, notification_type, active, share, create_date, write_date)
        SELECT 'bench_rep_' || p.id, p.id, %(company)s, 'email', true, false, now(), now() FROM p
        """,
        {"company": company.id, "n": n_users},
    )
    cr.execute("SELECT id FROM res_users WHERE login LIKE 'bench_rep_%%' ORDER BY id")
    user_ids = [r[0] for r in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner p SET commercial_partner_id = p.id FROM res_users u WHERE u.partner_id = p.id"
        " AND u.login LIKE 'bench_rep_%%'"
    )
    cr.execute("INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, unnest(%s::int[])", [company.id, user_ids])
    cr.execute(
        """
        INSERT INTO crm_team_member (crm_team_id, user_id, active, date_start, create_date, write_date)
        SELECT (%(regions)s::int[])[1 + (i %% %(nr)s)], u, true, '2024-01-01', now(), now()
          FROM unnest(%(users)s::int[]) WITH ORDINALITY AS t(u, i)
        """,
        {"regions": regions.ids, "nr": len(regions), "users": user_ids},
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, active, is_company, type, autopost_bills, create_date, write_date)
        SELECT 'Bench Customer ' || g, true, true, 'contact', 'ask', now(), now()
          FROM generate_series(1, %s) g
        """,
        [n_customers],
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench Customer %%'")
    cr.execute("SELECT array_agg(id ORDER BY id) FROM res_partner WHERE name LIKE 'Bench Customer %%'")
    customer_ids = cr.fetchone()[0]
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'sale_order' AND column_name = 'approval_state'"
    )
    has_approval = bool(cr.fetchone())
    # customers belong to a salesperson (their KAM); an order goes to the customer's salesperson
    cr.execute(
        f"""
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, currency_id,
                                date_order, state, user_id, team_id, currency_rate, picking_policy,
                                {"approval_state," if has_approval else ""} create_date, write_date)
        SELECT 'BENCH' || g, c, c, c, %(company)s, %(currency)s,
               timestamp '2025-01-01' + (random() * 364 * interval '1 day') + interval '9 hours',
               'sale', u, m.crm_team_id, 1.0, 'direct', {"'none'," if has_approval else ""} now(), now()
          FROM (SELECT g, (%(customers)s::int[])[1 + floor(random() * %(nc)s)::int] AS c
                  FROM generate_series(1, %(n)s) g) o
          JOIN LATERAL (SELECT (%(users)s::int[])[1 + (o.c %% %(nu)s)] AS u) uu ON true
          JOIN crm_team_member m ON m.user_id = uu.u
        """,
        {
            "company": company.id,
            "currency": currency_id,
            "customers": customer_ids,
            "nc": len(customer_ids),
            "users": user_ids,
            "nu": len(user_ids),
            "n": n_orders,
        },
    )
    cr.execute(
        """
        INSERT INTO sale_order_line (order_id, name, product_id, product_uom, product_uom_qty, price_unit,
                                     price_subtotal, discount, customer_lead, company_id, currency_id, state,
                                     sequence, create_date, write_date)
        SELECT o.id, 'bench line', p.id, pt.uom_id, q.qty, round(pt.list_price * q.factor, 2),
               round(q.qty * round(pt.list_price * q.factor, 2), 2), 0, 0, o.company_id, o.currency_id, 'sale',
               k, now(), now()
          FROM sale_order o
          CROSS JOIN generate_series(1, %(k)s) k
          JOIN LATERAL (SELECT (%(products)s::int[])[1 + floor(random() * %(np)s)::int] AS pid,
                               1 + floor(random() * 10)::int AS qty,
                               (0.8 + random() * 0.2)::numeric AS factor
                         WHERE k > 0 AND o.id > 0) q ON true
          JOIN product_product p ON p.id = q.pid
          JOIN product_template pt ON pt.id = p.product_tmpl_id
         WHERE o.name LIKE 'BENCH%%'
        """,
        {"k": lines_per_order, "products": products.ids, "np": len(products)},
    )
    fill_order_amounts(cr)
    cr.execute("ANALYZE")
    env.registry.clear_cache()
    return user_ids


def fill_order_amounts(cr):
    """Order totals (read by gamification) from the generated lines."""
    # statistics of the fresh rows first: with none, the planner joins in nested loops
    cr.execute("ANALYZE sale_order, sale_order_line")
    cr.execute(
        """
        UPDATE sale_order o SET amount_untaxed = s.total, amount_total = s.total, amount_tax = 0
          FROM (SELECT order_id, SUM(price_subtotal) AS total FROM sale_order_line GROUP BY order_id) s
         WHERE s.order_id = o.id AND o.name LIKE 'BENCH%%' AND o.amount_untaxed IS NULL
        """
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="kpi_bench")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--regenerate", action="store_true", help="drop and recreate the database")
    parser.add_argument("--skip-gamification", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=3, help="(floor, rebuild) pairs; the median of their ratios is the figure"
    )
    args = parser.parse_args()
    prepare_database(args.db, args.regenerate)
    registry = open_registry(args.db)
    from odoo import api

    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        cr.execute("SELECT array_agg(id ORDER BY id) FROM res_users WHERE login LIKE 'bench_rep_%%'")
        user_ids = cr.fetchone()[0]
        if not user_ids:
            user_ids = timed("generate data (SQL)", lambda: generate(env, args.scale), results)
            cr.commit()
        cr.execute(
            "SELECT count(*) FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id WHERE o.state = 'sale'"
        )
        n_lines = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE 'Bench Customer %%'")
        n_customers = cr.fetchone()[0]
        print(f"data: {len(user_ids)} salespeople, {n_customers} customers, {n_lines} confirmed order lines")

        def floor():
            cr.execute(
                """
                SELECT o.user_id, date_trunc('month', o.date_order), SUM(l.price_subtotal)
                  FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id
                 WHERE o.state = 'sale'
                 GROUP BY 1, 2
                """
            )
            return cr.fetchall()

        vacuum(args.db)
        floor()  # warm the cache
        Fact = env["sales.kpi.fact"]
        # Floor and rebuild in pairs, back to back, so that each rebuild is
        # compared with a floor measured in the same state of the machine.
        floors, rebuilds = [], []
        for _run in range(args.repeat):
            start = time.perf_counter()
            floor()
            floors.append(time.perf_counter() - start)
            start = time.perf_counter()
            rows = Fact.rebuild("2025-01-01", "2025-12-31")
            rebuilds.append(time.perf_counter() - start)
            cr.commit()
        for label, times in (
            ("floor: SQL GROUP BY salesperson, month", floors),
            ("full rebuild of the facts (12 months)", rebuilds),
        ):
            results[label] = statistics.median(times)
            print(f"{label:<58} {results[label]:9.3f} s  (runs: {', '.join(f'{t:.3f}' for t in times)})")
        ratios = [rebuild / floor_time for floor_time, rebuild in zip(floors, rebuilds, strict=True)]
        results["rebuild / floor"] = statistics.median(ratios)
        results["rebuild pairs"] = ratios
        print(f"  rebuild / floor of each pair: {', '.join(f'{r:.1f}' for r in ratios)}")
        cr.execute("ANALYZE sales_kpi_fact")
        print(f"  fact rows: {rows}")
        company = env.ref("base.main_company")
        Kpi = env["sales.kpi"]
        kpis = Kpi.search([("code", "=like", "BENCH_%"), ("company_id", "=", company.id)])
        if not kpis:
            for source, unit in KPI_SOURCES:
                vals = {"code": f"BENCH_{source.upper()}", "name": source, "source": source, "unit": unit}
                if source == "growth":
                    vals["base_kpi_id"] = kpis.filtered(lambda k: k.source == "sales").id
                kpis |= Kpi.create(vals)
            cr.commit()
        months = [f"2025-{m:02d}" for m in range(1, 13)]
        env.invalidate_all()
        values = timed(
            f"10 KPIs x {len(user_ids)} salespeople x 12 months",
            lambda: kpis.compute_values("user", user_ids, months),
            results,
        )
        print(f"  values: {len(values)}")
        sales_kpi = kpis.filtered(lambda k: k.source == "sales")
        env.invalidate_all()
        ours = timed(
            "ours: confirmed sales KPI, all salespeople x 12 months",
            lambda: sales_kpi.compute_values("user", user_ids, months),
            results,
        )
        if not args.skip_gamification:
            goals = setup_gamification(env, user_ids)
            cr.commit()
            env.invalidate_all()
            timed(
                f"gamification: update {len(goals)} goals (batch mode)",
                lambda: (goals.update_goal(), env.flush_all()),
                results,
            )
            check_same_values(env, goals, ours)
            cr.rollback()
        bench_target_plan(env, sales_kpi, sum(row["value"] for row in ours), results)
        cr.rollback()
    floor_time = results["floor: SQL GROUP BY salesperson, month"]
    kpi_label = f"10 KPIs x {len(user_ids)} salespeople x 12 months"
    figures = [
        ("rebuild / floor", max(results["rebuild pairs"]), "<=", 8.0, "the worst pair"),
        ("10 KPIs / floor", results[kpi_label] / floor_time, "<=", 4.0, ""),
        ("allocation (s)", results["allocate a target plan (teams, members, months)"], "<", 30.0, ""),
    ]
    gami = [v for k, v in results.items() if k.startswith("gamification")]
    if gami:
        ours_time = results["ours: confirmed sales KPI, all salespeople x 12 months"]
        figures.append(("gamification / ours", gami[0] / ours_time, ">=", 10.0, ""))
    print()
    missed = []
    for label, value, op, target, note in figures:
        met = value <= target if op == "<=" else value < target if op == "<" else value >= target
        if not met:
            missed.append(label)
        note = f"; {note}" if note else ""
        print(f"{label:<24} = {value:7.1f}  (target {op} {target:g}{note}) {'ok' if met else 'MISSED'}")
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        sys.exit(1)


def vacuum(db):
    """Start from clean tables (earlier runs leave dead rows behind)."""
    for table in ("sales_kpi_fact", "sales_kpi_fact_user", "sale_order", "sale_order_line"):
        subprocess.run([f"{PG_BIN}/psql", "-d", db, "-qc", f"VACUUM ANALYZE {table}"], env=pg_env(), check=True)


def setup_gamification(env, user_ids):
    """12 monthly goals per salesperson on one batch-mode definition."""
    definition = env["gamification.goal.definition"].search([("name", "=", "Bench confirmed sales")])
    if not definition:
        definition = env["gamification.goal.definition"].create(
            {
                "name": "Bench confirmed sales",
                "computation_mode": "sum",
                "model_id": env["ir.model"]._get_id("sale.order"),
                "field_id": env["ir.model.fields"]._get("sale.order", "amount_untaxed").id,
                "field_date_id": env["ir.model.fields"]._get("sale.order", "date_order").id,
                "domain": "[('state', '=', 'sale')]",
                "batch_mode": True,
                "batch_distinctive_field": env["ir.model.fields"]._get("sale.order", "user_id").id,
                "batch_user_expression": "user.id",
            }
        )
    Goal = env["gamification.goal"]
    goals = Goal.search([("definition_id", "=", definition.id)])
    if not goals:
        vals = []
        for month in range(1, 13):
            start = date(2025, month, 1)
            # gamification compares the end date inclusively (to the end of that day)
            end = (date(2025, month + 1, 1) if month < 12 else date(2026, 1, 1)) - timedelta(days=1)
            for user_id in user_ids:
                vals.append(
                    {
                        "definition_id": definition.id,
                        "user_id": user_id,
                        "start_date": start,
                        "end_date": end,
                        "target_goal": 1e12,
                        "state": "inprogress",
                    }
                )
        goals = Goal.with_context(mail_notrack=True, tracking_disable=True).create(vals)
    # goals of an earlier run of this script: whole months, end date inclusive
    env.cr.execute(
        """
        UPDATE gamification_goal SET end_date = (start_date + interval '1 month - 1 day')::date, current = 0
         WHERE definition_id = %s
        """,
        [definition.id],
    )
    goals.invalidate_recordset()
    return goals


def check_same_values(env, goals, ours):
    """Both engines must give the same value for every (salesperson, month)."""
    ours_by_key = {(row["owner_id"], row["date_from"][:7]): row["value"] for row in ours}
    gami_by_key = {(goal.user_id.id, goal.start_date.strftime("%Y-%m")): goal.current for goal in goals}
    keys = set(ours_by_key) | set(gami_by_key)
    differ = [key for key in keys if abs(ours_by_key.get(key, 0.0) - gami_by_key.get(key, 0.0)) > 0.005]
    total_ours = sum(ours_by_key.values())
    total_gami = sum(gami_by_key.values())
    print(
        f"  check: {len(keys)} (salesperson, month) pairs, {len(differ)} differ;"
        f" totals ours {total_ours:,.2f} vs gamification {total_gami:,.2f}"
    )
    if differ:
        sample = ", ".join(
            f"{key}: {ours_by_key.get(key, 0.0):,.2f} vs {gami_by_key.get(key, 0.0):,.2f}" for key in sorted(differ)[:5]
        )
        raise SystemExit(f"the engines disagree on {len(differ)} pairs, e.g. {sample}")


def bench_target_plan(env, kpi, total_ours, results):
    """Allocate a plan of ``kpi`` for 2025 over the whole bench organisation,
    then read targets vs actuals as the pivot does: the members' actuals must
    add up to the KPI's total for all salespeople (``total_ours``)."""
    top = env["crm.team"].search([("name", "=", "Bench Top")], limit=1)
    plan = env["sales.kpi.target.plan"].create(
        {
            "name": "Bench plan 2025",
            "kpi_id": kpi.id,
            "fiscal_year": 2025,
            "root_team_id": top.id,
            "root_value": 600_000_000.0,
            "owner_method": "prior_year",
            "period_method": "seasonality",
            "include_members": True,
        }
    )
    timed("allocate a target plan (teams, members, months)", lambda: (plan.action_allocate(), env.flush_all()), results)
    print(f"  target lines: {len(plan.line_ids)}")
    Report = env["sales.kpi.target.report"]
    domain = [("plan_id", "=", plan.id)]
    groups = timed(
        "targets vs actuals by team and month (pivot)",
        lambda: Report._read_group(domain, ["team_id", "month:month"], ["target:sum", "actual:sum"]),
        results,
    )
    members = timed(
        "targets vs actuals by member (pivot)",
        lambda: Report._read_group([*domain, ("owner_type", "=", "user")], ["user_id"], ["target:sum", "actual:sum"]),
        results,
    )
    actual = sum(row[2] for row in members)
    print(f"  groups: {len(groups)} team-months, {len(members)} members; members' actuals {actual:,.2f}")
    if abs(actual - total_ours) > 0.01:
        raise SystemExit(f"the report's actuals ({actual:,.2f}) differ from the KPI's ({total_ours:,.2f})")


if __name__ == "__main__":
    main()
