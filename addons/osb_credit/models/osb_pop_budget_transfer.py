# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare

from odoo.addons.sales_team_mgmt.tools import format_error_list

from .osb_pop_budget import POP_BUDGET_LOCK


class OsbPopBudgetTransfer(models.Model):
    """A ledger move of POP budget (预算调拨) from one budget to another of the same
    company, by the SSG leader, with its reason; never changed nor deleted. It
    cannot take more than the source has remaining, and it is posted in the
    chatter of both budgets."""

    _name = "osb.pop.budget.transfer"
    _description = "POP Budget Transfer"
    _order = "date desc, id desc"
    _check_company_auto = True
    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The amount of a POP budget transfer must be positive."),
        ("two_budgets", "CHECK(from_budget_id != to_budget_id)", "A POP budget transfer moves between two budgets."),
    ]

    from_budget_id = fields.Many2one(
        "osb.pop.budget", required=True, index=True, ondelete="restrict", check_company=True
    )
    to_budget_id = fields.Many2one("osb.pop.budget", required=True, index=True, ondelete="restrict", check_company=True)
    amount = fields.Monetary(required=True, currency_field="currency_id")
    reason = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users", string="Transferred By", required=True, readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one(related="from_budget_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="from_budget_id.currency_id", string="Currency")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("osb_credit.group_osb_ssg_leader"):
            raise AccessError(self.env._("Only the SSG leader transfers POP budget."))
        self._sales_check_input(vals_list)
        Budget = self.env["osb.pop.budget"]
        errors = []
        for vals in vals_list:
            source = Budget.browse(vals.get("from_budget_id")).exists()
            target = Budget.browse(vals.get("to_budget_id")).exists()
            amount = vals.get("amount") or 0.0
            if not source or not target:
                errors.append(self.env._("From Budget / To Budget: a transfer needs both budgets."))
            elif source == target:
                errors.append(self.env._("To Budget: a transfer moves to another budget than its source."))
            elif source.company_id != target.company_id:
                errors.append(self.env._("To Budget: %(target)s is of another company.", target=target.display_name))
            if amount <= 0:
                errors.append(self.env._("Amount: %(amount)s; a transfer moves a positive amount.", amount=amount))
            if not (vals.get("reason") or "").strip():
                errors.append(self.env._("Reason: give the reason of the transfer."))
            vals.update(user_id=self.env.user.id, date=fields.Datetime.now())
        if errors:
            raise ValidationError(format_error_list(errors))
        budgets = Budget.browse({vals[key] for vals in vals_list for key in ("from_budget_id", "to_budget_id")})
        # Serialised with the issues drawing on the budgets.
        self.env["sales.lock"]._lock(POP_BUDGET_LOCK, budgets.ids)
        figures = budgets._pop_locked_figures()
        remaining = {bid: total - committed - spent for bid, (total, committed, spent) in figures.items()}
        digits = budgets[:1].currency_id.decimal_places or 2
        for vals in vals_list:
            source = Budget.browse(vals["from_budget_id"])
            if float_compare(vals["amount"], remaining[source.id], precision_digits=digits) > 0:
                total, committed, spent = figures[source.id]
                errors.append(
                    self.env._(
                        "Amount: %(amount)s is more than the %(remaining)s remaining on %(origin)s "
                        "(budget %(budget)s, committed %(committed)s, spent %(spent)s).",
                        amount=source._pop_format(vals["amount"]),
                        remaining=source._pop_format(remaining[source.id]),
                        origin=source.display_name,
                        budget=source._pop_format(total),
                        committed=source._pop_format(committed),
                        spent=source._pop_format(spent),
                    )
                )
            remaining[source.id] -= vals["amount"]
            remaining[vals["to_budget_id"]] += vals["amount"]
        if errors:
            raise ValidationError(format_error_list(errors))
        transfers = super().create(vals_list)
        for transfer in transfers:
            transfer._post_in_chatters()
        return transfers

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("POP budget transfers are ledger moves: they cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("POP budget transfers are ledger moves: they cannot be deleted."))

    def _post_in_chatters(self):
        self.ensure_one()
        amount = self.from_budget_id._pop_format(self.amount)
        self.from_budget_id.sudo().message_post(
            body=self.env._(
                "%(user)s transferred %(amount)s to %(target)s: %(reason)s",
                user=self.user_id.name,
                amount=amount,
                target=self.to_budget_id.display_name,
                reason=self.reason,
            )
        )
        self.to_budget_id.sudo().message_post(
            body=self.env._(
                "%(user)s transferred %(amount)s from %(origin)s: %(reason)s",
                user=self.user_id.name,
                amount=amount,
                origin=self.from_budget_id.display_name,
                reason=self.reason,
            )
        )
