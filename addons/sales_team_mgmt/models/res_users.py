# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict, namedtuple

from odoo import api, fields, models, modules, tools

# What a user may confirm without approval: ``unlimited`` or both ceilings.
Authority = namedtuple("Authority", "role unlimited max_order_amount max_discount max_expense_amount")


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
        unlimited authority. Cached per users, company and day: any change of a role,
        membership or team clears the cache.
        """
        date = date or self.env["crm.team.member"]._sales_today()
        rows = self._sales_authority_rows(tuple(sorted(set(self.ids))), company.id, date)
        Role = self.env["sales.role"]
        result = defaultdict(dict)
        for user_id, team_id, role_id, unlimited, *maxima in rows:
            authority = Authority(Role.browse(role_id or ()), unlimited, *maxima)
            result[user_id].setdefault(team_id, authority)
        return dict(result)

    @api.model
    @tools.ormcache("user_ids", "company_id", "date")
    def _sales_authority_rows(self, user_ids, company_id, date):
        """(user, team | None, role, unlimited, max order amount, max discount, max
        expense amount) rows behind
        ``_sales_get_authorities``, highest role first (two queries)."""
        users = self.browse(user_ids)
        Member = self.env["crm.team.member"].sudo()
        members = Member.search(
            [
                ("user_id", "in", users.ids),
                ("role_id", "!=", False),
                ("role_id.company_id", "=", company_id),
                *Member._sales_current_domain(date),
            ]
        ).sorted(lambda m: (m.role_id.sequence, m.id))
        slt_ids = users._sales_get_slt_user_ids(date)
        rows = []
        for member in members:
            role = member.role_id
            values = (role.id, role.unlimited_authority or member.user_id.id in slt_ids)
            values += (role.max_order_amount, role.max_discount, role.max_expense_amount)
            rows.append((member.user_id.id, member.crm_team_id.id, *values))
            rows.append((member.user_id.id, None, *values))
        for user_id in slt_ids:
            rows.append((user_id, None, None, True, 0.0, 0.0, 0.0))
        return tuple(rows)

    @api.model
    def _get_activity_groups(self):
        """The activity menu (systray) lists the orders the user can act on, under
        *Orders to Approve*: Odoo 18 shows no count on a menu (its menus are loaded
        once and cached by the browser); what a user has to do is counted in this
        menu, like the meetings of the day. The count is that of the *Orders to
        Approve* menu with its default filter (*To Approve by Me*); the menu's badge
        adds the orders not already counted there as the user's own approval to-do
        of today or late (a sales administrator approves orders assigned to others)."""
        groups = super()._get_activity_groups()
        group = self._sales_approval_activity_group()
        if group:
            groups.append(group)
        return groups

    @api.model
    def _sales_approval_activity_group(self):
        Order = self.env["sale.order"]
        if not Order.has_access("read"):
            return None
        orders = Order.search_fetch([("can_approve", "=", True)], ["approval_activity_id"])
        if not orders:
            return None
        # sudo: the approval activities of orders the user reads, for their user and deadline.
        counted = orders.sudo().approval_activity_id.filtered(
            lambda a: a.user_id == self.env.user and a.state in ("today", "overdue")
        )
        return {
            "id": self.env["ir.model"]._get_id("sale.order"),
            "type": "sales_approval",
            "name": self.env._("Orders to Approve"),
            "model": "sale.order",
            "icon": modules.module.get_module_icon("sales_team_mgmt"),
            "approval_count": len(orders),
            "total_count": len(orders) - len(counted),
            "action": "sales_team_mgmt.action_sale_order_to_approve",
            "view_type": "list",
        }
