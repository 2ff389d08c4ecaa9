# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sales_hierarchy_team_ids = fields.Many2many(
        "crm.team",
        string="Led Sales Teams",
        compute="_compute_sales_hierarchy_team_ids",
        help="Teams the user leads, as team leader or as SLT member in charge. "
        "With the Team hierarchy group, the user reads the records of these teams "
        "and of all their sub-teams.",
    )

    def _compute_sales_hierarchy_team_ids(self):
        teams = self.env["crm.team"].sudo().search(["|", ("user_id", "in", self.ids), ("slt_user_id", "in", self.ids)])
        for user in self:
            user.sales_hierarchy_team_ids = teams.filtered(
                lambda team, user=user: user in (team.user_id | team.slt_user_id)
            ).with_env(self.env)

    def _sales_is_slt_member(self, date=None):
        """Whether the user leads, or is a current member of, a team of type SLT."""
        self.ensure_one()
        Team = self.env["crm.team"].sudo()
        if Team.search_count([("team_type", "=", "slt"), ("user_id", "=", self.id)], limit=1):
            return True
        Member = self.env["crm.team.member"].sudo()
        domain = [
            ("user_id", "=", self.id),
            ("crm_team_id.team_type", "=", "slt"),
            *Member._sales_current_domain(date),
        ]
        return bool(Member.search_count(domain, limit=1))
