"""Benchmark of the monthly rank evaluation of sales_kpi (exits non-zero on a miss).

In one transaction that is rolled back at the end (nothing is kept), on a
database where sales_kpi is installed (created with ``-i sales_kpi`` when
missing): a ladder REP -> KAM (10,000 a month in 3 of 6 months) -> MM (20,000
in 4 of 12 months, 2 direct subordinates at KAM or above), ``--members``
salespeople in units of 10 (the unit's leader holds KAM, the others REP), and
12 months of facts a salesperson (set-based SQL, random amounts around the
thresholds). Then times ``--repeat`` times:

- the evaluation of the month for every member (``_rank_evaluate``: proposals
  made with their evidence and their approval started: an activity and a
  message each, the approval engine's cost); target under 10 s at 2,000
  members, one in ten of them selling enough to be proposed;
- the same month again (idempotent: nothing made, the waiting proposals'
  evidence compared); under 10 s;

and prints the queries of the evaluation at ``--members`` and at a tenth of
them, before the proposals are made (the query count must not grow with the
members), with the proposals made. The proposals are deleted after each repeat.

Usage (from the repository root)::

    python3 bench/sales_kpi_ranks.py [--db sales_kpi_ranks] [--members 2000] [--repeat 3]
"""

import argparse
import logging
import random
import statistics
import sys
import time
from datetime import date

from benchlib import database_exists, open_registry
from dateutil.relativedelta import relativedelta
from sales_kpi_bench import run_odoo

MONTH = date(2025, 12, 1)
TARGETS = {"evaluate the month": 10.0, "evaluate the month again": 10.0}


def build(env, members, tag):
    """The ladder, the organisation, the ranks and the facts; returns the users."""
    from odoo import Command

    company = env.company
    ladder = env["sales.rank.ladder"].create({"name": f"Bench ladder {tag}"})
    Rank = env["sales.rank"]
    rep = Rank.create({"ladder_id": ladder.id, "sequence": 1, "code": "REP", "name": "Rep"})
    kam = Rank.create(
        {
            "ladder_id": ladder.id,
            "sequence": 2,
            "code": "KAM",
            "name": "KAM",
            "sales_threshold": 10000,
            "months_required": 3,
            "window_months": 6,
        }
    )
    Rank.create(
        {
            "ladder_id": ladder.id,
            "sequence": 3,
            "code": "MM",
            "name": "MM",
            "sales_threshold": 20000,
            "months_required": 4,
            "window_months": 12,
            "min_subordinates": 2,
            "subordinate_rank_id": kam.id,
        }
    )
    # no demotion review: the runs below measure the proposals
    (rep | kam).write({"demotion_review": False})
    group = env.ref("sales_team.group_sale_salesman")
    quiet = dict(tracking_disable=True, no_reset_password=True, mail_create_nolog=True, mail_create_nosubscribe=True)
    users = (
        env["res.users"]
        .with_context(**quiet)
        .create(
            [
                {
                    "name": f"Bench rank {tag} {i}",
                    "login": f"bench_rank_{tag}_{i}",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set(group.ids)],
                }
                for i in range(members)
            ]
        )
    )
    leaders = users[::10]
    teams = (
        env["crm.team"]
        .with_context(**quiet)
        .create([{"name": f"Bench unit {tag} {i}", "user_id": leader.id} for i, leader in enumerate(leaders)])
    )
    team_of = {user.id: teams[index // 10] for index, user in enumerate(users)}
    start = MONTH - relativedelta(years=2)
    memberships = (
        env["crm.team.member"]
        .with_context(**quiet)
        .create(
            [{"crm_team_id": team_of[u.id].id, "user_id": u.id, "date_start": start} for u in users if u not in leaders]
        )
    )
    member_of = {m.user_id.id: m for m in memberships}
    env["sales.rank.history"].with_context(**quiet).create(
        [
            {
                "user_id": u.id,
                "team_id": team_of[u.id].id,
                "member_id": member_of[u.id].id if u.id in member_of else False,
                "rank_id": (kam if u in leaders else rep).id,
                "date_start": start,
            }
            for u in users
        ]
    )
    # one salesperson in ten sells around the KAM threshold (most of them proposed), the others below it
    rng = random.Random(19)
    strong = {u.id for u in users if rng.random() < 0.1}
    rows = [
        (
            company.id,
            MONTH - relativedelta(months=m),
            team_of[u.id].id,
            u.id,
            rng.uniform(9000, 16000) if u.id in strong else rng.uniform(2000, 9000),
        )
        for u in users
        for m in range(12)
    ]
    env["sales.kpi.fact"].flush_model()
    env.cr.execute(
        """
        INSERT INTO sales_kpi_fact (company_id, month, team_id, user_id, amount_sale)
        SELECT * FROM unnest(%s::int[], %s::date[], %s::int[], %s::int[], %s::numeric[])
        ON CONFLICT DO NOTHING
        """,
        [[r[i] for r in rows] for i in range(5)],
    )
    env.flush_all()
    return users


def timed(env, function):
    env.invalidate_all()
    count = env.cr.sql_log_count
    begin = time.perf_counter()
    result = function()
    env.flush_all()
    return time.perf_counter() - begin, env.cr.sql_log_count - count, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sales_kpi_ranks")
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not database_exists(args.db):
        run_odoo(args.db, "-i", "sales_kpi", "--without-demo=all")
    registry = open_registry(args.db)
    logging.getLogger("odoo").setLevel(logging.WARNING)
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        Proposal = env["sales.promotion.proposal"]
        company = env.company
        # the queries before any proposal is made: a tenth of the members, then all
        small_users = build(env, max(args.members // 10, 10), "s")
        nobody = MONTH - relativedelta(years=3)  # a month before every rank: nothing evaluated
        _t, q_none, _r = timed(env, lambda: Proposal._rank_evaluate(company, nobody))
        # no proposal made: a month whose facts are far below every threshold
        env.cr.execute("UPDATE sales_kpi_fact SET amount_sale = 1 WHERE user_id = ANY(%s)", [small_users.ids])
        _t, q_small, r_small = timed(env, lambda: Proposal._rank_evaluate(company, MONTH))
        env.cr.execute("DELETE FROM sales_kpi_fact WHERE user_id = ANY(%s)", [small_users.ids])
        env["sales.rank.history"].search([("user_id", "in", small_users.ids)]).unlink()
        users = build(env, args.members, "b")
        env.cr.execute("UPDATE sales_kpi_fact SET amount_sale = amount_sale / 100 WHERE user_id = ANY(%s)", [users.ids])
        _t, q_large, r_large = timed(env, lambda: Proposal._rank_evaluate(company, MONTH))
        env.cr.execute("UPDATE sales_kpi_fact SET amount_sale = amount_sale * 100 WHERE user_id = ANY(%s)", [users.ids])
        print(
            f"queries without proposals: {r_small['evaluated']} members {q_small}, "
            f"{r_large['evaluated']} members {q_large} (nobody to evaluate: {q_none})"
        )
        figures = {name: [] for name in TARGETS}
        for run in range(args.repeat):
            seconds, queries, result = timed(env, lambda: Proposal._rank_evaluate(company, MONTH))
            figures["evaluate the month"].append(seconds)
            made = result["proposed"] + result["demotion_reviews"]
            print(
                f"run {run + 1}: evaluated {result['evaluated']}, proposed {result['proposed']}, demotion reviews "
                f"{result['demotion_reviews']} in {seconds:.2f} s, {queries} queries "
                f"({(queries - q_large) / max(made, 1):.1f} queries a proposal made)",
                flush=True,
            )
            seconds, queries, again = timed(env, lambda: Proposal._rank_evaluate(company, MONTH))
            figures["evaluate the month again"].append(seconds)
            print(
                f"        again: proposed {again['proposed']}, updated {again['updated']} "
                f"in {seconds:.2f} s, {queries} queries"
            )
            Proposal.browse(result["proposal_ids"]).unlink()
        cr.rollback()
    missed = False
    print(f"\n{args.members} members, {args.repeat} repeats (median, target, ratio)")
    for name, target in TARGETS.items():
        median = statistics.median(figures[name])
        missed |= median > target
        print(f"{name:30} {median:8.2f} s {target:6.1f} s {median / target:6.2f}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
