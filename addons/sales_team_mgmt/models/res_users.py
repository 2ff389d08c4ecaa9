# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict, namedtuple

from odoo import fields, models

# What a user may confirm without approval: ``unlimited`` or both ceilings.
Authority = namedtuple("Authority", "role unlimited max_order_amount max_discount")


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

    def _sales_get_hierarchy_team_ids(self):
        """Ids of the teams the user leads (team leader or SLT member in charge).

        Archived teams included. Always read from the database: Odoo caches the
        evaluated rule domains per user, and crm.team / crm.team.member clear that
        cache when leadership changes.
        """
        self.ensure_one()
        return (
            self.env["crm.team"]
            .sudo()
            .with_context(active_test=False)
            .search(["|", ("user_id", "=", self.id), ("slt_user_id", "=", self.id)], order="id")
            .ids
        )

    def _sales_get_hierarchy_subtree_ids(self):
        """Ids of the teams the user leads and of all their descendants (``child_of``,
        resolved through ``parent_path``). Used by the Team hierarchy record rules."""
        self.ensure_one()
        led = self._sales_get_hierarchy_team_ids()
        if not led:
            return []
        Team = self.env["crm.team"].sudo().with_context(active_test=False)
        return Team.search([("id", "child_of", led)], order="id").ids

    def _sales_is_slt_member(self, date=None):
        """Whether the user leads, or is a current member of, a team of type SLT."""
        self.ensure_one()
        return self.id in self._sales_get_slt_user_ids(date)

    def _sales_get_slt_user_ids(self, date=None):
        """Ids of the users of ``self`` who lead or are current members of an SLT team."""
        Team = self.env["crm.team"].sudo()
        Member = self.env["crm.team.member"].sudo()
        leaders = Team.search([("team_type", "=", "slt"), ("user_id", "in", self.ids)]).user_id
        members = Member.search(
            [
                ("user_id", "in", self.ids),
                ("crm_team_id.team_type", "=", "slt"),
                *Member._sales_current_domain(date),
            ]
        ).user_id
        return set((leaders | members).ids)

    def _sales_get_authorities(self, company, date=None):
        """Authority of each user of ``self`` in ``company``, from the current roles.

        Returns ``{user_id: {team_id | None: Authority}}``: the role held in each team
        (the key ``None`` holds the highest role on the career ladder, used when the
        user holds no role in the team at hand). Users without any current role in
        the company, and who are not SLT members, are absent. SLT members have an
        unlimited authority. One query for all the users.
        """
        Member = self.env["crm.team.member"].sudo()
        members = Member.search(
            [
                ("user_id", "in", self.ids),
                ("role_id", "!=", False),
                ("role_id.company_id", "=", company.id),
                *Member._sales_current_domain(date),
            ]
        ).sorted(lambda m: (m.role_id.sequence, m.id))
        slt_ids = self._sales_get_slt_user_ids(date)
        result = defaultdict(dict)
        for member in members:
            role = member.role_id
            authority = Authority(
                role,
                role.unlimited_authority or member.user_id.id in slt_ids,
                role.max_order_amount,
                role.max_discount,
            )
            result[member.user_id.id].setdefault(member.crm_team_id.id, authority)
            result[member.user_id.id].setdefault(None, authority)
        for user_id in slt_ids:
            if None not in result[user_id]:
                result[user_id][None] = Authority(self.env["sales.role"], True, 0.0, 0.0)
        return dict(result)
