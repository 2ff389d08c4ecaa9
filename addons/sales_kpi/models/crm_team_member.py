# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from odoo import api, exceptions, models


class CrmTeamMember(models.Model):
    """Dated memberships: a member whose role changes (an approved promotion)
    keeps the closed membership and gets a new one in the same team, so two
    active memberships of one user in one team are allowed when their dates do
    not overlap (core refuses any second active pair)."""

    _inherit = "crm.team.member"

    @api.constrains("crm_team_id", "user_id", "active", "date_start", "date_end")
    def _constrains_membership(self):
        existing = self.env["crm.team.member"].search(
            [("crm_team_id", "in", self.crm_team_id.ids), ("user_id", "in", self.user_id.ids), ("active", "=", True)]
        )
        low, high = date.min, date.max
        for membership in self.filtered("active"):
            for other in existing:
                if (
                    other.id != membership.id
                    and other.user_id == membership.user_id
                    and other.crm_team_id == membership.crm_team_id
                    and (other.date_start or low) <= (membership.date_end or high)
                    and (membership.date_start or low) <= (other.date_end or high)
                ):
                    raise exceptions.ValidationError(
                        self.env._(
                            "%(user)s is already a member of %(team)s in that period: the dates of two memberships "
                            "of one user in one team cannot overlap.",
                            user=membership.user_id.name,
                            team=membership.crm_team_id.name,
                        )
                    )
