# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare

from odoo.addons.sales_team_mgmt.tools import format_error_list

from .osb_quota import QUOTA_LOCK


class OsbQuotaTransfer(models.Model):
    """A ledger move of allocation between two holders (调拨): from one allocation
    to another of the same product or category, by the SSG leader, with its
    reason; never changed nor deleted. It cannot take more than the source has
    available, and it is posted in the chatter of both allocations."""

    _name = "osb.quota.transfer"
    _description = "Quota Transfer"
    _order = "date desc, id desc"
    _check_company_auto = True
    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a quota transfer must be positive."),
        ("two_allocations", "CHECK(from_quota_id != to_quota_id)", "A quota transfer moves between two allocations."),
    ]

    from_quota_id = fields.Many2one(
        "osb.quota", string="From Allocation", required=True, index=True, ondelete="restrict", check_company=True
    )
    to_quota_id = fields.Many2one(
        "osb.quota", string="To Allocation", required=True, index=True, ondelete="restrict", check_company=True
    )
    quantity = fields.Float(digits="Product Unit of Measure", required=True)
    reason = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users", string="Transferred By", required=True, readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one(related="from_quota_id.company_id", store=True, index=True)
    product_id = fields.Many2one(related="from_quota_id.product_id", string="Product")
    categ_id = fields.Many2one(related="from_quota_id.categ_id", string="Product Category")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("osb_credit.group_osb_ssg_leader"):
            raise AccessError(self.env._("Only the SSG leader transfers quota between holders."))
        self._sales_check_input(vals_list)  # before the values are read below
        Quota = self.env["osb.quota"]
        errors = []
        for vals in vals_list:
            source = Quota.browse(vals.get("from_quota_id")).exists()
            target = Quota.browse(vals.get("to_quota_id")).exists()
            quantity = vals.get("quantity") or 0.0
            if not source or not target:
                errors.append(self.env._("From Allocation / To Allocation: a transfer needs both allocations."))
            elif source == target:
                errors.append(self.env._("To Allocation: a transfer moves to another allocation than its source."))
            elif (source.product_id, source.categ_id) != (target.product_id, target.categ_id):
                errors.append(
                    self.env._(
                        "To Allocation: %(target)s allocates another product or category than %(origin)s.",
                        target=target.display_name,
                        origin=source.display_name,
                    )
                )
            if quantity <= 0:
                errors.append(
                    self.env._("Quantity: %(quantity)s; a transfer moves a positive quantity.", quantity=quantity)
                )
            if not (vals.get("reason") or "").strip():
                errors.append(self.env._("Reason: give the reason of the transfer."))
            vals.update(user_id=self.env.user.id, date=fields.Datetime.now())
        if errors:
            raise ValidationError(format_error_list(errors))
        quotas = Quota.browse({vals[key] for vals in vals_list for key in ("from_quota_id", "to_quota_id")})
        # Serialised with the confirmations that use the allocations.
        self.env["sales.lock"]._lock(QUOTA_LOCK, quotas.ids)
        figures = Quota._quota_locked_figures(quotas.ids)
        available = {quota_id: allocated - used for quota_id, (allocated, used) in figures.items()}
        digits = Quota._quota_digits()
        for vals in vals_list:
            source = Quota.browse(vals["from_quota_id"])
            if float_compare(vals["quantity"], available[source.id], precision_digits=digits) > 0:
                errors.append(
                    self.env._(
                        "Quantity: %(quantity)s is more than the %(available)s available on %(origin)s "
                        "(allocated %(allocated)s, used %(used)s).",
                        quantity=Quota._quota_format(vals["quantity"]),
                        available=Quota._quota_format(available[source.id]),
                        origin=source.display_name,
                        allocated=Quota._quota_format(figures[source.id][0]),
                        used=Quota._quota_format(figures[source.id][1]),
                    )
                )
            available[source.id] -= vals["quantity"]
            available[vals["to_quota_id"]] += vals["quantity"]
        if errors:
            raise ValidationError(format_error_list(errors))
        transfers = super().create(vals_list)
        # The children of an allocation may not exceed it, nor it its parent.
        touched = transfers.from_quota_id | transfers.to_quota_id
        parents = (touched.parent_id | touched.filtered("child_ids")).sudo()
        if parents:
            parents._quota_check_children()
        for transfer in transfers:
            transfer._post_in_chatters()
        return transfers

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Quota transfers are ledger moves: they cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("Quota transfers are ledger moves: they cannot be deleted."))

    def _post_in_chatters(self):
        self.ensure_one()
        Quota = self.env["osb.quota"]
        quantity = Quota._quota_format(self.quantity)
        self.from_quota_id.sudo().message_post(
            body=self.env._(
                "%(user)s transferred %(quantity)s to %(target)s: %(reason)s",
                user=self.user_id.name,
                quantity=quantity,
                target=self.to_quota_id.display_name,
                reason=self.reason,
            )
        )
        self.to_quota_id.sudo().message_post(
            body=self.env._(
                "%(user)s transferred %(quantity)s from %(origin)s: %(reason)s",
                user=self.user_id.name,
                quantity=quantity,
                origin=self.from_quota_id.display_name,
                reason=self.reason,
            )
        )
