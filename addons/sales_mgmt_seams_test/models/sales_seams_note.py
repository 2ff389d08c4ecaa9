# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class SalesSeamsNote(models.Model):
    """A team-scoped document made with the mixin and the rule helper alone, with
    a two-step approval made with the approval engine alone: the team's member
    holding the role SEAMS_SSG, then, above 1,000, a sales administrator."""

    _name = "sales.seams.note"
    _description = "Seams Test Note"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.team.scoped.mixin", "sales.approval.mixin"]
    _check_company_auto = True
    _approval_state_field = "state"
    _approval_amount_field = "amount"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    amount = fields.Float()
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To Approve"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="draft",
        required=True,
        readonly=True,
    )
    ssg_approver_id = fields.Many2one("res.users", readonly=True)
    admin_approver_id = fields.Many2one("res.users", readonly=True)

    @api.model
    def _get_approval_steps(self):
        return [
            self._approval_step("ssg", "SSG", assign="_seams_assign_ssg", approver_field="ssg_approver_id"),
            self._approval_step(
                "admin",
                "Sales Administrator",
                needed="_seams_needs_admin",
                group="sales_team.group_sale_manager",
                approver_field="admin_approver_id",
            ),
        ]

    def _seams_assign_ssg(self):
        return self._approval_team_role_approvers("SEAMS_SSG")

    def _seams_needs_admin(self):
        return self.filtered(lambda note: note.amount > 1000)

    def action_submit(self):
        self._approval_start()
        return True
