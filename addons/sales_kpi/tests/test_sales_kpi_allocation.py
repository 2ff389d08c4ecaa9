# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

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
        plan.action_publish()
        self.assertEqual(plan.state, "published")
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
        self.assertRecordValues(report, [{"target": 100.0, "actual": 1260.0}])
