# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sales_kpi_target_count = fields.Integer(
        compute="_compute_sales_kpi_target_count",
        string="Targets",
        help="Yearly targets of the team and its members in published and locked plans.",
    )

    @api.depends_context("uid")
    def _compute_sales_kpi_target_count(self):
        Line = self.env["sales.kpi.target.line"]
        counts = {}
        teams = self.filtered("id")
        if teams and Line.has_access("read"):
            counts = dict(
                Line._read_group(
                    [
                        ("team_id", "in", teams.ids),
                        ("period_type", "=", "year"),
                        ("plan_id.state", "in", ("published", "locked")),
                    ],
                    ["team_id"],
                    ["__count"],
                )
            )
        for team in self:
            team.sales_kpi_target_count = counts.get(team, 0)

    def action_sales_kpi_view_targets(self):
        """The targets of the team and its members (published and locked plans)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_kpi.action_sales_kpi_target_line")
        action["domain"] = [("team_id", "=", self.id), ("plan_id.state", "in", ("published", "locked"))]
        action["context"] = {"search_default_year": 1, "create": False}
        action["display_name"] = self.env._("Targets of %(team)s", team=self.display_name)
        return action
