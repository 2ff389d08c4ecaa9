# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

LINE_TYPES = [
    ("base", "Base Pay"),
    ("completion", "Plan Completion Pay"),
    ("work", "Work Score Pay"),
    ("over_plan", "Over-plan Bonus"),
    ("fine", "Fine"),
    ("bonus", "Bonus"),
    ("correction", "Correction"),
]


class SalesPayLine(models.Model):
    """A line of a member's monthly pay, made by the month's pay run: a part of
    the pay formula, a fine or a bonus of a rule, or a correction of an earlier,
    approved month. Each keeps its basis figures and says why; the lines of an
    approved run are its snapshot and never change."""

    _name = "sales.pay.line"
    _description = "Pay Line"
    _order = "month desc, team_id, user_id, sequence, id"
    _check_company_auto = True

    run_id = fields.Many2one("sales.pay.run", required=True, ondelete="cascade", index=True, readonly=True)
    run_state = fields.Selection(related="run_id.state", string="Pay Run State")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(required=True, index=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    member_id = fields.Many2one("crm.team.member", required=True, index=True, readonly=True, ondelete="restrict")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, readonly=True)
    role_id = fields.Many2one("sales.role", readonly=True)
    scorecard_id = fields.Many2one("sales.scorecard", readonly=True, ondelete="set null")
    line_type = fields.Selection(LINE_TYPES, string="Type", required=True, readonly=True, index=True)
    rule_id = fields.Many2one("sales.incentive.rule", readonly=True, ondelete="restrict", index=True)
    name = fields.Char(string="Why", readonly=True)
    basis_detail = fields.Text(string="Basis", readonly=True)
    standard_pay = fields.Monetary(readonly=True, currency_field="currency_id")
    basis_value = fields.Float(readonly=True, digits=(16, 2), help="The figure the line is computed from.")
    basis_value2 = fields.Float(readonly=True, digits=(16, 2))
    occurrences = fields.Float(readonly=True, digits=(16, 2))
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    warning = fields.Boolean(readonly=True, help="The rule escalated this month: the member is warned.")
    correction_month = fields.Date(
        string="Corrects Month", readonly=True, index=True, help="The approved month this correction line corrects."
    )
    correction_run_id = fields.Many2one("sales.pay.run", string="Corrects Run", readonly=True, ondelete="restrict")
    correction_type = fields.Selection(LINE_TYPES, string="Corrected Type", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.check_access("create")
            raise UserError(self.env._("Pay lines are made by the month's pay run, not one by one."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")
            raise UserError(self.env._("Pay lines are made by the month's pay run: they cannot be edited."))
        self.run_id._approval_check_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_snapshot(self):
        if not self.env.su:
            raise UserError(self.env._("Pay lines are made by the month's pay run: they cannot be deleted."))
        self.run_id._approval_check_unlocked()

    def action_print_statement(self):
        return self.env.ref("sales_kpi.action_report_sales_pay_statement").report_action(self)

    def _pay_statements(self):
        """``[{"member", "user", "month", "lines", "total"}]``: these lines by member
        and month, for the pay statement."""
        groups = {}
        for line in self.sorted(lambda rec: (rec.month, rec.user_id.name or "", rec.sequence, rec.id)):
            key = (line.member_id.id, line.month)
            if key not in groups:
                groups[key] = {
                    "member": line.member_id,
                    "user": line.user_id,
                    "team": line.team_id,
                    "month": line.month,
                    "company": line.company_id,
                    "run": line.run_id,
                    "lines": self.browse(),
                    "total": 0.0,
                }
            groups[key]["lines"] |= line
            groups[key]["total"] += line.amount
        return list(groups.values())
