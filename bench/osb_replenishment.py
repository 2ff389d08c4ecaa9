"""Benchmark of the replenishment record of osb_credit (exits non-zero on a miss).

Creates (once) a database with osb_credit and the organisation and orders of
``sales_kpi_bench.py`` (2,000 salespeople, 50,000 customers, each with its
salesperson, 200,000 confirmed orders of 5 lines over 2025: 1,000,000 lines),
then times, each read on a cold cache, as the web client asks them:

- the replenishment list (``osb.replenishment``, first 80 rows in the list's
  order, and the count), as a CSR (reads every customer) and as a salesperson
  (their customers): target under 2 s each;
- the "Customers Overdue for Reorder" list (filter and count), as a CSR: under 2 s;
- the pivot by sales team (``read_group``): under 2 s;
- every customer's row, the query alone (no rules, no ORM): under 1 s, so that
  the list (which computes it twice: its rows and their count) stays under 2 s;
- one customer's record and its quantities per product (``osb.replenishment.line``).

``--scale 0.05`` divides every volume by 20; ``--template`` copies a template
database with Odoo's addons first (``benchlib.ensure_template``; default:
create the database directly, about 3 minutes).

    python3 bench/osb_replenishment.py [--db osb_repl] [--scale 1.0] [--regenerate] [--template tmpl_deps]
"""

import argparse
import subprocess
import sys
import time

from benchlib import PG_BIN, database_exists, ensure_template, open_registry, pg_env
from sales_kpi_bench import generate, run_odoo

TARGET = 2.0
LIST_FIELDS = [
    "partner_id",
    "user_id",
    "team_id",
    "order_count",
    "last_order_date",
    "recent_intervals",
    "last_interval",
    "average_interval",
    "expected_date",
    "days_overdue",
    "is_overdue",
    "order_day_count",
    "company_id",
]


def prepare_database(db, regenerate, template):
    if regenerate and database_exists(db):
        subprocess.run([f"{PG_BIN}/dropdb", db], env=pg_env(), check=True)
    if database_exists(db):
        run_odoo(db, "-u", "osb_credit")
        return
    if template:
        ensure_template(template)
        subprocess.run([f"{PG_BIN}/createdb", "-T", template, db], env=pg_env(), check=True)
    run_odoo(db, "-i", "osb_credit", "--without-demo=all")


def measure(env, label, func, results, target=None):
    env.flush_all()
    env.invalidate_all()
    env.registry.clear_cache()  # cold: the rules and views are read again
    before = env.cr.sql_log_count
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    queries = env.cr.sql_log_count - before
    results[label] = (elapsed, target)
    verdict = "" if target is None else ("ok" if elapsed < target else "MISSED")
    print(f"  {label:<58} {elapsed:8.3f} s  {queries:4d} queries  {verdict}", flush=True)
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="osb_repl")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--regenerate", action="store_true", help="drop and recreate the database")
    parser.add_argument("--template", help="copy this template database (created when missing) first")
    args = parser.parse_args()
    prepare_database(args.db, args.regenerate, args.template)
    registry = open_registry(args.db)
    from odoo import Command, api

    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {"tz": "Asia/Shanghai"})
        cr.execute("SELECT count(*) FROM res_users WHERE login LIKE 'bench_rep_%%'")
        if not cr.fetchone()[0]:
            start = time.perf_counter()
            generate(env, args.scale)
            # each customer's salesperson: the one of its first order
            cr.execute(
                """
                UPDATE res_partner p SET user_id = s.user_id
                  FROM (SELECT DISTINCT ON (partner_id) partner_id, user_id FROM sale_order ORDER BY partner_id, id) s
                 WHERE s.partner_id = p.id AND p.name LIKE 'Bench Customer %%'
                """
            )
            cr.execute(
                "INSERT INTO res_groups_users_rel (gid, uid) SELECT %s, id FROM res_users WHERE login LIKE"
                " 'bench_rep_%%' ON CONFLICT DO NOTHING",
                [env.ref("sales_team.group_sale_salesman").id],
            )
            cr.commit()
            print(f"generated the data in {time.perf_counter() - start:.0f} s")
        csr = env["res.users"].search([("login", "=", "bench_csr")]) or env["res.users"].create(
            {
                "name": "Bench CSR",
                "login": "bench_csr",
                "tz": "Asia/Shanghai",
                "groups_id": [Command.set([env.ref("osb_credit.group_osb_csr").id])],
            }
        )
        cr.execute(
            "SELECT user_id, count(*) FROM res_partner WHERE name LIKE 'Bench Customer %%'"
            " GROUP BY user_id ORDER BY 2 DESC LIMIT 1"
        )
        rep_id, rep_customers = cr.fetchone()
        cr.commit()
        cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE 'Bench Customer %%'")
        n_customers = cr.fetchone()[0]
        cr.execute("SELECT count(*), count(DISTINCT order_id) FROM sale_order_line")
        n_lines, n_orders = cr.fetchone()
        print(f"data: {n_customers} customers, {n_orders} orders, {n_lines} order lines")

        as_csr = env(user=csr.id)["osb.replenishment"]
        as_rep = env(user=rep_id)["osb.replenishment"]

        def list_view(model, domain):
            rows = model.search_read(domain, LIST_FIELDS, limit=80)
            return rows, model.search_count(domain)

        rows, count = measure(
            env, "replenishment list, CSR (80 rows + count)", lambda: list_view(as_csr, []), results, TARGET
        )
        print(f"    {count} customers; first: {rows[0]['partner_id'][1] if rows else '-'}")
        rows, count = measure(
            env, "replenishment list, salesperson (80 rows + count)", lambda: list_view(as_rep, []), results, TARGET
        )
        print(f"    {count} customers of the salesperson ({rep_customers} are theirs)")
        overdue = [("is_overdue", "=", True)]
        rows, count = measure(
            env, "customers overdue for reorder, CSR", lambda: list_view(as_csr, overdue), results, TARGET
        )
        print(f"    {count} overdue")
        groups = measure(
            env,
            "pivot by sales team, CSR (read_group)",
            lambda: as_csr.read_group([], ["order_count:sum", "average_interval:avg"], ["team_id"]),
            results,
            TARGET,
        )
        print(f"    {len(groups)} teams")
        from odoo.tools import SQL

        def every_row():
            cr.execute(SQL("SELECT count(*), max(expected_date) FROM (%s) t", as_csr._table_query))
            return cr.fetchone()

        measure(env, "every customer's row, the SQL alone (no rules, no ORM)", every_row, results, TARGET / 2)
        partner_id = rows[0]["partner_id"][0] if rows else None
        if partner_id:
            lines = env(user=csr.id)["osb.replenishment.line"]
            measure(
                env,
                "one customer: its record and its products, CSR",
                lambda: (
                    as_csr.search_read([("partner_id", "=", partner_id)], LIST_FIELDS),
                    lines.search_read([("partner_id", "=", partner_id)], ["product_id", "quantity", "expected_date"]),
                ),
                results,
                TARGET,
            )
        cr.rollback()
    missed = [label for label, (elapsed, target) in results.items() if target is not None and elapsed >= target]
    print(f"scale {args.scale}: " + ("every target met" if not missed else f"MISSED: {', '.join(missed)}"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
