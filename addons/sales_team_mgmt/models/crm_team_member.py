# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields, models
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
    # The org chart of people: each current membership under the membership of
    # the leader the member reports to (see _sales_reports_to).
    sales_reports_to_id = fields.Many2one(
        "crm.team.member",
        string="Reports To",
        compute="_compute_sales_reports_to",
        search="_search_sales_reports_to",
        help="The current membership of the leader this member reports to: the team's leader, or for the "
        "leader himself the nearest leader of a team above.",
    )
    sales_report_ids = fields.One2many(
        "crm.team.member",
        string="Direct Reports",
        compute="_compute_sales_reports_to",
        help="The current memberships that report to this one.",
    )

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

    @api.model
    def _sales_reports_to(self):
        """``{membership id: membership id it reports to, or None}`` for every current
        membership of an active team the user may read, in one pass.

        A member reports to the leader of his team; the leader of a team (member of
        it or not) to the nearest leader of a team above who is someone else, the
        SLT member in charge of a team counting as its next leader (a market's
        leader reports to him). The
        leader is shown by one of his current memberships: in that team if he is a
        member of it, else in the nearest team above, else his first one."""
        members = self.search([("is_current", "=", True), ("crm_team_id.active", "=", True)], order="id")
        teams = members.crm_team_id
        ancestors_ids = {int(i) for team in teams for i in (team.parent_path or "").split("/") if i}
        Team = self.env["crm.team"].sudo().with_context(active_test=False)
        tree = {team.id: team for team in Team.browse(ancestors_ids)}
        by_user = {}
        for member in members:
            by_user.setdefault(member.user_id.id, []).append(member)

        def chain(team):
            """The team and its ancestors, nearest first."""
            return [tree[int(i)] for i in reversed((team.parent_path or "").split("/")) if i and int(i) in tree]

        def shown(user_id, team):
            candidates = by_user.get(user_id)
            if not candidates:
                return None
            for ancestor in chain(team):
                for candidate in candidates:
                    if candidate.crm_team_id.id == ancestor.id:
                        return candidate.id
            return candidates[0].id

        def reports_to(member):
            for ancestor in chain(member.crm_team_id):
                # the team's leader, then the SLT member in charge of it (a market)
                for leader in (ancestor.user_id, ancestor.slt_user_id):
                    target = leader and leader.id != member.user_id.id and shown(leader.id, ancestor)
                    if target:
                        return target if target != member.id else None
            return None

        return self._sales_cut_loops({member.id: reports_to(member) for member in members})

    @api.model
    def _sales_cut_loops(self, result):
        """Cut the loops of a reporting graph (a leader reporting, through the
        teams, to his own report): the node where a loop closes becomes a root."""
        for start in list(result):
            seen, node = set(), start
            while result.get(node) and node not in seen:
                seen.add(node)
                node = result[node]
            if node in seen:
                result[node] = None
        return result

    @api.depends_context("uid", "allowed_company_ids", "date")
    def _compute_sales_reports_to(self):
        graph = self._sales_reports_to()
        reports = {}
        for member_id, parent_id in graph.items():
            if parent_id:
                reports.setdefault(parent_id, []).append(member_id)
        for member in self:
            member.sales_reports_to_id = graph.get(member.id)
            member.sales_report_ids = [Command.set(reports.get(member.id, []))]

    def _search_sales_reports_to(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise ValidationError(self.env._("Reports To: only =, !=, in and not in are supported."))
        graph = self._sales_reports_to()
        if value is False or value is None:
            wanted = {False}
        else:
            wanted = set(value if isinstance(value, (list, tuple)) else [value])
        matching = [member_id for member_id, parent_id in graph.items() if (parent_id or False) in wanted]
        return [("id", "in" if operator in ("=", "in") else "not in", matching)]

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
