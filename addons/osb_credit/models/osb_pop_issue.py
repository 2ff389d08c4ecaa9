# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import float_compare

from odoo.addons.sales_team_mgmt.tools import format_error_list

from .osb_pop_budget import POP_BUDGET_LOCK


class OsbPopIssue(models.Model):
    """A POP issue (POP 物料领用): POP materials delivered to a customer or a team
    through a picking of the company's "POP Issues" operation type. Requested, its
    lines commit their value (quantity at the product's cost) on the covering
    budget, refused over what remains; validated, the picking turns them into
    spend at the product's cost at validation, stored on the lines. The state
    follows the picking (done, cancelled)."""

    _name = "osb.pop.issue"
    _description = "POP Issue"
    _inherit = ["sales.team.scoped.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        [("draft", "Draft"), ("requested", "Requested"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    holder_type = fields.Selection(
        [("customer", "Customer"), ("team", "Team")],
        string="Issued To",
        required=True,
        default="customer",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", check_company=True, tracking=True, index="btree_not_null"
    )
    holder_team_id = fields.Many2one("crm.team", string="Team", check_company=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    budget_id = fields.Many2one(
        "osb.pop.budget",
        index="btree_not_null",
        check_company=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="The budget the issue draws on, found when it is requested: the customer's, else a team budget "
        "covering it. None: no budget covers it, nothing is checked.",
    )
    line_ids = fields.One2many("osb.pop.issue.line", "issue_id", string="Lines", copy=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True, copy=False, index="btree_not_null")
    amount_total = fields.Monetary(
        string="Value", compute="_compute_amount_total", store=True, currency_field="currency_id"
    )
    note = fields.Text()

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for issue in self:
            issue.amount_total = sum(issue.line_ids.mapped("amount"))

    @api.model_create_multi
    def create(self, vals_list):
        self._sales_check_input(vals_list)
        self._pop_check_vals(vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("osb.pop.issue") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._sales_check_input([vals])
        if not self.env.su and {"state", "budget_id", "picking_id"} & set(vals):
            raise UserError(self.env._("A POP issue changes its state, budget and transfer through its buttons."))
        if {"holder_type", "partner_id", "holder_team_id", "date"} & set(vals):
            if self.filtered(lambda i: i.state != "draft"):
                raise UserError(self.env._("Only a draft POP issue changes its recipient or date."))
            for issue in self:
                self._pop_check_vals(
                    [
                        {
                            "holder_type": vals.get("holder_type", issue.holder_type),
                            "partner_id": vals.get("partner_id", issue.partner_id.id),
                            "holder_team_id": vals.get("holder_team_id", issue.holder_team_id.id),
                        }
                    ]
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_draft_only(self):
        if self.filtered(lambda i: i.state not in ("draft", "cancelled")):
            raise UserError(self.env._("Only a draft or cancelled POP issue can be deleted."))

    @api.model
    def _pop_check_vals(self, vals_list):
        errors = []
        for vals in vals_list:
            holder_type = vals.get("holder_type") or "customer"
            if holder_type == "customer" and not vals.get("partner_id"):
                errors.append(self.env._("Customer: a POP issue to a customer needs the customer."))
            if holder_type == "team" and not vals.get("holder_team_id"):
                errors.append(self.env._("Team: a POP issue to a team needs the team."))
        if errors:
            raise ValidationError(format_error_list(errors))

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_request(self):
        """Commit the issues on their budgets and create their pickings. Refused,
        with the budget's figures, over what remains (nothing written)."""
        self.check_access("write")
        issues = self.filtered(lambda i: i.state == "draft")
        errors = []
        for issue in issues:
            if not issue.line_ids:
                errors.append(self.env._("Lines: %(issue)s has no line to issue.", issue=issue.name))
        if errors:
            raise ValidationError(format_error_list(errors))
        issues.line_ids._pop_check_lines()
        # The product's cost now (company-dependent: read in batch per company).
        for company in issues.company_id:
            lines = issues.filtered(lambda i, c=company: i.company_id == c).line_ids
            products = lines.product_id.with_company(company)
            costs = {product.id: product.standard_price for product in products}
            for line in lines:
                line.sudo().write({"unit_cost": costs[line.product_id.id]})
        for issue in issues:
            if not issue.budget_id:
                budget = self.env["osb.pop.budget"]._pop_find_budget(issue)
                if budget:
                    issue.sudo().budget_id = budget
        budgets = issues.budget_id
        self.env["sales.lock"]._lock(POP_BUDGET_LOCK, budgets.ids)
        figures = budgets._pop_locked_figures()
        remaining = {bid: total - committed - spent for bid, (total, committed, spent) in figures.items()}
        for issue in issues.filtered("budget_id"):
            budget = issue.budget_id
            digits = budget.currency_id.decimal_places
            requested = issue.amount_total
            if float_compare(requested, remaining[budget.id], precision_digits=digits) > 0:
                total, committed, spent = figures[budget.id]
                errors.append(
                    self.env._(
                        "Budget: %(issue)s requests %(requested)s, more than the %(remaining)s remaining on "
                        "%(budget)s (budget %(total)s, committed %(committed)s, spent %(spent)s).",
                        issue=issue.name,
                        requested=budget._pop_format(requested),
                        remaining=budget._pop_format(remaining[budget.id]),
                        budget=budget.display_name,
                        total=budget._pop_format(total),
                        committed=budget._pop_format(committed),
                        spent=budget._pop_format(spent),
                    )
                )
            remaining[budget.id] -= requested
        if errors:
            raise ValidationError(format_error_list(errors))
        for issue in issues:
            issue._pop_create_picking()
        issues.sudo().write({"state": "requested"})
        return True

    def _pop_create_picking(self):
        self.ensure_one()
        picking_type = self.env["stock.picking.type"]._osb_pop_type(self.company_id)
        partner = self.partner_id if self.holder_type == "customer" else self.holder_team_id.user_id.partner_id
        source = picking_type.default_location_src_id
        dest = picking_type.default_location_dest_id or self.env.ref("stock.stock_location_customers")
        picking = (
            self.env["stock.picking"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": partner.id,
                    "location_id": source.id,
                    "location_dest_id": dest.id,
                    "origin": self.name,
                    "company_id": self.company_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": line.product_id.display_name,
                                "product_id": line.product_id.id,
                                "product_uom_qty": line.quantity,
                                "product_uom": line.product_uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": dest.id,
                                "company_id": self.company_id.id,
                                "osb_pop_issue_line_id": line.id,
                            }
                        )
                        for line in self.line_ids
                    ],
                }
            )
        )
        picking.action_confirm()
        self.sudo().picking_id = picking

    def action_cancel(self):
        self.check_access("write")
        for issue in self.filtered(lambda i: i.state in ("draft", "requested")):
            if issue.picking_id and issue.picking_id.state not in ("done", "cancel"):
                issue.picking_id.sudo().action_cancel()  # cancels the issue through the picking
        self.filtered(lambda i: i.state in ("draft", "requested")).sudo().write({"state": "cancelled"})
        return True

    def action_draft(self):
        self.check_access("write")
        self.filtered(lambda i: i.state == "cancelled").sudo().write({"state": "draft", "picking_id": False})
        return True

    def action_view_picking(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.picking_id.id,
            "view_mode": "form",
        }

    def _pop_picking_done(self):
        """The pickings are validated: the lines are spent at the product's cost at
        validation, for the quantity delivered (one read of the costs per company)."""
        for company in self.company_id:
            issues = self.filtered(lambda i, c=company: i.company_id == c)
            products = issues.line_ids.product_id.with_company(company)
            costs = {product.id: product.standard_price for product in products}
            delivered = {}
            for move in issues.picking_id.move_ids.filtered(lambda m: m.state == "done"):
                key = move.osb_pop_issue_line_id.id
                delivered[key] = delivered.get(key, 0.0) + move.product_uom._compute_quantity(
                    move.quantity, move.osb_pop_issue_line_id.product_uom_id
                )
            for line in issues.line_ids:
                line.sudo().write(
                    {"unit_cost": costs[line.product_id.id], "quantity_done": delivered.get(line.id, 0.0)}
                )
        self.sudo().write({"state": "done"})
