# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class SalesPromotionEvidence(models.Model):
    """One month of a proposal's evidence: the member's personal sales against the
    rank's threshold, and the month's scorecard score. Written by the evaluation."""

    _name = "sales.promotion.evidence"
    _description = "Promotion Evidence Month"
    _order = "proposal_id, month"
    _check_company_auto = True

    proposal_id = fields.Many2one("sales.promotion.proposal", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="proposal_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="proposal_id.user_id", store=True, string="Member")
    team_id = fields.Many2one(related="proposal_id.team_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(required=True, readonly=True)
    amount = fields.Monetary(string="Personal Sales", currency_field="currency_id", readonly=True)
    threshold = fields.Monetary(currency_field="currency_id", readonly=True)
    met = fields.Boolean(string="Over Threshold", readonly=True)
    score = fields.Float(string="Monthly Score", digits=(16, 2), readonly=True)
    has_score = fields.Boolean(string="Scored", readonly=True)
