# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from .osb_credit_policy import GRADES


class OsbCreditRatingLine(models.Model):
    """One customer's score and grade in a monthly rating run."""

    _name = "osb.credit.rating.line"
    _description = "Customer Credit Rating"
    _order = "score desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    rating_id = fields.Many2one("osb.credit.rating", required=True, index=True, ondelete="cascade")
    date = fields.Date(related="rating_id.date", store=True)
    company_id = fields.Many2one(related="rating_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Salesperson (KAM)")
    avg_days_late = fields.Float(digits=(16, 1))
    overdue_amount = fields.Monetary(string="Overdue")
    receivable_amount = fields.Monetary(string="Receivable")
    years = fields.Float(string="Years as Customer", digits=(16, 2))
    sales_12m = fields.Monetary(string="Sales 12 Months")
    sales_prev_12m = fields.Monetary(string="Sales Previous 12 Months")
    score_punctuality = fields.Float(string="Punctuality", digits=(16, 2))
    score_overdue = fields.Float(string="Overdue Ratio", digits=(16, 2))
    score_relationship = fields.Float(string="Relationship", digits=(16, 2))
    score_volume = fields.Float(string="Volume", digits=(16, 2))
    score = fields.Float(digits=(16, 2), aggregator="avg")
    grade = fields.Selection(
        GRADES,
        help="Grade of the score; without evidence (insufficient history) the previous grade is kept, "
        "and a customer never graded stays without one.",
    )
    previous_grade = fields.Selection(GRADES)
    insufficient_history = fields.Boolean(
        help="No invoice of the customer fell due in the 12 months rated: no punctuality points, "
        "the grade is not changed and the proposed limit is the current one.",
    )
    note = fields.Char(string="Why", help="Why the grade was kept.")
    credit_limit = fields.Monetary(string="Current Limit")
    proposed_limit = fields.Monetary()

    # A rating line is part of the snapshot of its run: only the run (as superuser) writes it.
    @api.model_create_multi
    def create(self, vals_list):
        self.env["osb.credit.rating"]._check_snapshot_access()
        return super().create(vals_list)

    def write(self, vals):
        self.env["osb.credit.rating"]._check_snapshot_access()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_superuser(self):
        self.env["osb.credit.rating"]._check_snapshot_access()
