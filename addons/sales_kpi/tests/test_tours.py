# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_team_mgmt.tests.common_tours import SalesTourCase


@tagged("post_install", "-at_install")
class TestSalesKpiTours(SalesTourCase):
    """Browser tours (static/tests/tours/sales_kpi_tours.js) on their own KPI and teams."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi_manager = new_test_user(
            cls.env,
            login="kpi_tour_manager",
            groups="sales_team.group_sale_salesman,sales_kpi.group_sales_kpi_manager",
        )
        Team = cls.env["crm.team"].with_context(default_company_id=cls.env.company.id)
        cls.top = Team.create({"name": "Tour KPI Top"})
        cls.north = Team.create({"name": "Tour KPI North", "parent_id": cls.top.id})
        cls.south = Team.create({"name": "Tour KPI South", "parent_id": cls.top.id})
        cls.kpi = cls.env["sales.kpi"].create(
            {"code": "TOUR_SALES", "name": "Tour Sales", "source": "sales", "unit": "amount"}
        )

    def test_target_plan(self):
        """Allocate, check and publish a plan in the browser."""
        plan = self.env["sales.kpi.target.plan"].create(
            {
                "name": "Tour Plan",
                "kpi_id": self.kpi.id,
                "fiscal_year": 2031,
                "root_team_id": self.top.id,
                "root_value": 1200.0,
                "owner_method": "equal",
                "period_method": "equal",
                "include_members": False,
            }
        )

        self.start_tour(
            "/odoo/action-sales_kpi.action_sales_kpi_target_plan", "sales_kpi_target_plan", login=self.kpi_manager.login
        )

        plan.invalidate_recordset()
        self.assertRecordValues(plan, [{"state": "published", "smart_errors": "All checks passed.", "line_count": 51}])
        years = plan.year_line_ids.sorted(lambda line: line.team_id.name)
        self.assertEqual(years.mapped("team_id"), self.north | self.south | self.top)
        self.assertEqual(years.mapped("target"), [600.0, 600.0, 1200.0])
        months = plan.line_ids.filtered(lambda line: line.period_type == "month")
        self.assertEqual(set(months.mapped("target")), {50.0, 100.0})
