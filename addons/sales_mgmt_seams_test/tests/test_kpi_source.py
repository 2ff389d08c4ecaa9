# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.sales_kpi.tests.common import SalesKpiCommon


@tagged("post_install", "-at_install")
class TestKpiSource(SalesKpiCommon):
    """The embargo-holds source of this module joins the KPI source registry by override alone."""

    def _held_order(self, user, team, day):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.c1.id,
                "user_id": user.id,
                "team_id": team.id,
                "date_order": day,
                "order_line": [Command.create({"product_id": self.p1.id, "product_uom_qty": 1})],
            }
        )
        order.sudo().seams_embargo_hold = True
        return order

    def test_source_is_registered_and_computed(self):
        Kpi = self.env["sales.kpi"]
        self.assertIn(("seams_embargo_holds", "Embargo Holds"), Kpi._selection_source())
        kpi = Kpi.create({"code": "EMB", "name": "Embargo holds", "source": "seams_embargo_holds"})
        self.assertEqual(kpi.unit, "count")
        with self.assertRaises(ValidationError):
            kpi.unit = "amount"
        self._held_order(self.u1, self.east, date(2025, 3, 3))
        self._held_order(self.u1, self.east, date(2025, 3, 20))
        self._held_order(self.u3, self.west, date(2025, 4, 2))
        values = {
            (v["owner_id"], v["period"]): v["value"]
            for v in kpi.compute_values("user", [self.u1.id, self.u3.id], ["2025-03", "2025-04", "2025"])
        }
        self.assertEqual(
            values,
            {
                (self.u1.id, "2025-03"): 2.0,
                (self.u1.id, "2025-04"): 0.0,
                (self.u1.id, "2025"): 2.0,
                (self.u3.id, "2025-03"): 0.0,
                (self.u3.id, "2025-04"): 1.0,
                (self.u3.id, "2025"): 1.0,
            },
        )
        # A team covers its sub-teams.
        by_team = kpi.compute_values("team", [self.north.id, self.south.id], ["2025"])
        self.assertEqual([v["value"] for v in by_team], [3.0, 0.0])

    def test_targets_vs_actuals_shows_the_source(self):
        """Targets vs Actuals reads a source added by another addon too."""
        kpi = self.env["sales.kpi"].create(
            {"code": "EMB_PLAN", "name": "Embargo holds", "source": "seams_embargo_holds"}
        )
        self._held_order(self.u1, self.east, date(2025, 3, 3))
        self._held_order(self.u1, self.east, date(2025, 3, 20))
        plan = self.env["sales.kpi.target.plan"].create(
            {
                "name": "Embargo plan",
                "kpi_id": kpi.id,
                "fiscal_year": 2025,
                "root_team_id": self.north.id,
                "root_value": 24.0,
                "owner_method": "equal",
                "period_method": "equal",
            }
        )
        plan.action_allocate()
        self.env.flush_all()
        march = self.env["sales.kpi.target.report"].search([("plan_id", "=", plan.id), ("month", "=", "2025-03-01")])
        # Each owner's whole actual; the measure holds its own part (the teams are split into members).
        actuals = {(row.user_id.login or row.team_id.name): row.owner_actual for row in march}
        self.assertEqual(actuals["KPI North"], 2.0)
        self.assertEqual(actuals["KPI East"], 2.0)
        self.assertEqual(actuals["kpi_t_u1"], 2.0)
        self.assertEqual(actuals["KPI West"], 0.0)
        self.assertEqual(sum(march.mapped("actual")), 2.0)
        # A later change shows after the refresh of the actuals (the cron runs it after the facts).
        self._held_order(self.u3, self.west, date(2025, 3, 25))
        plan.action_refresh_actuals()
        self.env.invalidate_all()
        march = self.env["sales.kpi.target.report"].search([("plan_id", "=", plan.id), ("month", "=", "2025-03-01")])
        actuals = {(row.user_id.login or row.team_id.name): row.owner_actual for row in march}
        self.assertEqual((actuals["KPI North"], actuals["KPI West"], actuals["kpi_t_u3"]), (3.0, 1.0, 1.0))
        self.assertEqual(sum(march.mapped("actual")), 3.0)
