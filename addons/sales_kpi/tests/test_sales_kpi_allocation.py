# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import date, datetime

import psycopg2

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SalesKpiCommon


@tagged("post_install", "-at_install")
class TestSalesKpiAllocation(SalesKpiCommon):
    def _plan(self, **vals):
        values = {
            "name": "KPI test plan",
            "kpi_id": self.kpis["sales"].id,
            "fiscal_year": 2025,
            "root_team_id": self.top.id,
            "root_value": 1000.01,
            "owner_method": "prior_year",
            "period_method": "seasonality",
        }
        values.update(vals)
        plan = self.env["sales.kpi.target.plan"].create(values)
        plan.action_allocate()
        return plan

    def _line(self, plan, owner, period):
        field = "user_id" if owner._name == "res.users" else "team_id"
        lines = plan.line_ids.filtered(lambda line: line[field] == owner and line.period_label == period)
        if field == "team_id":
            lines = lines.filtered(lambda line: line.owner_type == "team")
        self.assertEqual(len(lines), 1, f"{owner.name} {period}")
        return lines

    def assertExactSums(self, plan):
        """Every group of children sums exactly (in cents) to its parent."""
        sums = defaultdict(int)
        for line in plan.line_ids.filtered("parent_id"):
            sums[(line.parent_id, line.split_kind)] += round(line.target * 100)
        self.assertTrue(sums)
        for (parent, kind), total in sums.items():
            self.assertEqual(total, round(parent.target * 100), f"{parent.display_name} {kind}")
        # each owner has a year, 4 quarters and 12 months
        owners = {(line.owner_type, line.team_id, line.user_id) for line in plan.line_ids}
        self.assertEqual(len(plan.line_ids), 17 * len(owners))

    def test_prior_year_share_and_seasonality(self):
        plan = self._plan()
        self.assertExactSums(plan)
        # Top -> North (2024: 1,100) and South (0); North -> East (900) and West (200)
        self.assertAlmostEqual(self._line(plan, self.north, "2025").target, 1000.01)
        self.assertAlmostEqual(self._line(plan, self.south, "2025").target, 0.0)
        self.assertAlmostEqual(self._line(plan, self.east, "2025").target, 818.19)  # 818.18 + 1 cent remainder
        self.assertAlmostEqual(self._line(plan, self.west, "2025").target, 181.82)
        self.assertAlmostEqual(self._line(plan, self.u1, "2025").target, 818.19)
        self.assertAlmostEqual(self._line(plan, self.u2, "2025").target, 0.0)
        self.assertEqual(self._line(plan, self.u1, "2025").method, "prior_year")
        self.assertAlmostEqual(self._line(plan, self.u1, "2025").prior_value, 900.0)
        # Seasonality: the 2024 profile of the top team, 900 in March and 200 in May.
        self.assertAlmostEqual(self._line(plan, self.u1, "2025-Q1").target, 669.43)
        self.assertAlmostEqual(self._line(plan, self.u1, "2025-Q2").target, 148.76)
        self.assertAlmostEqual(self._line(plan, self.u1, "2025-03").target, 669.43)
        self.assertAlmostEqual(self._line(plan, self.u1, "2025-05").target, 148.76)
        self.assertAlmostEqual(self._line(plan, self.u1, "2025-01").target, 0.0)

    def test_equal_split_of_an_amount_that_does_not_divide(self):
        plan = self._plan(root_value=100.0, owner_method="equal", period_method="equal")
        self.assertExactSums(plan)
        self.assertAlmostEqual(self._line(plan, self.north, "2025").target, 50.0)
        self.assertAlmostEqual(self._line(plan, self.east, "2025").target, 25.0)
        self.assertAlmostEqual(self._line(plan, self.u1, "2025").target, 12.5)
        # 1,250 cents over 4 quarters: 312 each, the 2 cents left go to the first largest share
        self.assertAlmostEqual(self._line(plan, self.u1, "2025-Q1").target, 3.14)
        self.assertAlmostEqual(self._line(plan, self.u1, "2025-Q2").target, 3.12)
        # 314 cents over 3 months
        self.assertAlmostEqual(self._line(plan, self.u1, "2025-01").target, 1.06)
        self.assertAlmostEqual(self._line(plan, self.u1, "2025-02").target, 1.04)
        # counts split in whole units
        orders = self._plan(kpi_id=self.kpis["orders"].id, root_value=10, owner_method="equal", period_method="equal")
        self.assertExactSums(orders)
        self.assertEqual(self._line(orders, self.u1, "2025").target, 2.0)  # 10 -> 5 -> 3/2 -> 2/1
        self.assertEqual(self._line(orders, self.u1, "2025-Q1").target, 2.0)
        self.assertTrue(all(line.target == int(line.target) for line in orders.line_ids))

    def test_zero_history_falls_back_to_equal(self):
        plan = self._plan(root_team_id=self.south.id, root_value=600.0, period_method="prior_year")
        self.assertExactSums(plan)
        line = self._line(plan, self.u4, "2025")
        self.assertRecordValues(line, [{"target": 600.0, "method": "equal", "fallback": True}])
        self.assertRecordValues(
            self._line(plan, self.u4, "2025-Q3"), [{"target": 150.0, "method": "equal", "fallback": True}]
        )
        self.assertAlmostEqual(self._line(plan, self.u4, "2025-08").target, 50.0)

    def test_manual_children_cannot_exceed_parent(self):
        plan = self._plan(root_value=1000.0, owner_method="manual", period_method="equal")
        north = self._line(plan, self.north, "2025")
        south = self._line(plan, self.south, "2025")
        self.assertEqual((north.target, south.target), (0.0, 0.0))
        with self.assertRaises(ValidationError) as error:
            north.target = 1200.0
        self.assertIn("exceed", str(error.exception))
        self.assertEqual(north.target, 0.0, "nothing written")
        plan.write(
            {"line_ids": [Command.update(north.id, {"target": 700.0}), Command.update(south.id, {"target": 300.0})]}
        )
        north.action_allocate_children()
        self.assertAlmostEqual(self._line(plan, self.north, "2025-Q1").target, 175.0)
        with self.assertRaises(ValidationError):
            north.target = -5.0
        with self.assertRaises(ValidationError) as error:
            north.write({"target": "a lot"})
        self.assertIn("must be a number", str(error.exception))
        self.assertEqual(north.target, 700.0)
        with self.assertRaises(UserError):
            self._plan(root_value=0.0)

    def test_bottom_up_proposals(self):
        plan = self._plan(root_team_id=self.east.id, root_value=1000.0, owner_method="equal", period_method="equal")
        u1_line = self._line(plan, self.u1, "2025")
        u2_line = self._line(plan, self.u2, "2025")
        u1_line.with_user(self.u1).write({"proposed_target": 300.0, "proposal_note": "market is slow"})
        u2_line.with_user(self.u2).write({"proposed_target": 900.0})
        with self.assertRaises(UserError):
            u1_line.with_user(self.u1).write({"target": 5000.0})
        with self.assertRaises(UserError):
            u2_line.with_user(self.u1).write({"proposed_target": 1.0})
        self._line(plan, self.east, "2025").with_user(self.kpi_manager).action_apply_proposals()
        self.assertRecordValues(
            u1_line | u2_line, [{"target": 250.0, "method": "proposal"}, {"target": 750.0, "method": "proposal"}]
        )
        self.assertExactSums(plan)
        self.assertAlmostEqual(self._line(plan, self.u2, "2025-Q4").target, 187.5)

    def test_leaders_adjust_their_teams_targets(self):
        """The leader of North (a KPI user, not a manager) applies the
        proposals of the members of East, adjusts the split between East and
        West, and nothing above or beside their teams."""
        leader = new_test_user(
            self.env, login="kpi_t_leader", groups="sales_team.group_sale_salesman,sales_kpi.group_sales_kpi_user"
        )
        self.north.user_id = leader
        plan = self._plan(root_value=1000.0, owner_method="equal", period_method="equal")
        north, east, west = (self._line(plan, team, "2025") for team in (self.north, self.east, self.west))
        u1_line, u2_line = self._line(plan, self.u1, "2025"), self._line(plan, self.u2, "2025")
        self.assertRecordValues(
            (north | east | west).with_user(leader),
            [
                {"can_adjust": False, "can_allocate": True},
                {"can_adjust": True, "can_allocate": True},
                {"can_adjust": True, "can_allocate": True},
            ],
        )
        # the members propose, the leader applies their proposals
        u1_line.with_user(self.u1).write({"proposed_target": 100.0})
        u2_line.with_user(self.u2).write({"proposed_target": 300.0})
        east.with_user(leader).action_apply_proposals()
        self.assertRecordValues(u1_line | u2_line, [{"target": 62.5}, {"target": 187.5}])
        # the leader moves target from West to East (West first: the children of North never exceed it)
        west.with_user(leader).write({"target": 100.0, "justification": "West lost its key account"})
        east.with_user(leader).write({"target": 400.0})
        east.with_user(leader).action_apply_proposals()
        self.assertRecordValues(u1_line | u2_line, [{"target": 100.0}, {"target": 300.0}])
        self.assertAlmostEqual(self._line(plan, self.u2, "2025-Q1").target, 75.0)
        west.with_user(leader).action_allocate_children()
        self.assertEqual(self._line(plan, self.u3, "2025").target, 100.0)
        self.assertAlmostEqual(self._line(plan, self.u3, "2025-Q1").target, 25.0)
        self.assertExactSums(plan)
        # above their teams, beside them, and beyond the parent: refused, nothing written
        for line, vals in (
            (north, {"target": 900.0}),
            (self._line(plan, self.south, "2025"), {"target": 1.0}),
            (east, {"team_id": self.west.id}),
        ):
            with self.assertRaises(UserError), self.cr.savepoint():
                line.with_user(leader).write(vals)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            east.with_user(leader).write({"target": 600.0})
        with self.assertRaises(UserError):
            self._line(plan, self.top, "2025").with_user(leader).action_allocate_children()
        self.assertRecordValues(north | east | west, [{"target": 500.0}, {"target": 400.0}, {"target": 100.0}])
        # a member without a team to lead adjusts nothing, not even their own target
        self.assertFalse(u1_line.with_user(self.u1).can_adjust)
        with self.assertRaises(UserError):
            u1_line.with_user(self.u1).write({"target": 1.0})
        # the context key of earlier versions skips no check any more
        with self.assertRaises(ValidationError), self.cr.savepoint():
            east.with_user(leader).with_context(sales_kpi_allocating=True).write({"target": 600.0})

    def test_smart_checks_and_states(self):
        kpi = self.kpis["sales"]
        kpi.role_ids = self.role_csr
        plan = self._plan(root_team_id=self.east.id, root_value=3000.0, owner_method="equal", period_method="equal")
        Line = self.env["sales.kpi.target.line"]
        stray = Line.create(
            [
                {
                    "plan_id": plan.id,
                    "owner_type": "team",
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 12, 31),
                    "target": 10.0,
                },
                {
                    "plan_id": plan.id,
                    "owner_type": "team",
                    "team_id": self.west.id,
                    "date_from": date(2025, 1, 1),
                    "target": 10.0,
                },
                {
                    "plan_id": plan.id,
                    "owner_type": "team",
                    "team_id": self.west.id,
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 12, 31),
                    "target": 0.0,
                },
            ]
        )
        with self.assertRaises(ValidationError) as error:
            plan.action_publish()
        message = str(error.exception)
        self.assertIn("the owner is not set", message)
        self.assertIn("the period has no valid end date", message)
        self.assertIn("the target must be above zero", message)
        self.assertIn("needs a written justification", message)  # u1: 1,500 vs 900 last year
        self.assertIn("is not enabled for the role [KPIREP] KPI Rep", message)
        self.assertEqual(plan.state, "draft")
        plan.action_check()
        self.assertIn("needs a written justification", plan.smart_errors)
        stray.unlink()
        plan.line_ids.filtered(lambda line: line.growth > 50).write({"justification": "New key account"})
        kpi.role_ids = self.role_rep | self.role_csr
        plan.action_check()
        plan.action_publish()
        self.assertEqual(plan.state, "published")
        # The chatter tells who allocated and checked (the state's tracking who published).
        bodies = [str(message.body) for message in plan.message_ids]
        self.assertTrue(
            any(
                f"Allocated by {self.env.user.name}: 3,000.00 over {len(plan.year_line_ids)} owners" in body
                for body in bodies
            ),
            bodies,
        )
        self.assertTrue(any("problems found." in body for body in bodies), "the first check found problems")
        self.assertIn(f"Checked by {self.env.user.name}: All checks passed.", bodies[0], bodies)
        with self.assertRaises(UserError):
            self._line(plan, self.u1, "2025").target = 1.0
        # plan completion reads the published targets: March target 1,500 / 12 = 125
        completion = self.env["sales.kpi"].create(
            {
                "code": "KPIT_COMPLETION",
                "name": "Completion",
                "source": "plan_completion",
                "unit": "percent",
                "base_kpi_id": kpi.id,
            }
        )
        values = self.values(completion, "user", self.u1 | self.u2, ["2025-03", "2025"])
        self.assertAlmostEqual(values[(self.u1.id, "2025-03")], 760 / 125 * 100)
        self.assertAlmostEqual(values[(self.u2.id, "2025")], 500 / 1500 * 100, places=3)
        team = self.values(completion, "team", self.east, ["2025"])
        self.assertAlmostEqual(team[(self.east.id, "2025")], 1260 / 3000 * 100, places=3)
        plan.action_lock()
        for action in (plan.action_reset_draft, plan.action_allocate, plan.unlink):
            with self.assertRaises(UserError):
                action()
        with self.assertRaises(UserError):
            plan.root_value = 1.0
        self.assertEqual(plan.state, "locked")

    def test_targets_vs_actuals_report(self):
        plan = self._plan(root_team_id=self.east.id, root_value=1200.0, owner_method="equal", period_method="equal")
        self.env.flush_all()
        report = self.env["sales.kpi.target.report"].search(
            [("plan_id", "=", plan.id), ("owner_type", "=", "team"), ("month", "=", "2025-03-01")]
        )
        # East is split into its members: its row holds its remainder, the owner's figures its whole month.
        self.assertRecordValues(
            report, [{"owner_target": 100.0, "owner_actual": 1260.0, "target": 0.0, "actual": 0.0, "is_leaf": False}]
        )
        members = self.env["sales.kpi.target.report"].search(
            [("plan_id", "=", plan.id), ("owner_type", "=", "user"), ("month", "=", "2025-03-01")]
        )
        self.assertAlmostEqual(sum(members.mapped("target")), 100.0)
        self.assertAlmostEqual(sum(members.mapped("actual")), 1260.0)

    def test_report_actuals_match_the_kpi_engine(self):
        """Every month row of the report (teams with their subtrees, members)
        shows what the KPI engine computes for that owner and month;
        a KPI the facts do not carry shows 0."""
        plan = self._plan(include_members=True)
        self.env.flush_all()
        rows = self.env["sales.kpi.target.report"].search([("plan_id", "=", plan.id)])
        self.assertEqual(len(rows), len(plan.line_ids.filtered(lambda line: line.period_type == "month")))
        months = [f"2025-{month:02d}" for month in range(1, 13)]
        kpi = self.kpis["sales"]
        teams = rows.filtered(lambda row: row.owner_type == "team").team_id
        users = rows.filtered(lambda row: row.owner_type == "user").user_id
        self.assertTrue(teams and users)
        expected = {("team", key): value for key, value in self.values(kpi, "team", teams, months).items()}
        expected.update({("user", key): value for key, value in self.values(kpi, "user", users, months).items()})
        with_sales = 0
        for row in rows:
            month = f"{row.month:%Y-%m}"
            owner = row.user_id if row.owner_type == "user" else row.team_id
            value = expected[(row.owner_type, (owner.id, month))]
            self.assertAlmostEqual(row.owner_actual, value, places=2, msg=f"{owner.name} {month}")
            self.assertAlmostEqual(row.gap, row.actual - row.target, places=2)
            with_sales += bool(value)
        self.assertGreater(with_sales, 3)
        # a plan without a root team: the company's months, every team and none
        plan_company = self._plan(root_team_id=False, owner_method="equal", period_method="equal")
        self.env.flush_all()
        rows = self.env["sales.kpi.target.report"].search(
            [("plan_id", "=", plan_company.id), ("owner_type", "=", "company")]
        )
        self.assertEqual(len(rows), 12)
        self.env.cr.execute(
            "SELECT to_char(month, 'YYYY-MM'), SUM(amount_sale) FROM sales_kpi_fact"
            " WHERE company_id = %s AND month >= '2025-01-01' AND month < '2026-01-01' GROUP BY 1",
            [self.company_a.id],
        )
        company_sales = dict(self.env.cr.fetchall())
        self.assertTrue(company_sales)
        for row in rows:
            self.assertAlmostEqual(row.owner_actual, float(company_sales.get(f"{row.month:%Y-%m}", 0.0)), places=2)
        # a KPI read elsewhere than the facts: its actuals are stored with the plan,
        # as the KPI engine computes them (issue 14: they showed 0), the gap follows
        other = self.env["sales.kpi"].create(
            {"code": "KPI_REPORT_CUSTOMERS", "name": "New customers", "source": "new_customers", "unit": "count"}
        )
        plan_other = self._plan(kpi_id=other.id, root_value=12.0, owner_method="equal", period_method="equal")
        self.env.flush_all()
        rows = self.env["sales.kpi.target.report"].search([("plan_id", "=", plan_other.id)])
        self.assertTrue(rows)
        teams = rows.filtered(lambda row: row.owner_type == "team").team_id
        users = rows.filtered(lambda row: row.owner_type == "user").user_id
        expected = {("team", key): value for key, value in self.values(other, "team", teams, months).items()}
        expected.update({("user", key): value for key, value in self.values(other, "user", users, months).items()})
        for row in rows:
            owner = row.user_id if row.owner_type == "user" else row.team_id
            self.assertEqual(row.owner_actual, expected[(row.owner_type, (owner.id, f"{row.month:%Y-%m}"))])
        self.assertEqual([row.gap for row in rows], [row.actual - row.target for row in rows])
        # C2 (u2) and C4 (u1) are new in March 2025, in East (and North and Top above it)
        march = rows.filtered(lambda row: row.month == date(2025, 3, 1))
        self.assertEqual(
            {(row.user_id.login or row.team_id.name, row.owner_actual) for row in march if row.owner_actual},
            {("KPI Top", 2.0), ("KPI North", 2.0), ("KPI East", 2.0), ("kpi_t_u1", 1.0), ("kpi_t_u2", 1.0)},
        )
        # Each new customer counts once in the rows' own parts.
        self.assertEqual(sum(march.mapped("actual")), 2.0)

    def test_prior_year_share_over_quarters_and_months(self):
        """Uneven 2024 history (with O1 and O4 of the common data), in cents:
          u1/East: January 100, March 900, August 300 (1,300)
          u2/East: November 200; u3/West: May 200; u4/South: none
        so East 1,500, West 200, North and Top 1,700, South 0."""
        self._order(self.u1, self.east, self.c1, datetime(2024, 1, 20, 10), [(self.p1, 1, 100)])
        self._order(self.u1, self.east, self.c1, datetime(2024, 8, 5, 10), [(self.p2, 6, 50)])
        self._order(self.u2, self.east, self.c2, datetime(2024, 11, 10, 10), [(self.p2, 4, 50)])
        self.env["sales.kpi.fact"].rebuild("2024-01-01", "2024-12-31")
        plan = self._plan(root_value=1000.0, period_method="prior_year")
        self.assertExactSums(plan)
        # Top 100,000 -> North 100,000 (South has no history)
        # North -> East 100,000 x 1,500 / 1,700 = 88,235 + 1 remainder, West 11,764
        # East -> u1 88,236 x 1,300 / 1,500 = 76,471 + 1 remainder, u2 11,764
        expected = {
            (self.top, "2025"): 1000.0,
            (self.north, "2025"): 1000.0,
            (self.south, "2025"): 0.0,
            (self.east, "2025"): 882.36,
            (self.west, "2025"): 117.64,
            (self.u1, "2025"): 764.72,
            (self.u2, "2025"): 117.64,
            (self.u3, "2025"): 117.64,
            # Top by its quarters (1,000, 200, 300, 200 of 1,700): 58,823 + 2, 11,764, 17,647, 11,764
            (self.top, "2025-Q1"): 588.25,
            (self.top, "2025-Q2"): 117.64,
            (self.top, "2025-Q3"): 176.47,
            (self.top, "2025-Q4"): 117.64,
            # East (1,000, 0, 300, 200 of 1,500): 58,824 + 1, 0, 17,647, 11,764
            (self.east, "2025-Q1"): 588.25,
            (self.east, "2025-Q2"): 0.0,
            (self.east, "2025-Q3"): 176.47,
            (self.east, "2025-Q4"): 117.64,
            # u1 (1,000, 0, 300, 0 of 1,300): 58,824 + 1, 0, 17,647, 0
            (self.u1, "2025-Q1"): 588.25,
            (self.u1, "2025-Q2"): 0.0,
            (self.u1, "2025-Q3"): 176.47,
            (self.u1, "2025-Q4"): 0.0,
            # u1's first quarter (100, 0, 900 of 1,000): 5,882, 0, 52,942 + 1
            (self.u1, "2025-01"): 58.82,
            (self.u1, "2025-02"): 0.0,
            (self.u1, "2025-03"): 529.43,
            (self.u1, "2025-07"): 0.0,
            (self.u1, "2025-08"): 176.47,
            (self.u2, "2025-Q4"): 117.64,
            (self.u2, "2025-11"): 117.64,
            (self.u2, "2025-03"): 0.0,
            (self.u3, "2025-05"): 117.64,
            (self.west, "2025-05"): 117.64,
            (self.east, "2025-11"): 117.64,
        }
        for (owner, period), target in expected.items():
            self.assertAlmostEqual(self._line(plan, owner, period).target, target, msg=f"{owner.name} {period}")
        self.assertRecordValues(
            self._line(plan, self.u1, "2025-Q1") | self._line(plan, self.u1, "2025-03"),
            [
                {"method": "prior_year", "fallback": False, "prior_value": 1000.0},
                {"method": "prior_year", "fallback": False, "prior_value": 900.0},
            ],
        )
        # a period without history and without target: equal parts of nothing
        self.assertRecordValues(self._line(plan, self.u1, "2025-05"), [{"target": 0.0, "fallback": True}])

    def test_manual_period_split(self):
        plan = self._plan(root_team_id=self.east.id, root_value=1200.0, owner_method="equal", period_method="manual")
        u1_year = self._line(plan, self.u1, "2025")
        self.assertEqual(u1_year.target, 600.0)
        quarters = [self._line(plan, self.u1, f"2025-Q{q}") for q in range(1, 5)]
        self.assertEqual([(q.target, q.method) for q in quarters], [(0.0, "manual")] * 4)
        self.assertEqual(self._line(plan, self.u1, "2025-03").method, "manual")
        for quarter, target in zip(quarters, (100.0, 200.0, 150.0, 150.0), strict=True):
            quarter.target = target
        with self.assertRaises(ValidationError) as error:
            quarters[3].target = 151.0
        self.assertIn("exceed their parent", str(error.exception))
        self.assertEqual(quarters[3].target, 150.0)
        # re-splitting keeps manual children as entered
        u1_year.action_allocate_children()
        self.assertEqual([q.target for q in quarters], [100.0, 200.0, 150.0, 150.0])
        self.assertEqual(self._line(plan, self.u1, "2025-01").target, 0.0)
        # the months are still to be entered: publishing names each gap
        with self.assertRaises(ValidationError) as error:
            plan.action_publish()
        self.assertIn(
            f"{self._line(plan, self.u1, '2025-Q1').display_name}: its calendar targets sum to 0.0 instead of 100.0.",
            str(error.exception),
        )
        self.assertEqual(plan.state, "draft")

    def test_under_allocated_plan_refused_at_publish(self):
        plan = self._plan(root_team_id=self.east.id, root_value=1000.0, owner_method="manual", period_method="equal")
        east = self._line(plan, self.east, "2025")
        self._line(plan, self.u1, "2025").target = 500.0
        self._line(plan, self.u2, "2025").target = 400.0
        east.action_allocate_children()
        self.assertAlmostEqual(self._line(plan, self.u2, "2025-Q2").target, 100.0)
        with self.assertRaises(ValidationError) as error:
            plan.action_publish()
        self.assertEqual(
            str(error.exception),
            "The plan KPI test plan cannot be published, 1 SMART check(s) failed:\n"
            f"- {east.display_name}: its organisation targets sum to 900.0 instead of 1000.0.",
        )
        self.assertEqual(plan.state, "draft")
        self._line(plan, self.u2, "2025").target = 500.0
        east.action_allocate_children()
        plan.action_publish()
        self.assertEqual(plan.state, "published")

    def test_plan_without_lines_refused_at_publish(self):
        plan = self.env["sales.kpi.target.plan"].create(
            {"name": "KPI empty plan", "kpi_id": self.kpis["sales"].id, "fiscal_year": 2025, "root_value": 10.0}
        )
        with self.assertRaises(ValidationError) as error:
            plan.action_publish()
        self.assertIn("The plan has no target lines: allocate it first.", str(error.exception))
        self.assertEqual(plan.state, "draft")

    def test_one_published_plan_per_kpi_company_and_year(self):
        vals = {"root_team_id": self.east.id, "root_value": 1200.0, "owner_method": "equal", "period_method": "equal"}
        first = self._plan(name="KPI plan A", **vals)
        second = self._plan(name="KPI plan B", **vals)
        other_year = self._plan(name="KPI plan 2026", fiscal_year=2026, **vals)
        with self.assertRaises(UserError) as error:
            (first | second).action_publish()
        self.assertIn("Only one plan per KPI, company and fiscal year can be published", str(error.exception))
        self.assertIn("KPI plan A, KPI plan B", str(error.exception))
        self.assertEqual((first | second).mapped("state"), ["draft", "draft"])
        first.action_publish()
        with self.assertRaises(UserError) as error:
            second.action_publish()
        self.assertIn("KPI plan A, KPI plan B", str(error.exception))
        self.assertEqual(second.state, "draft")
        first.action_lock()
        with self.assertRaises(UserError):
            second.action_publish()
        other_year.action_publish()
        self.assertEqual(other_year.state, "published")
        # the database refuses it too (two managers publishing at the same time)
        with self.assertRaises(psycopg2.errors.ExclusionViolation), mute_logger("odoo.sql_db"):
            self.env.cr.execute("UPDATE sales_kpi_target_plan SET state = 'published' WHERE id = %s", [second.id])
        # once the first is reset to draft (from published), the second may be published
        third = self._plan(name="KPI plan C", fiscal_year=2027, **vals)
        fourth = self._plan(name="KPI plan D", fiscal_year=2027, **vals)
        third.action_publish()
        third.action_reset_draft()
        fourth.action_publish()
        self.assertEqual((third | fourth).mapped("state"), ["draft", "published"])

    def test_nan_and_infinite_targets_refused(self):
        Plan = self.env["sales.kpi.target.plan"]
        for bad in (float("nan"), float("inf"), float("-inf"), 10**400):
            with self.assertRaises(ValidationError) as error:
                self._plan(name="KPI NaN plan", root_value=bad)
            self.assertIn("The target must be a number, not", str(error.exception))
        self.assertFalse(Plan.search([("name", "=", "KPI NaN plan")]))
        plan = self._plan(root_team_id=self.east.id, root_value=1200.0, owner_method="equal", period_method="equal")
        with self.assertRaises(ValidationError):
            plan.root_value = float("nan")
        self.assertEqual(plan.root_value, 1200.0)
        line = self._line(plan, self.u1, "2025")
        for field_name in ("target", "proposed_target"):
            for bad in (float("nan"), float("inf")):
                with self.assertRaises(ValidationError) as error:
                    line.write({field_name: bad})
                self.assertIn("The target must be a number, not", str(error.exception))
        self.assertRecordValues(line, [{"target": 600.0, "proposed_target": 0.0}])

    def test_every_smart_failure_listed(self):
        # only the top team's own lines get a target: 8 owners x 17 lines at zero,
        # and the top team's year not split between its sub-teams
        plan = self._plan(root_value=1000.0, owner_method="manual", period_method="equal")
        with self.assertRaises(ValidationError) as error:
            plan.action_publish()
        message = str(error.exception)
        self.assertIn("137 SMART check(s) failed", message)
        self.assertEqual(message.count("\n- "), 50, "the message stays readable")
        self.assertIn("... and 87 more: use Check to list them all.", message)
        self.assertNotIn("its organisation targets sum to", message)
        plan.action_check()
        self.assertEqual(plan.smart_errors.count("- "), 137)
        self.assertIn("KPI Top 2025: its organisation targets sum to 0.0 instead of 1000.0.", plan.smart_errors)
