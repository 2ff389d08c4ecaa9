"""Benchmark of the target allocation of sales_kpi (exits non-zero on a miss).

Creates (once) a database with the organisation of ``sales_kpi_bench.py``
(1 top team, 4 markets, 20 regions, 2,000 salespeople) and 20,000 confirmed
orders over 2025 (100,000 lines, enough for every member to have a history),
rebuilds the facts, then times ``--repeat`` times:

- allocating a plan of confirmed sales for 2026 over the whole organisation
  (prior-year shares between teams and members, seasonality over the months:
  2,025 owners x 17 periods = 34,425 lines); target under 30 s;
- a market manager's re-split of one market (its yearly target changed by
  hand: its regions, members, quarters and months split again, about 8,600
  lines); target under 2 s;
- ``Apply Proposals`` of one region (its 100 members' proposals, then their
  quarters and months, about 1,700 lines); target under 2 s;
- allocating the plan again, which replaces its 34,425 lines; under 30 s.

Each step is committed, as a user's request would be (the plan is deleted at
the end of each run).
The figure of each is the median of the runs, printed with every run; the
script exits with status 1 when a median misses its target.

Usage (from the repository root; the first run generates the data, about
3 minutes, then each repeat takes about 1 minute at the documented scale)::

    python3 bench/sales_kpi_allocation.py [--db kpi_alloc] [--scale 1.0] [--regenerate] [--repeat 3]

``--scale 0.1`` divides the organisation and the orders by 10.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from benchlib import open_registry
from sales_kpi_bench import generate, prepare_database

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "allocate the whole organisation": 30.0,
    "re-split one market": 2.0,
    "apply proposals of one region": 2.0,
    "allocate again (replacing every line)": 30.0,
}


def timed(label, func, results):
    start = time.perf_counter()
    func()
    elapsed = time.perf_counter() - start
    results.setdefault(label, []).append(elapsed)
    print(f"  {label:<40} {elapsed:8.3f} s", flush=True)


def year_line(env, plan, team_name):
    team = env["crm.team"].search([("name", "=", team_name)], limit=1)
    domain = [("plan_id", "=", plan.id), ("team_id", "=", team.id), ("owner_type", "=", "team")]
    return env["sales.kpi.target.line"].search([*domain, ("period_type", "=", "year")])


def run_once(env, kpi, results):
    """One allocation, re-split, apply-proposals and re-allocation, each
    committed as the request of a user would be; the plan is deleted at the end."""
    cr = env.cr
    top = env["crm.team"].search([("name", "=", "Bench Top")], limit=1)
    plan = env["sales.kpi.target.plan"].create(
        {
            "name": "Bench allocation 2026",
            "kpi_id": kpi.id,
            "fiscal_year": 2026,
            "root_team_id": top.id,
            "root_value": 900_000_000.0,
            "owner_method": "prior_year",
            "period_method": "seasonality",
            "include_members": True,
        }
    )
    cr.commit()
    try:
        timed("allocate the whole organisation", lambda: (plan.action_allocate(), env.flush_all()), results)
        cr.commit()
        Line = env["sales.kpi.target.line"]
        lines = Line.search_count([("plan_id", "=", plan.id)])
        market_line = year_line(env, plan, "Bench Market 0")
        below = Line.search_count([("id", "child_of", market_line.id)])
        env.invalidate_all()
        timed(
            "re-split one market",
            lambda: (market_line.write({"target": round(market_line.target * 0.95, 2)}), env.flush_all()),
            results,
        )
        cr.commit()
        region_line = year_line(env, plan, "Bench Region 0.0")
        members = region_line.child_ids.filtered(lambda line: line.split_kind == "owner")
        cr.execute(
            "UPDATE sales_kpi_target_line SET proposed_target = round((target * (0.9 + random() * 0.3))::numeric, 2)"
            " WHERE id = ANY(%s)",
            [members.ids],
        )
        cr.commit()
        env.invalidate_all()
        region_below = Line.search_count([("id", "child_of", region_line.id)])
        timed(
            "apply proposals of one region",
            lambda: (region_line.action_apply_proposals(), env.flush_all()),
            results,
        )
        cr.commit()
        # no children above their parent anywhere; exact sums below the market
        sums = plan.line_ids._get_sum_errors(exact=False)
        subtree = Line.search([("id", "child_of", market_line.id)])
        sums += Line._get_sum_errors(exact=True, parent_ids=subtree.ids)
        print(f"  lines: {lines}; below the market: {below}; below the region: {region_below}; sum errors: {len(sums)}")
        if sums:
            raise SystemExit(f"the splits do not add up: {sums[:3]}")
        env.invalidate_all()
        timed("allocate again (replacing every line)", lambda: (plan.action_allocate(), env.flush_all()), results)
        cr.commit()
    finally:
        cr.rollback()
        plan.unlink()
        cr.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="kpi_alloc")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--regenerate", action="store_true", help="drop and recreate the database")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    prepare_database(args.db, args.regenerate)
    registry = open_registry(args.db)
    from odoo import api

    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM res_users WHERE login LIKE 'bench_rep_%%'")
        if not cr.fetchone()[0]:
            start = time.perf_counter()
            generate(env, args.scale, order_scale=args.scale / 10)
            env["sales.kpi.fact"].rebuild("2025-01-01", "2025-12-31")
            cr.commit()
            cr.execute("ANALYZE")
            print(f"generated the data in {time.perf_counter() - start:.1f} s")
        company = env.ref("base.main_company")
        kpi = env["sales.kpi"].search([("code", "=", "BENCH_ALLOC_SALES"), ("company_id", "=", company.id)])
        if not kpi:
            kpi = env["sales.kpi"].create(
                {"code": "BENCH_ALLOC_SALES", "name": "Confirmed sales", "source": "sales", "unit": "amount"}
            )
            cr.commit()
        cr.execute("SELECT count(*) FROM crm_team_member WHERE active")
        print(f"data: {cr.fetchone()[0]} active memberships")
        for run in range(args.repeat):
            print(f"run {run + 1}:", flush=True)
            run_once(env, kpi, results)
            env.invalidate_all()
    print()
    missed = []
    for label, target in TARGETS.items():
        times = results[label]
        median = statistics.median(times)
        verdict = "ok" if median < target else "MISSED"
        if median >= target:
            missed.append(label)
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{label:<40} median {median:7.2f} s  (runs {runs}; target < {target:g} s) {verdict}")
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
