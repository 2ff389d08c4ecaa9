# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_team_mgmt.tests.menu_check import open_menus

from .common import SalesKpiCommon


@tagged("post_install", "-at_install")
class TestSalesKpiSecurity(SalesKpiCommon):
    """Who reads which facts, targets, targets-vs-actuals rows and manual values:
    users their own and those of the teams they lead (with sub-teams), users of
    all data everyone's in their companies, managers everyone's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.planner = new_test_user(
            cls.env, login="kpi_t_planner", groups="sales_team.group_sale_salesman,sales_kpi.group_sales_kpi_user_all"
        )
        cls.plan = cls.env["sales.kpi.target.plan"].create(
            {
                "name": "KPI security plan",
                "kpi_id": cls.kpis["sales"].id,
                "fiscal_year": 2025,
                "root_team_id": cls.top.id,
                "root_value": 1200.0,
                "owner_method": "equal",
                "period_method": "equal",
            }
        )
        cls.plan.action_allocate()
        cls.manual_kpi = cls.env["sales.kpi"].create({"code": "SEC_MANUAL", "name": "Manual", "source": "manual"})
        cls.env["sales.kpi.manual.value"].create(
            [
                {"kpi_id": cls.manual_kpi.id, "month": date(2025, 3, 1), "user_id": user.id, "value": value}
                for user, value in ((cls.u1, 1.0), (cls.u2, 2.0), (cls.u3, 3.0), (cls.u4, 4.0))
            ]
        )

    def _read(self, user, model, fields=("user_id", "team_id")):
        """What ``user`` reads of ``model`` (company A; of targets, this test's plan),
        as ``search_read`` would."""
        domain = [("company_id", "=", self.company_a.id)]
        if model in ("sales.kpi.target.line", "sales.kpi.target.report"):
            domain.append(("plan_id", "=", self.plan.id))
        if model == "sales.kpi.manual.value":
            domain.append(("kpi_id", "=", self.manual_kpi.id))
        return self.env[model].with_user(user).search_read(domain, list(fields))

    def _owners(self, rows):
        return {row["user_id"] and row["user_id"][0] for row in rows}

    def test_team_targets_button(self):
        """The team form's Targets button counts the yearly targets of the team
        and its members in published plans, as the user reads them."""
        east, west = self.east, self.west
        self.assertEqual((east | west).mapped("sales_kpi_target_count"), [0, 0], "a draft plan shows no target")
        self.plan.action_publish()
        (east | west).invalidate_recordset(["sales_kpi_target_count"])
        # east: its own target and those of its members u1 and u2
        self.assertEqual((east | west).mapped("sales_kpi_target_count"), [3, 2])
        # a rep counts what he reads: his own target only
        self.assertEqual(west.with_user(self.u3).sales_kpi_target_count, 1)
        action = east.action_sales_kpi_view_targets()
        lines = self.env["sales.kpi.target.line"].search(action["domain"] + [("period_type", "=", "year")])
        self.assertEqual(set(lines.mapped("owner_type")), {"team", "user"})
        self.assertEqual(lines.user_id, self.u1 | self.u2)

    def test_a_rep_reads_only_their_own_rows(self):
        facts = self._read(self.u2, "sales.kpi.fact", ["user_id", "amount_sale"])
        self.assertEqual(self._owners(facts), {self.u2.id})
        self.assertAlmostEqual(sum(row["amount_sale"] for row in facts), 500.0)  # O3
        for model in ("sales.kpi.target.line", "sales.kpi.target.report", "sales.kpi.manual.value"):
            rows = self._read(self.u2, model)
            self.assertTrue(rows, model)
            self.assertEqual(self._owners(rows), {self.u2.id}, model)
        # the rep's year target is there, the team and company lines are not
        lines = (
            self.env["sales.kpi.target.line"]
            .with_user(self.u2)
            .search([("plan_id", "=", self.plan.id), ("period_type", "=", "year")])
        )
        self.assertEqual([(line.owner_type, line.target) for line in lines], [("user", 150.0)])
        # another rep's rows cannot be read by id either
        other_fact = self.env["sales.kpi.fact"].search([("user_id", "=", self.u1.id)], limit=1)
        other_line = self.plan.line_ids.filtered(lambda line: line.user_id == self.u1)[:1]
        for record in (other_fact, other_line):
            with self.assertRaises(AccessError):
                record.with_user(self.u2).read(["user_id"])
        # nor computed as KPI values
        with self.assertRaises(AccessError):
            self.kpis["sales"].with_user(self.u2).compute_values("user", [self.u1.id], ["2025-03"])

    def test_a_leader_reads_the_teams_they_lead_and_their_sub_teams(self):
        self.north.user_id = self.u2
        facts = self._read(self.u2, "sales.kpi.fact", ["user_id", "team_id", "amount_sale"])
        self.assertEqual({row["team_id"][0] for row in facts}, {self.east.id, self.west.id})
        self.assertEqual(self._owners(facts), {self.u1.id, self.u2.id, self.u3.id})
        # 2024: O1 900 + O4 200; 2025: O2 660 + O3 500 + O5 100
        self.assertAlmostEqual(sum(row["amount_sale"] for row in facts), 2360.0)
        lines = self._read(self.u2, "sales.kpi.target.line", ["team_id", "user_id", "owner_type"])
        self.assertEqual(
            {(row["owner_type"], row["team_id"][0]) for row in lines},
            {
                ("team", self.north.id),
                ("team", self.east.id),
                ("team", self.west.id),
                ("user", self.east.id),
                ("user", self.west.id),
            },
        )
        self.assertEqual(self._owners(self._read(self.u2, "sales.kpi.manual.value")), {self.u2.id})
        # the SLT member in charge of a team reads it too; leadership changes apply at once
        self.north.user_id = False
        self.assertEqual(self._owners(self._read(self.u2, "sales.kpi.fact")), {self.u2.id})
        self.south.slt_user_id = self.u2
        # False: the South team's own lines
        self.assertEqual(self._owners(self._read(self.u2, "sales.kpi.target.line")), {False, self.u2.id, self.u4.id})

    def test_all_data_users_read_everyone_but_change_nothing_of_others(self):
        Fact = self.env["sales.kpi.fact"]
        company_facts = Fact.search([("company_id", "=", self.company_a.id)])
        self.assertEqual(len(self._read(self.planner, "sales.kpi.fact")), len(company_facts))
        self.assertEqual(
            self._owners(self._read(self.planner, "sales.kpi.manual.value")),
            {self.u1.id, self.u2.id, self.u3.id, self.u4.id},
        )
        self.assertEqual(
            len(self._read(self.planner, "sales.kpi.target.line")),
            len(self.plan.line_ids),
        )
        rows = self.kpis["sales"].with_user(self.planner).compute_values("user", [self.u1.id], ["2025-03"])
        self.assertAlmostEqual(rows[0]["value"], 760.0)
        u1_line = self.plan.line_ids.filtered(lambda line: line.user_id == self.u1 and line.period_type == "year")
        with self.assertRaises(UserError):
            u1_line.with_user(self.planner).write({"proposed_target": 1.0})
        value = self.env["sales.kpi.manual.value"].search([("user_id", "=", self.u1.id)])
        with self.assertRaises(AccessError):
            value.with_user(self.planner).write({"value": 99.0})
        self.assertEqual(u1_line.proposed_target, 0.0)
        self.assertEqual(value.value, 1.0)

    def test_managers_read_and_change_every_row(self):
        self.assertEqual(
            len(self._read(self.kpi_manager, "sales.kpi.target.line")),
            len(self.plan.line_ids),
        )
        value = self.env["sales.kpi.manual.value"].search([("user_id", "=", self.u3.id)])
        value.with_user(self.kpi_manager).write({"value": 30.0})
        self.assertEqual(value.value, 30.0)

    def test_each_role_opens_its_menus(self):
        """Every Targets and KPIs menu a user sees opens for that user: views,
        default filters and the records of its list, pivot or graph."""
        self.plan.action_publish()
        # a rep: his targets, actuals, facts and scorecards; no configuration
        everyone = {
            "sales_kpi.menu_sales_kpi_target_line",
            "sales_kpi.menu_sales_kpi_target_report",
            "sales_kpi.menu_sales_kpi_fact",
            "sales_kpi.menu_sales_scorecard_my",
            "sales_kpi.menu_sales_scorecard_leaderboard",
            "sales_kpi.menu_sales_pay_line_mine",
            "sales_kpi.menu_sales_rank_history_my",
            "sales_kpi.menu_sales_promotion_proposal",
        }
        # planners (and leaders, for the plans and manual values of their teams)
        planning = {
            "sales_kpi.menu_sales_kpi_target_plan",
            "sales_kpi.menu_sales_kpi_manual_value",
        }
        everyone_planner = everyone | planning | {"sales_kpi.menu_sales_kpi_catalogue"}
        all_scorecards = {
            "sales_kpi.menu_sales_scorecard",
            "sales_kpi.menu_sales_scorecard_analysis",
            "sales_kpi.menu_sales_rank_history",
        }
        manager_only = {
            "sales_kpi.menu_sales_kpi_fact_rebuild",
            "sales_kpi.menu_sales_scorecard_generate",
            "sales_kpi.menu_sales_scorecard_template",
        }
        for user, expected in (
            (self.u3, everyone),
            (self.planner, everyone_planner | all_scorecards),
            (self.kpi_manager, everyone_planner | all_scorecards | manager_only),
        ):
            self.assertEqual(set(open_menus(self, user, "sales_kpi")), expected, user.login)
        # a team leader (Team Hierarchy) plans and enters the values of his teams
        self.u3.groups_id += self.env.ref("sales_team_mgmt.group_sales_team_mgmt_hierarchy")
        self.assertEqual(
            set(open_menus(self, self.u3, "sales_kpi")),
            everyone | planning | all_scorecards | {"sales_kpi.menu_sales_pay_team_report"},
            self.u3.login,
        )
