"""Benchmark of the monthly scorecards of sales_kpi (exits non-zero on a miss).

Creates (once) a database with the organisation of ``sales_kpi_bench.py`` (1 top
team, 4 markets, 20 regions, 2,000 salespeople) and its confirmed orders of 2025
(1,000,000 lines at ``--scale 1``), the facts rebuilt, an employee for every
salesperson on the company's working calendar and the attendances of June 2025
(one a working day, about 5 % absent days and 5 % late check-ins), and a default
scorecard template of 10 KPI lines (facts, customers, complaints) and 4 rubric
lines. Then times ``--repeat`` times:

- generating the scorecards of June 2025 for every member (created: KPI actuals
  through ``compute_values``, attendance, ranks); target under 20 s;
- the same again (every scorecard recomputed, nothing created);
- the attendance figures of every salesperson for the month; under 5 s;
- the company's leaderboard of the month (every scorecard, ordered by market
  rank); under 1 s;

and prints the number of queries of the generation, which must not grow with the
number of members (compare ``--scale`` runs). The scorecards are deleted after
each run.

Usage (from the repository root)::

    python3 bench/sales_kpi_scorecards.py [--db kpi_scorecards] [--scale 1.0] [--regenerate] [--repeat 3]

``--scale 0.05`` divides the organisation and the orders by 20.
"""

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from benchlib import PG_BIN, database_exists, open_registry, pg_env
from sales_kpi_bench import generate, run_odoo

ROOT = Path(__file__).resolve().parent.parent
MONTH = date(2025, 6, 1)
TARGETS = {
    "generate the month (create)": 20.0,
    "generate the month again (recompute)": 20.0,
    "attendance of every salesperson": 5.0,
    "leaderboard of the company": 1.0,
}
KPIS = (
    # code, source, direction, threshold, target, stretch
    ("BSC_SALES", "sales", "higher", 1000.0, 5000.0, 8000.0),
    ("BSC_INVOICED", "invoiced", "higher", 1000.0, 5000.0, 8000.0),
    ("BSC_UNITS", "units", "higher", 10.0, 50.0, 80.0),
    ("BSC_ORDERS", "orders", "higher", 1.0, 5.0, 8.0),
    ("BSC_PRICE", "price_maintenance", "higher", 80.0, 90.0, 95.0),
    ("BSC_COLLECTION", "collection_rate", "higher", 50.0, 80.0, 95.0),
    ("BSC_NEWCUST", "new_customers", "higher", 0.0, 2.0, 4.0),
    ("BSC_LOSTCUST", "lost_customers", "lower", 5.0, 1.0, 0.0),
    ("BSC_RETENTION", "retention", "higher", 50.0, 80.0, 95.0),
    ("BSC_COMPLAINTS", "complaints", "lower", 5.0, 1.0, 0.0),
)


def prepare(db, regenerate):
    if regenerate and database_exists(db):
        subprocess.run([f"{PG_BIN}/dropdb", db], env=pg_env(), check=True)
    if not database_exists(db):
        # sale_stock: the generated orders carry its picking policy
        run_odoo(db, "-i", "sales_kpi,sale_stock", "--without-demo=all")
    else:
        run_odoo(db, "-u", "sales_team_mgmt,sales_kpi")


def generate_attendance(env, user_ids):
    """An employee per salesperson, and one attendance a working day of the month."""
    company = env.ref("base.main_company")
    calendar = company.resource_calendar_id
    env["hr.employee"].create(
        [
            {
                "name": f"Bench employee {uid}",
                "user_id": uid,
                "company_id": company.id,
                "resource_calendar_id": calendar.id,
                "tz": "UTC",
            }
            for uid in user_ids
        ]
    )
    env.flush_all()
    # 07:55 to 17:05 (UTC, the employees' timezone): both halves of the working day
    # covered; about 5 % absent days and 5 % check-ins at 08:20 (late).
    env.cr.execute(
        """
        INSERT INTO hr_attendance (employee_id, check_in, check_out, worked_hours, in_mode, out_mode,
                                   create_date, write_date)
        SELECT e.id, d + CASE WHEN random() < 0.05 THEN interval '8 hours 20 minutes'
                              ELSE interval '7 hours 55 minutes' END,
               d + interval '17 hours 5 minutes', 9, 'manual', 'manual', now(), now()
          FROM hr_employee e
          CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 day') d
         WHERE e.user_id = ANY(%(users)s) AND extract(isodow FROM d) < 6 AND random() > 0.05
        """,
        {"start": MONTH, "end": date(2025, 6, 30), "users": user_ids},
    )


def ensure_template(env):
    Kpi = env["sales.kpi"]
    lines = []
    for code, source, direction, threshold, target, stretch in KPIS:
        kpi = Kpi.search([("code", "=", code)]) or Kpi.create(
            {"code": code, "name": code, "source": source, "direction": direction}
        )
        lines.append(
            {
                "line_type": "kpi",
                "kpi_id": kpi.id,
                "weight": 10,
                "threshold": threshold,
                "target": target,
                "stretch": stretch,
                "cap_score": 120,
            }
        )
    lines += [{"line_type": "rubric", "name": f"Bench item {i}", "points": 25} for i in range(4)]
    Template = env["sales.scorecard.template"]
    if not Template.search([("name", "=", "Bench scorecard")]):
        Template.create(
            {
                "name": "Bench scorecard",
                "is_default": True,
                "kpi_weight": 50,
                "daily_work_weight": 20,
                "attendance_weight": 30,
                "line_ids": [(0, 0, values) for values in lines],
            }
        )


def timed(label, func, results):
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    results.setdefault(label, []).append(elapsed)
    print(f"  {label:<45} {elapsed:8.3f} s", flush=True)
    return value


def run_once(env, user_ids, results):
    cr = env.cr
    Scorecard = env["sales.scorecard"]
    company = env.ref("base.main_company")
    try:
        queries = cr.sql_log_count
        result = timed(
            "generate the month (create)",
            lambda: (Scorecard.generate_month(f"{MONTH:%Y-%m}"), env.flush_all())[0],
            results,
        )
        queries = cr.sql_log_count - queries
        cr.commit()
        print(f"  {result['created']} scorecards created in {queries} queries", flush=True)
        env.invalidate_all()
        again = timed(
            "generate the month again (recompute)",
            lambda: (Scorecard.generate_month(f"{MONTH:%Y-%m}"), env.flush_all())[0],
            results,
        )
        cr.commit()
        print(f"  {again['recomputed']} recomputed, {again['created']} created", flush=True)
        env.invalidate_all()
        figures = timed(
            "attendance of every salesperson",
            lambda: env["sales.scorecard.attendance"]._sales_attendance_figures(
                user_ids, MONTH, date(2025, 6, 30), company=company
            ),
            results,
        )
        absent = sum(f["absent_days"] for f in figures.values())
        late = sum(f["late_count"] for f in figures.values())
        print(f"  attendance: {absent} absent days, {late} late days over {len(figures)} salespeople", flush=True)
        env.invalidate_all()
        board = timed(
            "leaderboard of the company",
            lambda: Scorecard.search_read(
                [("month", "=", MONTH)],
                ["user_id", "team_id", "market_id", "rank_team", "rank_market", "score", "trend", "annual_score"],
                order="market_id, rank_market",
            ),
            results,
        )
        print(f"  leaderboard: {len(board)} rows, best {board[0]['score'] if board else '-'}", flush=True)
    finally:
        cr.rollback()
        cr.execute("DELETE FROM sales_scorecard WHERE month = %s", [MONTH])
        cr.commit()
        env.invalidate_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="kpi_scorecards")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--regenerate", action="store_true", help="drop and recreate the database")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    prepare(args.db, args.regenerate)
    registry = open_registry(args.db)
    from odoo import api

    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        cr.execute("SELECT array_agg(id ORDER BY id) FROM res_users WHERE login LIKE 'bench_rep_%%'")
        user_ids = cr.fetchone()[0]
        if not user_ids:
            start = time.perf_counter()
            user_ids = generate(env, args.scale)
            env["sales.kpi.fact"].rebuild("2025-01-01", "2025-12-31")
            generate_attendance(env, user_ids)
            cr.commit()
            cr.execute("ANALYZE")
            print(f"generated the data in {time.perf_counter() - start:.1f} s")
        ensure_template(env)
        cr.commit()
        cr.execute("SELECT count(*) FROM crm_team_member WHERE active")
        members = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM sale_order_line")
        print(f"data: {members} active memberships, {cr.fetchone()[0]} order lines")
        for run in range(args.repeat):
            print(f"run {run + 1}:", flush=True)
            run_once(env, user_ids, results)
    print()
    missed = []
    for label, target in TARGETS.items():
        times = results[label]
        median = statistics.median(times)
        verdict = "ok" if median < target else "MISSED"
        if median >= target:
            missed.append(label)
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{label:<45} median {median:7.2f} s  (runs {runs}; target < {target:g} s) {verdict}")
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
