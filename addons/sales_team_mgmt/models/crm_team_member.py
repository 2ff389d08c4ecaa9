# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

RULE_FIELDS = {"user_id", "crm_team_id", "active", "date_start", "date_end", "role_id"}


class CrmTeamMember(models.Model):
    """A membership carries the member's role and its effective dates."""

    _name = "crm.team.member"
    _inherit = ["crm.team.member", "sales.registry.cache.mixin"]
    # Record rules and cached authorities depend on memberships.
    _registry_cache_fields = frozenset(RULE_FIELDS)

    role_id = fields.Many2one(
        "sales.role",
        index=True,
        tracking=True,
        check_company=True,
        help="Role of the member in this team; it carries the member's authority.",
    )
    date_start = fields.Date(
        string="Start Date",
        default=lambda self: self._sales_today(),
        tracking=True,
        help="First day of the membership.",
    )
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        help="Last day of the membership; empty while it lasts.",
    )
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_is_current",
        search="_search_is_current",
        help="Active membership whose effective dates include today.",
    )
    team_type = fields.Selection(related="crm_team_id.team_type", string="Team Type")
    team_parent_id = fields.Many2one(related="crm_team_id.parent_id", string="Parent Team")

    @api.depends("active", "date_start", "date_end")
    @api.depends_context("date")
    def _compute_is_current(self):
        today = self._sales_today()
        for member in self:
            member.is_current = bool(
                member.active
                and (not member.date_start or member.date_start <= today)
                and (not member.date_end or member.date_end >= today)
            )

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on the Current field."))
        domain = self._sales_current_domain()
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for member in self:
            if member.date_start and member.date_end and member.date_end < member.date_start:
                raise ValidationError(
                    self.env._(
                        "The end date of the membership of %(user)s in %(team)s (%(end)s) "
                        "cannot be before its start date (%(start)s).",
                        user=member.user_id.name,
                        team=member.crm_team_id.name,
                        end=member.date_end,
                        start=member.date_start,
                    )
                )

    @api.model
    def _sales_today(self):
        """Today for the memberships, one definition: the date in the company's
        timezone (its address's; UTC without one), the same for every user. With
        each user's own timezone, a membership created by an administrator in
        Shanghai on the 2nd would not have started for a user in UTC, still on the
        1st: the default start date and the check of what is current must agree."""
        # One column in one query: a confirmation calls it on a cold cache, where
        # fetching the whole company and partner records cost ~10 ms.
        self.env["res.partner"].flush_model(["tz"])
        self.env.cr.execute(
            "SELECT p.tz FROM res_company c JOIN res_partner p ON p.id = c.partner_id WHERE c.id = %s",
            [self.env.company.id],
        )
        row = self.env.cr.fetchone()
        return fields.Date.context_today(self.with_context(tz=(row and row[0]) or "UTC"))

    @api.model
    def _sales_current_domain(self, date=None):
        """Domain of the memberships in force on ``date`` (default: today)."""
        date = date or self._sales_today()
        return self._sales_period_domain(date, date)

    @api.model
    def _sales_period_domain(self, date_from, date_to):
        """Domain of the memberships in force at any time from ``date_from`` to
        ``date_to``: the members of a team during a period, one definition."""
        return [
            ("active", "=", True),
            "|",
            ("date_start", "=", False),
            ("date_start", "<=", date_to),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", date_from),
        ]
