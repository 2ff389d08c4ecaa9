# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The three OSB roles of an order: selection value -> (order field, group XML id).
OSB_ROLES = {
    "csr": ("osb_csr_id", "osb_credit.group_osb_csr"),
    "scr": ("osb_scr_id", "osb_credit.group_osb_scr"),
    "bcr": ("osb_bcr_id", "osb_credit.group_osb_bcr"),
}
OSB_ROLE_FIELDS = tuple(field for field, _group in OSB_ROLES.values())
OSB_ROLE_SELECTION = [
    ("csr", "CSR (Customer Service Representative)"),
    ("scr", "SCR (Shipping Coordinator)"),
    ("bcr", "BCR (Billing and Collection Representative)"),
]
# Specificity of a rule's team criterion when it has none (below every ancestor distance).
NO_TEAM = 10**6


class OsbRoleRule(models.Model):
    _name = "osb.role.rule"
    _description = "OSB Role Rule"
    _order = "company_id, role, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10, help="Among equally specific rules, the lowest sequence wins.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    role = fields.Selection(OSB_ROLE_SELECTION, required=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        index="btree_not_null",
        help="Orders of this team (and of its sub-teams when Include Sub-teams is set). Empty: any team.",
    )
    include_subteams = fields.Boolean(
        string="Include Sub-teams",
        default=True,
        help="The rule also covers the orders of the team's sub-teams; the nearest team wins.",
    )
    customer_class_id = fields.Many2one(
        "sales.customer.class",
        check_company=True,
        help="Orders of customers of this class (in the rule's company). Empty: any class.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        check_company=True,
        index="btree_not_null",
        domain="[('is_company', '=', True)]",
        help="Orders of this customer (the company, its contacts included). Empty: any customer.",
    )
    user_id = fields.Many2one(
        "res.users",
        required=True,
        check_company=True,
        domain="[('share', '=', False)]",
        help="Who takes the role on the orders the rule covers; must hold the role's group.",
    )
    scope = fields.Char(compute="_compute_scope", help="What the rule covers, most specific criterion first.")

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("partner_id", "customer_class_id", "team_id", "include_subteams")
    def _compute_scope(self):
        for rule in self:
            parts = []
            if rule.partner_id:
                parts.append(self.env._("Customer %(name)s", name=rule.partner_id.display_name))
            if rule.customer_class_id:
                parts.append(self.env._("Class %(name)s", name=rule.customer_class_id.display_name))
            if rule.team_id and rule.include_subteams:
                parts.append(self.env._("Team %(name)s and sub-teams", name=rule.team_id.display_name))
            elif rule.team_id:
                parts.append(self.env._("Team %(name)s", name=rule.team_id.display_name))
            rule.scope = ", ".join(parts) or self.env._("Company default")

    @api.constrains("user_id", "role")
    def _check_user_role_group(self):
        for rule in self:
            group = OSB_ROLES[rule.role][1]
            if not rule.user_id.has_group(group):
                raise ValidationError(
                    self.env._(
                        "User: %(user)s cannot be the %(role)s of orders, they are not in the group %(group)s. "
                        "Give them the group first (Settings > Users).",
                        user=rule.user_id.name,
                        role=rule._role_label(),
                        group=self.env.ref(group).full_name,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        # Read as superuser: a customer of another company (which the company check
        # refuses, naming the field) is not readable by the user.
        for rule in self.sudo():
            if rule.partner_id.company_id and rule.partner_id.company_id != rule.company_id:
                continue
            if rule.partner_id and rule.partner_id.commercial_partner_id != rule.partner_id:
                raise ValidationError(
                    self.env._(
                        "Customer: choose the company %(company)s, not its contact %(contact)s; the rule then "
                        "covers all its contacts.",
                        company=rule.partner_id.commercial_partner_id.display_name,
                        contact=rule.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("user_id"):
                raise ValidationError(self._missing_user_message())
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals and not vals["user_id"]:
            raise ValidationError(self._missing_user_message())
        return super().write(vals)

    # ------------------------------------------------------------------
    # Resolution
    # ------------------------------------------------------------------

    def _missing_user_message(self):
        return self.env._("User: an OSB role rule needs the user who takes the role.")

    def _role_label(self, role=None):
        return dict(self._fields["role"]._description_selection(self.env))[role or self.role]

    @api.model
    def _osb_resolve(self, orders):
        """The users the active rules give these orders: ``(assignments, missing,
        companies)``. ``assignments`` is ``{order id: {role: user id}}``, ``missing``
        the ``(order, role)`` pairs no rule covers, ``companies`` the companies of
        the orders that use OSB roles (they have at least one active rule); the
        orders of the other companies get nothing and miss nothing.

        For each role, a rule matches an order when all its criteria match (its
        customer is the order's commercial partner, its class the customer's class
        in the order's company, its team the order's team or, with Include
        Sub-teams, an ancestor of it). The most specific matching rule wins:
        customer > customer class > exact team > nearest ancestor team > company
        default (no criterion); then the lowest sequence, then the oldest rule.

        Set-based: one search of the companies' rules, whatever the number of
        orders; the orders, their customers and teams are read in batch."""
        assignments = {}
        missing = []
        if not orders:
            return assignments, missing, self.env["res.company"]
        rules = self.sudo().search_fetch(
            [("company_id", "in", orders.company_id.ids)],
            ["company_id", "role", "team_id", "include_subteams", "customer_class_id", "partner_id", "user_id"],
            order="sequence, id",
        )
        by_company_role = defaultdict(list)
        for rule in rules:
            by_company_role[rule.company_id.id, rule.role].append(rule)
        companies = rules.company_id
        use_class = bool(rules.customer_class_id)
        orders = orders.filtered(lambda o: o.company_id in companies)
        classes = {}
        if use_class:
            for company, company_orders in orders.grouped("company_id").items():
                partners = company_orders.partner_id.commercial_partner_id.with_company(company)
                for partner in partners:
                    classes[company.id, partner.id] = partner.sales_class_id.id
        for order in orders:
            company_id = order.company_id.id
            partner_id = order.partner_id.commercial_partner_id.id
            class_id = classes.get((company_id, partner_id))
            team = order.team_id
            ancestors = [int(tid) for tid in reversed(team.parent_path.split("/")[:-1])] if team.parent_path else []
            distance = {team_id: index for index, team_id in enumerate(ancestors)}
            roles = assignments[order.id] = {}
            for role in OSB_ROLES:
                best = best_key = None
                for rule in by_company_role[company_id, role]:
                    if rule.partner_id and rule.partner_id.id != partner_id:
                        continue
                    if rule.customer_class_id and rule.customer_class_id.id != class_id:
                        continue
                    team_rank = NO_TEAM
                    if rule.team_id:
                        team_rank = distance.get(rule.team_id.id)
                        if team_rank is None or (team_rank and not rule.include_subteams):
                            continue
                    key = (not rule.partner_id, not rule.customer_class_id, team_rank)
                    if best_key is None or key < best_key:  # rules come by sequence: ties keep the first
                        best, best_key = rule, key
                if best:
                    roles[role] = best.user_id.id
                else:
                    missing.append((order, role))
        return assignments, missing, companies
