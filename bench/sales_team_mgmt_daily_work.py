"""Benchmark of the daily work of sales_team_mgmt (exits non-zero on a miss).

Creates (once) a database with the organisation and orders of
``sales_kpi_bench.py`` (2,000 salespeople, 50,000 customers, each with its
salesperson, 1,000,000 order lines over 2025), four customer classes
(thresholds at the customers' 95th, 75th and 35th percentiles of sales, and 0;
visits every 30, 60, 90 days, none) and 12 months of done visits, one a month per customer (600,000),
then times, each in its own rolled-back transaction:

- the monthly classification of every customer (as of 2025-12-31): queries and
  seconds, for all the customers and for a tenth of them (the query count
  must not grow with the customers); target under 30 s;
- the daily visit planning over every classified customer, batch after batch
  as the cron runs it (5,000 customers a batch): queries of each batch (equal
  from batch to batch) and the total time; target under 30 s;
- the distribution of 10,000 leads among 50 members with uneven open loads:
  preview and assign; target under 5 s together;
- the visit KPI sources (visits done, success rate, calls, call minutes) for
  the 2,000 salespeople x 12 months; target under 2 s.

Run time: about 4 minutes to generate the data the first time, then about
2 minutes. ``--scale 0.1`` divides every volume by 10.

    python3 bench/sales_team_mgmt_daily_work.py [--db stm_daily] [--scale 1.0] [--regenerate]
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from benchlib import open_registry
from sales_kpi_bench import generate, prepare_database

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "classify every customer": 30.0,
    "plan the visits (every batch)": 30.0,
    "distribute 10,000 leads (preview + assign)": 5.0,
    "visit KPIs, every salesperson x 12 months": 2.0,
}


def measure(env, label, func, results):
    env.flush_all()
    env.invalidate_all()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    value = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = env.cr.sql_log_count - before
    results[label] = elapsed
    print(f"  {label:<46} {elapsed:8.2f} s  {queries:6d} queries", flush=True)
    return value, queries


def generate_daily_work(env):
    cr = env.cr
    company = env.ref("base.main_company")
    # each customer's salesperson: the one of its first order
    cr.execute(
        """
        UPDATE res_partner p SET user_id = s.user_id
          FROM (SELECT DISTINCT ON (partner_id) partner_id, user_id FROM sale_order ORDER BY partner_id, id) s
         WHERE s.partner_id = p.id AND p.name LIKE 'Bench Customer %%'
        """
    )
    Class = env["sales.customer.class"]
    Class.search([]).active = False
    # thresholds from the data: the top 5% of the customers VIP, the next 20% level 1,
    # the next 40% level 2, the rest other
    cr.execute(
        """
        SELECT percentile_cont(ARRAY[0.95, 0.75, 0.35]) WITHIN GROUP (ORDER BY total)
          FROM (SELECT partner_id, SUM(amount_untaxed) AS total FROM sale_order
                 WHERE state = 'sale' GROUP BY partner_id) s
        """
    )
    vip, level1, level2 = cr.fetchone()[0]
    for code, name, min_sales, interval in (
        ("B_VIP", "VIP", vip, 30),
        ("B_L1", "Level 1", level1, 60),
        ("B_L2", "Level 2", level2, 90),
        ("B_OTHER", "Other", 0, 0),
    ):
        Class.create(
            {"code": code, "name": name, "min_sales": min_sales, "visit_interval": interval, "company_id": company.id}
        )
    # one done visit a month per customer, by its salesperson, in the salesperson's team
    cr.execute(
        """
        INSERT INTO sales_visit (company_id, partner_id, user_id, team_id, visit_type, state, planned_date,
                                 done_date, duration, success, automatic, create_uid, write_uid, create_date,
                                 write_date)
        SELECT %(company)s, p.id, p.user_id, m.crm_team_id,
               CASE WHEN (p.id + k) %% 3 = 0 THEN 'call' ELSE 'visit' END, 'done',
               d, d + interval '1 hour', 15 + (p.id + k) %% 60, (p.id + k) %% 2 = 0, false, 1, 1, now(), now()
          FROM res_partner p
          JOIN crm_team_member m ON m.user_id = p.user_id
          CROSS JOIN generate_series(0, 11) k
          JOIN LATERAL (SELECT timestamp '2025-01-05 09:00' + k * interval '1 month'
                               + (p.id %% 20) * interval '1 day' AS d) dd ON true
         WHERE p.name LIKE 'Bench Customer %%' AND p.user_id IS NOT NULL
        """,
        {"company": company.id},
    )
    cr.execute("ANALYZE sales_visit")
    cr.execute("ANALYZE res_partner")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="stm_daily")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--regenerate", action="store_true", help="drop and recreate the database")
    args = parser.parse_args()
    prepare_database(args.db, args.regenerate)
    registry = open_registry(args.db)
    from odoo import Command, api

    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM sales_visit")
        if not cr.fetchone()[0]:
            start = time.perf_counter()
            cr.execute("SELECT count(*) FROM res_users WHERE login LIKE 'bench_rep_%%'")
            if not cr.fetchone()[0]:
                generate(env, args.scale)
            generate_daily_work(env)
            cr.commit()
            print(f"generated the data in {time.perf_counter() - start:.0f} s")
        company = env.ref("base.main_company")
        cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE 'Bench Customer %%'")
        n_customers = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM sales_visit")
        print(f"data: {n_customers} customers, {cr.fetchone()[0]} visits")
        Partner = env["res.partner"]
        today = date(2025, 12, 31)

        # classification: all the customers, then a tenth of them (same query count)
        _done, queries_all = measure(
            env,
            "classify every customer",
            lambda: Partner._cron_sales_classify(limit=10**9, today=today),
            results,
        )
        cr.rollback()
        cr.execute(
            "UPDATE sale_order SET state = 'draft' WHERE name LIKE 'BENCH%%' AND id %% %s <> 0 AND state = 'sale'",
            [10],
        )
        _done, queries_tenth = measure(
            env,
            "classify (orders of a tenth of the customers)",
            lambda: Partner._cron_sales_classify(limit=10**9, today=today),
            results,
        )
        cr.rollback()
        print(f"  classification queries: {queries_all} for all, {queries_tenth} for a tenth")

        # planning, batch by batch as the cron runs it
        Partner._cron_sales_classify(limit=10**9, today=today)
        Visit = env["sales.visit"]
        batch_queries, total = [], 0.0
        while True:
            # Odoo's cron runner commits after each batch, which empties the cache:
            # each batch starts cold here too (else later batches find the
            # salespeople read by earlier ones, and count fewer queries).
            env.invalidate_all()
            start = time.perf_counter()
            before = cr.sql_log_count
            planned = Visit._cron_plan_visits(today=today)
            env.flush_all()
            total += time.perf_counter() - start
            if not planned:
                break
            batch_queries.append(cr.sql_log_count - before)
        results["plan the visits (every batch)"] = total
        print(
            f"  {'plan the visits (every batch)':<46} {total:8.2f} s  batches of queries: {batch_queries}",
            flush=True,
        )
        cr.rollback()

        # distribution of 10,000 leads among 50 members with uneven loads
        cr.execute("SELECT array_agg(id ORDER BY id) FROM res_users WHERE login LIKE 'bench_rep_%%'")
        users = cr.fetchone()[0][:50]
        Lead = env["crm.lead"].with_context(tracking_disable=True, mail_create_nolog=True)
        Lead.create([{"name": f"load {i}", "user_id": users[i % 50]} for i in range(50 * 26) if i % 50 < 25 + i % 7])
        leads = Lead.create([{"name": f"bench lead {i}", "user_id": False} for i in range(int(10000 * args.scale))])
        env.flush_all()
        wizard = env["sales.distribution.wizard"].create(
            {
                "target": "lead",
                "lead_ids": [Command.set(leads.ids)],
                "member_ids": [Command.create({"user_id": uid, "sequence": i}) for i, uid in enumerate(users)],
            }
        )
        measure(
            env,
            "distribute 10,000 leads (preview + assign)",
            lambda: (wizard.action_preview(), wizard.action_assign()),
            results,
        )
        loads = sorted(wizard.member_ids.mapped("load_after"))
        print(f"  loads after: min {loads[0]}, max {loads[-1]}")
        cr.rollback()

        # visit KPI sources for every salesperson and month
        cr.execute("SELECT array_agg(id ORDER BY id) FROM res_users WHERE login LIKE 'bench_rep_%%'")
        all_users = cr.fetchone()[0]
        Kpi = env["sales.kpi"]
        kpis = Kpi.browse()
        for source in ("visits_done", "visit_success_rate", "calls", "call_minutes"):
            kpis |= Kpi.search([("code", "=", f"BENCH_{source.upper()}")]) or Kpi.create(
                {"code": f"BENCH_{source.upper()}", "name": source, "source": source, "company_id": company.id}
            )
        months = [f"2025-{m:02d}" for m in range(1, 13)]
        values, _queries = measure(
            env,
            "visit KPIs, every salesperson x 12 months",
            lambda: kpis.compute_values("user", all_users, months),
            results,
        )
        print(f"  values: {len(values)}")
        cr.rollback()
    print()
    missed = []
    for label, target in TARGETS.items():
        ok = results[label] < target
        missed += [] if ok else [label]
        print(f"{label:<46} {results[label]:8.2f} s  (target < {target:g} s) {'ok' if ok else 'MISSED'}")
    # one statement per class changed, whatever the number of customers: a tenth of
    # the customers may change fewer classes, never more statements
    # planning: every full batch after the first runs the same queries (the first one
    # also fills Odoo's process-wide caches: the activity type, the model's id)
    if not queries_tenth <= queries_all <= queries_tenth + 2 * 4 or len(set(batch_queries[1:-1])) > 1:
        missed.append("query counts growing with the customers")
        print("MISSED: the query counts grow with the customers")
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
