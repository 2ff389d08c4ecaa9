# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

TEAM_TYPES = [
    ("slt", "Leadership Team (SLT)"),
    ("ssg", "Sales Support Group (SSG)"),
    ("market", "Market"),
    ("region", "Region"),
    ("unit", "Unit"),
]

# Fields whose change alters the teams a user leads or their subtrees, hence the
# domains of the "Team hierarchy" record rules that Odoo caches per user.
RULE_FIELDS = {"user_id", "slt_user_id", "active", "company_id", "parent_id"}
# Fields whose change alters who is an SLT member, hence the cached authorities.
AUTHORITY_FIELDS = {"team_type"}


class CrmTeam(models.Model):
    """The sales organisation: a tree of teams (SLT, SSG, markets, regions, units)."""

    _name = "crm.team"
    _inherit = ["crm.team", "sales.registry.cache.mixin"]
    # Record rule domains embed the ids of the teams a user leads; authorities are cached.
    _registry_cache_fields = frozenset(RULE_FIELDS | AUTHORITY_FIELDS)
    _parent_name = "parent_id"
    _parent_store = True
    _rec_names_search = ["complete_name", "code"]

    parent_id = fields.Many2one(
        "crm.team",
        string="Parent Team",
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('id', '!=', id), '|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    child_ids = fields.One2many("crm.team", "parent_id", string="Sub-teams")
    parent_path = fields.Char(index=True)
    team_type = fields.Selection(
        TEAM_TYPES,
        required=True,
        default="unit",
        tracking=True,
        help="Level of the team in the sales organisation.",
    )
    code = fields.Char(index=True, tracking=True, help="Short code of the team, e.g. EC-SH.")
    slt_user_id = fields.Many2one(
        "res.users",
        string="SLT Member in Charge",
        check_company=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Member of the sales leadership team responsible for this team. "
        "They read the records of this team and of all its sub-teams, "
        "and approve its orders beyond its managers' authority.",
    )
    state_ids = fields.Many2many(
        "res.country.state",
        "crm_team_res_country_state_rel",
        "team_id",
        "state_id",
        string="Territory",
        help="Provinces or states covered by the team.",
    )
    complete_name = fields.Char(
        compute="_compute_complete_name",
        store=True,
        recursive=True,
    )
    child_count = fields.Integer(compute="_compute_child_count", string="Sub-team Count")
    sales_order_count = fields.Integer(
        compute="_compute_sales_order_count",
        string="Orders",
        help="Confirmed orders of the team and its sub-teams that the user reads.",
    )
    sales_member_count = fields.Integer(
        compute="_compute_sales_member_count", string="Members", help="Current members of the team."
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for team in self:
            if team.parent_id:
                team.complete_name = f"{team.parent_id.complete_name} / {team.name}"
            else:
                team.complete_name = team.name

    @api.depends("complete_name")
    def _compute_display_name(self):
        for team in self:
            team.display_name = team.complete_name or team.name

    def _compute_child_count(self):
        counts = dict(
            self.env["crm.team"]
            .with_context(active_test=True)
            ._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"])
        )
        for team in self:
            team.child_count = counts.get(team, 0)

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_sales_order_count(self):
        """One grouped query for the teams and all their sub-teams, summed up each
        team's subtree (by ``parent_path``)."""
        teams = self.filtered("id")
        counts = {}
        if teams and self.env["sale.order"].has_access("read"):
            rows = self.env["sale.order"]._read_group(
                [("team_id", "child_of", teams.ids), ("state", "=", "sale")], ["team_id"], ["__count"]
            )
            counts = {team.parent_path: count for team, count in rows}
        for team in self:
            path = team.parent_path or "-"
            team.sales_order_count = sum(count for key, count in counts.items() if key.startswith(path))

    def _compute_sales_member_count(self):
        current = self.env["crm.team.member"]._read_group(
            [("crm_team_id", "in", self.filtered("id").ids), ("is_current", "=", True)],
            ["crm_team_id"],
            ["__count"],
        )
        counts = dict(current)
        for team in self:
            team.sales_member_count = counts.get(team, 0)

    def action_sales_view_orders(self):
        """The confirmed orders of the team and its sub-teams."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("team_id", "child_of", self.id), ("state", "=", "sale")]
        action["context"] = {"create": False}
        action["display_name"] = self.env._("Orders of %(team)s", team=self.display_name)
        return action

    def action_sales_view_members(self):
        """The team's members with their roles and dates."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_mgmt.action_crm_team_member")
        action["domain"] = [("crm_team_id", "=", self.id)]
        action["context"] = {"default_crm_team_id": self.id, "search_default_current": 1}
        action["display_name"] = self.env._("Members of %(team)s", team=self.display_name)
        return action

    def action_sales_view_people_chart(self):
        """The org chart of people, from the team's leader (or its first member)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_mgmt.action_crm_team_member_hierarchy")
        members = self.env["crm.team.member"].search(
            [("crm_team_id", "=", self.id), ("is_current", "=", True)], order="id"
        )
        top = members.filtered(lambda m: m.user_id == self.user_id)[:1] or members[:1]
        action["context"] = {"hierarchy_res_id": top.id} if top else {}
        action["display_name"] = self.env._("People of %(team)s", team=self.display_name)
        return action

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self._sales_cycle_message(self))

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        """A code is unique within a company, teams without company included."""
        teams = self.filtered("code")
        if not teams:
            return
        groups = self.with_context(active_test=False)._read_group(
            [("code", "in", teams.mapped("code"))], ["code", "company_id"], ["__count"]
        )
        counts = {(code, company.id): count for code, company, count in groups}
        for team in teams:
            same = counts.get((team.code, team.company_id.id), 0)
            shared = counts.get((team.code, False), 0) if team.company_id else 0
            others = (
                sum(count for (code, _company), count in counts.items() if code == team.code)
                if not team.company_id
                else same + shared
            )
            if others > 1:
                raise ValidationError(
                    self.env._(
                        "The team code %(code)s is already used by another sales team of the same company.",
                        code=team.code,
                    )
                )

    @api.constrains("parent_id", "company_id")
    def _check_parent_company(self):
        # sudo: the companies named in the message may be out of the user's reach
        for team in self.sudo():
            parent = team.parent_id
            if parent.company_id and team.company_id != parent.company_id:
                raise ValidationError(
                    self.env._(
                        "The sales team %(team)s (company %(company)s) cannot be placed under "
                        "%(parent)s, which belongs to another company (%(parent_company)s).",
                        team=team.name,
                        company=team.company_id.name or self.env._("none"),
                        parent=parent.name,
                        parent_company=parent.company_id.name,
                    )
                )
            wrong_children = team.child_ids.filtered(
                lambda child, team=team: team.company_id and child.company_id != team.company_id
            )
            if wrong_children:
                raise ValidationError(
                    self.env._(
                        "The sales team %(team)s cannot move to company %(company)s: "
                        "its sub-teams %(children)s belong to another company.",
                        team=team.name,
                        company=team.company_id.name,
                        children=", ".join(wrong_children.mapped("name")),
                    )
                )

    def write(self, vals):
        self._sales_check_input([vals])  # before the values are read below
        if vals.get("parent_id"):
            # Refuse before the parent_path update, which would only say "Recursion Detected."
            parent = self.browse(vals["parent_id"]).sudo()
            ancestors = {int(tid) for tid in (parent.parent_path or "").split("/")[:-1]} | {parent.id}
            looping = self.filtered(lambda team: team.id in ancestors)
            if looping:
                raise ValidationError(self._sales_cycle_message(looping, parent))
        return super().write(vals)

    def _sales_cycle_message(self, teams, parent=None):
        return self.env._(
            "Sales teams cannot form a cycle: %(teams)s cannot be placed under %(parent)s, "
            "which is the team itself or one of its own sub-teams.",
            teams=", ".join(teams.mapped("name")),
            parent=parent.display_name if parent else self.env._("its parent"),
        )

    def _sales_get_ancestors(self):
        """The team and its parents, nearest first (uses ``parent_path``)."""
        self.ensure_one()
        ids = [int(tid) for tid in reversed(self.parent_path.split("/")[:-1])] if self.parent_path else [self.id]
        return self.browse(ids)

    def _sales_get_nearest_leader(self, exclude=None):
        """The leader of this team or, when it has none or it is ``exclude``, of
        the nearest team up the tree that has another; an empty user when none
        (also for an empty team)."""
        for team in self._sales_get_ancestors() if self else ():
            if team.user_id and team.user_id != exclude:
                return team.user_id
        return self.env["res.users"]

    @api.model
    def _sales_subtree_sql(self, ancestor, descendant):
        """The team subtree in SQL, one definition: the condition that the
        ``crm_team`` row under alias ``descendant`` is the row under alias
        ``ancestor`` or one of its sub-teams (``parent_path`` prefix, which the
        btree index on ``parent_path`` serves)."""
        return SQL(
            "%s.parent_path LIKE %s.parent_path || %s", SQL.identifier(descendant), SQL.identifier(ancestor), "%"
        )
