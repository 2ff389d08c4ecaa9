# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import formatLang

from odoo.addons.sales_team_mgmt.tools import format_error_list

# Namespace of the locks (sales.lock) that serialise the issues and transfers of one budget.
POP_BUDGET_LOCK = "osb.pop.budget"


class OsbPopBudget(models.Model):
    """A POP material budget (POP 物料预算) of a holder (a team, covering its
    sub-teams when configured, or a customer) for a period, in company currency.

    Nothing used is stored on the budget: the budget in effect is the amount plus
    the transfers in, minus the transfers out; committed is the value of the lines
    of its requested issues, spent the cost of the lines of its done issues
    (``_pop_figures``: three grouped queries for any number of budgets)."""

    _name = "osb.pop.budget"
    _description = "POP Material Budget"
    _inherit = ["osb.holder.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "The amount of a POP budget cannot be negative."),
        ("period_ordered", "CHECK(date_from <= date_to)", "The period of a POP budget must end on or after its start."),
    ]

    holder_type = fields.Selection(
        help="Team: the POP issues to the team (and to its sub-teams when configured) draw on the budget. "
        "Customer: the POP issues to the customer (its commercial partner) draw on it.",
    )
    include_sub_teams = fields.Boolean(
        string="Covers Sub-Teams",
        default=True,
        tracking=True,
        help="A team budget also covers the POP issues to the teams below its team.",
    )
    cover_customers = fields.Boolean(
        string="Covers Customers",
        tracking=True,
        help="A team budget also covers the POP issues to the customers of the team (the customer's sales "
        "team, or its salesperson's) that have no POP budget of their own for the date.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    amount = fields.Monetary(
        string="Allocated Amount", required=True, default=0.0, tracking=True, currency_field="currency_id"
    )
    transfer_in_ids = fields.One2many("osb.pop.budget.transfer", "to_budget_id", string="Transfers In")
    transfer_out_ids = fields.One2many("osb.pop.budget.transfer", "from_budget_id", string="Transfers Out")
    issue_ids = fields.One2many("osb.pop.issue", "budget_id", string="POP Issues")
    budget = fields.Monetary(
        compute="_compute_figures",
        currency_field="currency_id",
        help="Budget in effect: the allocated amount plus the transfers in, minus the transfers out.",
    )
    committed = fields.Monetary(
        compute="_compute_figures",
        currency_field="currency_id",
        help="Value of the lines of the requested POP issues (quantity at the product's cost when requested).",
    )
    spent = fields.Monetary(
        compute="_compute_figures",
        currency_field="currency_id",
        help="Cost of the delivered lines of the done POP issues (the product's cost at validation).",
    )
    remaining = fields.Monetary(compute="_compute_figures", currency_field="currency_id")
    issue_count = fields.Integer(compute="_compute_issue_count", string="Issues")

    @api.depends("amount", "transfer_in_ids.amount", "transfer_out_ids.amount", "issue_ids.state")
    def _compute_figures(self):
        stored = self.filtered("id")
        figures = stored._pop_figures() if stored else {}
        for budget in self:
            total, committed, spent = figures.get(budget.id, (budget.amount, 0.0, 0.0))
            budget.budget = total
            budget.committed = committed
            budget.spent = spent
            budget.remaining = total - committed - spent

    def _compute_issue_count(self):
        counts = dict(
            self.env["osb.pop.issue"]._read_group([("budget_id", "in", self.ids)], ["budget_id"], ["__count"])
        )
        for budget in self:
            budget.issue_count = counts.get(budget, 0)

    def _pop_figures(self):
        """``{budget id: (budget in effect, committed, spent)}``: one grouped query on
        the transfers in, one on the transfers out, one on the issue lines."""
        if not self.ids:
            return {}
        budgets = self.sudo().with_context(active_test=False)
        Transfer = self.env["osb.pop.budget.transfer"].sudo()
        Line = self.env["osb.pop.issue.line"].sudo()
        ins = dict(Transfer._read_group([("to_budget_id", "in", self.ids)], ["to_budget_id"], ["amount:sum"]))
        outs = dict(Transfer._read_group([("from_budget_id", "in", self.ids)], ["from_budget_id"], ["amount:sum"]))
        used = defaultdict(float)
        for budget, state, amount in Line._read_group(
            [("budget_id", "in", self.ids), ("state", "in", ("requested", "done"))],
            ["budget_id", "state"],
            ["amount:sum"],
        ):
            used[budget.id, state] += amount
        figures = {}
        for budget in budgets.browse(self.ids):
            total = budget.amount + ins.get(budget, 0.0) - outs.get(budget, 0.0)
            figures[budget.id] = (total, used[budget.id, "requested"], used[budget.id, "done"])
        return figures

    def _pop_locked_figures(self):
        """The figures read under the budgets' locks (taken by the caller): what is
        committed now (a fresh cursor sees the issues other transactions committed
        after this one's snapshot) and this transaction's own view, the more
        prudent of both (the smaller budget, the larger use)."""
        self.env.flush_all()
        mine = self._pop_figures()

        def read_fresh(cr):
            cr.execute("SELECT to_regclass('osb_pop_issue_line') IS NOT NULL")
            if not cr.fetchone()[0]:
                return {}  # the addon is being installed in this transaction: nothing of it is committed
            return self.with_env(self.env(cr=cr)).browse(self.ids).exists()._pop_figures()

        fresh = self.env["sales.lock"]._read_committed(read_fresh)
        result = {}
        for budget_id, (total, committed, spent) in mine.items():
            if budget_id in fresh:
                f_total, f_committed, f_spent = fresh[budget_id]
                result[budget_id] = (min(total, f_total), max(committed, f_committed), max(spent, f_spent))
            else:
                result[budget_id] = (total, committed, spent)
        return result

    def _pop_format(self, amount):
        return formatLang(self.env, amount, currency_obj=self[:1].currency_id or self.env.company.currency_id)

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")  # the access rights refuse first (only the SSG leader budgets)
        self._sales_check_input(vals_list)
        self._pop_check_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        self._sales_check_input([vals])
        checked = {"holder_type", "holder_team_id", "partner_id", "date_from", "date_to", "amount"}
        if not checked.isdisjoint(vals):
            self.env["sales.lock"]._lock(POP_BUDGET_LOCK, self.ids)
            for budget in self:
                merged = budget._holder_merged_vals(vals)
                merged["amount"] = vals.get("amount", budget.amount)
                self._pop_check_vals([merged])
        return super().write(vals)

    @api.model
    def _holder_messages(self):
        return {
            "period_missing": lambda **params: self.env._(
                "Period: a POP budget needs a start date (From) and an end date (To)."
            ),
            "period_reversed": lambda **params: self.env._(
                "Period: the end date (To) of a POP budget is before its start (From)."
            ),
            "team_missing": lambda **params: self.env._("Team: a team POP budget needs its team."),
            "customer_missing": lambda **params: self.env._("Customer: a customer POP budget needs its customer."),
        }

    @api.model
    def _pop_check_vals(self, vals_list):
        """Clear errors, naming the field, before anything is written."""
        errors = []
        for vals in vals_list:
            errors += self._holder_period_errors(vals)
            amount = vals.get("amount") or 0.0
            if amount < 0:
                errors.append(
                    self.env._(
                        "Allocated Amount: %(amount)s; the amount of a POP budget cannot be negative.", amount=amount
                    )
                )
            errors += self._holder_holder_errors(vals)
        if errors:
            raise ValidationError(format_error_list(errors))

    # ------------------------------------------------------------------
    # Which budget covers an issue
    # ------------------------------------------------------------------

    @api.model
    def _pop_find_budget(self, issue):
        """The budget covering ``issue`` on its date: the customer's own budget,
        else the deepest team budget covering the customer's team (when it covers
        customers) or the issue's team (itself, or a sub-team when configured)."""
        date = issue.date or fields.Date.context_today(self)
        Budget = self.sudo()
        domain = [("company_id", "=", issue.company_id.id), ("date_from", "<=", date), ("date_to", ">=", date)]
        if issue.holder_type == "customer":
            customer = issue.partner_id.commercial_partner_id
            if not customer:
                return Budget
            own = Budget.search(domain + [("holder_type", "=", "customer"), ("partner_id", "=", customer.id)], limit=1)
            if own:
                return own
            # the customer's sales team where a module gives partners one (crm), else its salesperson's
            team = (customer["team_id"] if "team_id" in customer._fields else False) or customer.user_id.sale_team_id
            domain = domain + [("cover_customers", "=", True)]
        else:
            team = issue.holder_team_id
        if not team:
            return Budget
        ancestors = [int(tid) for tid in (team.sudo().parent_path or "").split("/") if tid]
        candidates = Budget.search(domain + [("holder_type", "=", "team"), ("holder_team_id", "in", ancestors)])
        candidates = candidates.filtered(lambda b: b.holder_team_id == team or b.include_sub_teams)
        if not candidates:
            return Budget
        return max(candidates, key=lambda b: (len(b.holder_team_id.parent_path or ""), -b.id))

    def action_view_issues(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("osb_credit.action_osb_pop_issue")
        action["domain"] = [("budget_id", "=", self.id)]
        action["context"] = {"default_budget_id": self.id}
        return action

    def action_open_transfer(self):
        """The transfer form, from this budget (SSG leader)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer POP Budget"),
            "res_model": "osb.pop.budget.transfer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_from_budget_id": self.id},
        }
