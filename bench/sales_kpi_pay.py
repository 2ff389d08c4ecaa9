"""Benchmark of the pay runs of sales_kpi (exits non-zero on a miss).

In an existing database with sales_kpi (``--db``, e.g. a test or development
database), inside one transaction that is rolled back at the end (nothing
stays): a company of its own with ``--members`` salespeople (default 2,000) of
the renewal role in 20 teams, each with an employee on the company's calendar,
one attendance a working day of June 2025 (about 5 % late check-ins and 5 %
early leaves), about 30 phone calls a working day (``sales.visit``, some days
short), the month's units and premium (manual KPI values), the locked
scorecards of June and July, a standard pay for the role and the renewal team's
five rules. Then times:

- the pay run of June (every member's formula lines and rule lines); target
  under 30 s at 2,000 members, and its query count, which must not grow with the
  members (compare two ``--members``);
- after June is approved, ``--refunds`` premium changes into June (default
  1,000; a refund lowers a member's June premium: here the manual values are
  rewritten, the KPI engine reads them as it reads invoiced facts), the pay run
  of July with its correction lines; target under 10 s.

Usage (from the repository root)::

    python3 bench/sales_kpi_pay.py --db pay_dev --members 100 --refunds 50
"""

import argparse
import sys
import time
import uuid
from datetime import date

from benchlib import open_registry

JUNE, JULY = date(2025, 6, 1), date(2025, 7, 1)
TARGETS = {"pay run of the month": 30.0, "correction run after the refunds": 10.0}


def build(env, members):
    tag = uuid.uuid4().hex[:6]
    company = env["res.company"].create({"name": f"Pay bench {tag}"})
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    cr = env.cr
    role = env["sales.role"].create({"name": f"Renewal bench {tag}", "code": f"RB-{tag}"})
    teams = env["crm.team"].create(
        [{"name": f"Pay bench {tag} {i}", "company_id": company.id, "team_type": "unit"} for i in range(20)]
    )
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"Pay bench {tag} {i}",
                    "login": f"pay_bench_{tag}_{i}",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [(6, 0, env.ref("sales_team.group_sale_salesman").ids)],
                }
                for i in range(members)
            ]
        )
    )
    env["crm.team.member"].create(
        [
            {"crm_team_id": teams[i % 20].id, "user_id": user.id, "role_id": role.id, "date_start": date(2025, 1, 1)}
            for i, user in enumerate(users)
        ]
    )
    calendar = company.resource_calendar_id
    env["hr.employee"].create(
        [
            {
                "name": u.name,
                "user_id": u.id,
                "company_id": company.id,
                "resource_calendar_id": calendar.id,
                "tz": "UTC",
            }
            for u in users
        ]
    )
    env.flush_all()
    cr.execute(
        """
        INSERT INTO hr_attendance (employee_id, check_in, check_out, worked_hours, in_mode, out_mode,
                                   create_date, write_date)
        SELECT e.id,
               d + CASE WHEN random() < 0.05 THEN interval '8 hours 20 minutes'
                        ELSE interval '7 hours 55 minutes' END,
               d + CASE WHEN random() < 0.05 THEN interval '16 hours' ELSE interval '17 hours 5 minutes' END,
               9, 'manual', 'manual', now(), now()
          FROM hr_employee e
          CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 day') d
         WHERE e.company_id = %(company)s AND extract(isodow FROM d) < 6
        """,
        {"start": JUNE, "end": date(2025, 6, 30), "company": company.id},
    )
    partner = env["res.partner"].create({"name": f"Pay bench insured {tag}", "company_id": company.id})
    cr.execute(
        """
        INSERT INTO sales_visit (company_id, partner_id, user_id, visit_type, planned_date, done_date, duration,
                                 state, create_date, write_date)
        SELECT %(company)s, %(partner)s, u.id, 'call', d + interval '9 hours' + n * interval '5 minutes',
               d + interval '9 hours' + n * interval '5 minutes', 2, 'done', now(), now()
          FROM res_users u
          CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 day') d
          CROSS JOIN generate_series(1, 30) n
         WHERE u.id = ANY(%(users)s) AND extract(isodow FROM d) < 6 AND (n < 30 OR random() > 0.1)
        """,
        {"company": company.id, "partner": partner.id, "users": users.ids, "start": JUNE, "end": date(2025, 6, 30)},
    )
    Kpi = env["sales.kpi"]
    units = Kpi.create(
        {"code": f"RBU_{tag}", "name": "Units", "source": "manual", "unit": "quantity", "company_id": company.id}
    )
    premium = Kpi.create(
        {"code": f"RBP_{tag}", "name": "Premium", "source": "manual", "unit": "amount", "company_id": company.id}
    )
    env["sales.kpi.manual.value"].create(
        [
            {"kpi_id": kpi.id, "user_id": u.id, "month": JUNE, "value": value}
            for i, u in enumerate(users)
            for kpi, value in ((units, 8 + i % 6), (premium, 20000 + (i % 7) * 10000))
        ]
    )
    env["sales.scorecard.template"].create(
        {
            "name": f"Pay bench {tag}",
            "company_id": company.id,
            "is_default": True,
            "kpi_weight": 0,
            "daily_work_weight": 70,
            "attendance_weight": 30,
            "line_ids": [(0, 0, {"line_type": "rubric", "name": "Calls quality", "points": 100})],
        }
    )
    env["sales.pay.standard"].create(
        {"company_id": company.id, "role_id": role.id, "amount": 5000, "date_from": date(2025, 1, 1)}
    )
    Rule = env["sales.incentive.rule"]
    common = {"company_id": company.id, "role_ids": [(6, 0, role.ids)]}
    Rule.create(
        [
            dict(
                common,
                name="calls",
                period="day",
                measure="calls",
                operator="<",
                threshold=30,
                measure2="call_minutes",
                threshold2=50,
                amount=-50,
            ),
            dict(
                common,
                name="units or premium",
                measure="kpi",
                kpi_id=units.id,
                operator="<",
                threshold=10,
                measure2="kpi",
                kpi2_id=premium.id,
                threshold2=30000,
                amount=-200,
            ),
            dict(
                common,
                name="premium bonus",
                measure="kpi",
                kpi_id=premium.id,
                operator=">=",
                threshold=30000,
                amount_type="per_step",
                step=30000,
                amount=200,
            ),
            dict(
                common,
                name="lateness",
                period="day",
                measure="lateness",
                operator=">=",
                threshold=1,
                amount_type="per_unit",
                amount=-30,
                escalate_from=3,
                escalated_amount=-50,
            ),
            dict(
                common,
                name="improper language",
                measure="complaints",
                complaint_category="improper_language",
                operator=">=",
                threshold=1,
                amount_type="per_unit",
                amount=-100,
            ),
        ]
    )
    Scorecard = env["sales.scorecard"].sudo()
    for month in (JUNE, JULY):
        Scorecard._sales_generate(company, month)
    env.flush_all()
    cr.execute("UPDATE sales_scorecard SET state = 'approved' WHERE company_id = %s", [company.id])
    env.invalidate_all()
    return env, company, premium, users


def timed(label, func):
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    print(f"  {label:<40} {elapsed:8.3f} s", flush=True)
    return value, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--refunds", type=int, default=1000)
    args = parser.parse_args()
    registry = open_registry(args.db)
    misses = []
    with registry.cursor() as cr:
        from odoo import SUPERUSER_ID, api

        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            print(f"building {args.members} members, a month of calls and attendances", flush=True)
            env, company, premium, users = build(env, args.members)
            Run = env["sales.pay.run"].sudo()
            queries = cr.sql_log_count
            run, elapsed = timed("pay run of the month", lambda: (Run._pay_run(company, JUNE), env.flush_all())[0])
            queries = cr.sql_log_count - queries
            print(
                f"  {run.member_count} members, {len(run.line_ids)} lines, total {run.total_amount:,.2f}, "
                f"{queries} queries (with the line inserts)"
            )
            env.invalidate_all()
            queries = cr.sql_log_count
            Run._pay_compute(company, JUNE)
            print(f"  computing the lines alone: {cr.sql_log_count - queries} queries")
            if elapsed > TARGETS["pay run of the month"]:
                misses.append("pay run of the month")
            run.write({"state": "approved"})
            values = env["sales.kpi.manual.value"].search(
                [("kpi_id", "=", premium.id), ("month", "=", JUNE)], limit=args.refunds, order="id"
            )
            for value in values:
                value.value -= 10000  # a refund of 10,000 premium
            env.flush_all()
            env.invalidate_all()
            july, elapsed = timed(
                "correction run after the refunds", lambda: (Run._pay_run(company, JULY), env.flush_all())[0]
            )
            print(
                f"  {len(values)} refunds: {july.correction_count} correction lines, "
                f"{sum(july.line_ids.filtered(lambda line: line.line_type == 'correction').mapped('amount')):,.2f}"
            )
            if elapsed > TARGETS["correction run after the refunds"]:
                misses.append("correction run after the refunds")
        finally:
            cr.rollback()
    if misses:
        print("MISSED:", ", ".join(misses))
        sys.exit(1)
    print("all targets met")


if __name__ == "__main__":
    main()
