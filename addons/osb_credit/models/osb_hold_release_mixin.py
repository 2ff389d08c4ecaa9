# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class OsbHoldReleaseMixin(models.AbstractModel):
    """The release of an order that a confirmation check holds, kept on record: who,
    when, why and until when, never changed nor deleted; creating it confirms the
    order again, and the check honours it server side. A check's release model
    (credit: ``osb.credit.release``, quota: ``osb.quota.release``) inherits it and
    says who may release (``_release_group``), when an order is held by its check
    (``_release_is_held``) and what it covers (``_release_prepare_vals``)."""

    _name = "osb.hold.release.mixin"
    _description = "Hold Release Mixin"
    _order = "id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="restrict", readonly=True, check_company=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Released By", required=True, readonly=True, default=lambda self: self.env.user
    )
    release_date = fields.Datetime(string="Released On", required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    valid_until = fields.Date(required=True, readonly=True)
    hold_message = fields.Text(readonly=True, help="The hold the release lifted.")
    is_valid = fields.Boolean(string="Valid", compute="_compute_is_valid")

    @api.depends("valid_until")
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for release in self:
            release.is_valid = release.valid_until >= today

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group(self._release_group()):
            raise AccessError(self._release_denied_message())
        self._sales_check_input(vals_list)  # before the values are read below
        today = fields.Date.context_today(self)
        for vals in vals_list:
            order = self.env["sale.order"].browse(vals.get("order_id")).exists()
            if not order:
                raise ValidationError(self.env._("A release needs an order."))
            if not self._release_is_held(order) or order.state not in ("draft", "sent"):
                raise ValidationError(self._release_not_held_message(order))
            if not (vals.get("reason") or "").strip():
                raise ValidationError(self.env._("Give the reason of the release."))
            self._release_prepare_vals(order, vals)
            policy = self.env["osb.credit.policy"]._get_policy(order.company_id)
            vals.setdefault("valid_until", today + timedelta(days=policy.release_validity_days))
            if fields.Date.to_date(vals["valid_until"]) < today:
                raise ValidationError(self.env._("A release cannot end in the past."))
            # Who and when are always the current user and now.
            vals.update(
                user_id=self.env.user.id,
                release_date=fields.Datetime.now(),
                hold_message=self._release_hold_message(order) or False,
            )
        releases = super().create(vals_list)
        held = releases.order_id.filtered(self._release_is_held)
        for order in held:
            order.message_post(
                body=self._release_posted_text(releases.filtered(lambda r, order=order: r.order_id == order)[:1])
            )
        if held:
            held.action_confirm()
            still = held.filtered(self._release_is_held)
            if still:
                raise UserError(self._release_short_message(still))
        return releases

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Releases are kept on record and cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("Releases are kept on record and cannot be deleted."))

    # ------------------------------------------------------------------
    # Hooks of the release models
    # ------------------------------------------------------------------

    @api.model
    def _release_group(self):
        """XML id of the group whose members may release."""
        raise NotImplementedError

    @api.model
    def _release_denied_message(self):
        raise NotImplementedError

    @api.model
    def _release_is_held(self, order):
        """Whether the check of this release model holds ``order``."""
        raise NotImplementedError

    @api.model
    def _release_not_held_message(self, order):
        raise NotImplementedError

    @api.model
    def _release_prepare_vals(self, order, vals):
        """Complete and validate ``vals`` of the release of ``order`` (what it covers)."""

    @api.model
    def _release_hold_message(self, order):
        raise NotImplementedError

    def _release_posted_text(self, release):
        raise NotImplementedError

    @api.model
    def _release_short_message(self, orders):
        raise NotImplementedError
