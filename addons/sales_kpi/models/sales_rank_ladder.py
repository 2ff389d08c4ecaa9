# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

# The monthly fact measures a ladder may read as a member's personal sales.
SALES_MEASURES = [
    ("amount_sale", "Confirmed Sales"),
    ("amount_invoiced", "Invoiced Revenue"),
]


class SalesRankLadder(models.Model):
    """A career ladder: its ranks in order (``sales.rank``), each with the
    criteria a member meets to be proposed for it. The monthly evaluation
    (``sales.promotion.proposal.evaluate_month``) reads the ladder's measure of
    the monthly sales facts as the members' personal sales."""

    _name = "sales.rank.ladder"
    _description = "Rank Ladder"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True
    _sql_constraints = [
        ("name_company_uniq", "UNIQUE(name, company_id)", "A ladder name must be unique per company."),
    ]

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sales_measure = fields.Selection(
        SALES_MEASURES,
        required=True,
        default="amount_sale",
        tracking=True,
        help="The measure of the monthly sales facts counted as a member's personal sales.",
    )
    rank_ids = fields.One2many("sales.rank", "ladder_id", string="Ranks")
    rank_count = fields.Integer(compute="_compute_rank_count")
    description = fields.Text(translate=True)

    def _compute_rank_count(self):
        counts = dict(self.env["sales.rank"]._read_group([("ladder_id", "in", self.ids)], ["ladder_id"], ["__count"]))
        for ladder in self:
            ladder.rank_count = counts.get(ladder, 0)
