# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class SalesSeamsClaim(models.Model):
    """A document whose approval is made of the engine's helpers alone: up to
    1,000, the nearest leader up the claimant's team tree (a leader above may act
    for them), above it, a sales administrator; once approved a snapshot that
    only its note, its chatter and the engine still change."""

    _name = "sales.seams.claim"
    _description = "Seams Test Claim"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.approval.mixin"]
    _check_company_auto = True
    _approval_state_field = "state"
    _approval_locked_when_approved = True

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    team_id = fields.Many2one("crm.team")
    amount = fields.Monetary(currency_field="currency_id")
    note = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To Approve"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="draft",
        required=True,
        readonly=True,
    )
    leader_approver_id = fields.Many2one("res.users", readonly=True)
    admin_approver_id = fields.Many2one("res.users", readonly=True)
    approved_on = fields.Datetime(readonly=True)

    @api.model
    def _get_approval_steps(self):
        return self._approval_threshold_steps(
            self._approval_step(
                "leader",
                "Leader",
                assign="_approval_leader_approvers",
                allowed="_approval_leader_allowed",
                approver_field="leader_approver_id",
            ),
            self._approval_step(
                "admin",
                "Sales Administrator",
                group="sales_team.group_sale_manager",
                approver_field="admin_approver_id",
            ),
            "amount",
            "_seams_threshold",
        )

    def _seams_threshold(self):
        return 1000.0

    def _approval_lock_writable_fields(self):
        return super()._approval_lock_writable_fields() | {"note"}

    def _approval_on_approved(self):
        # The engine's hook writes past the lock.
        self.sudo().write({"approved_on": fields.Datetime.now()})

    def action_submit(self):
        self._approval_start()
        return True
