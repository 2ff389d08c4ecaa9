# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesRank(models.Model):
    """A rank of a ladder, and what a member meets to be proposed for it: personal
    sales at or above ``sales_threshold`` in ``months_required`` months of the
    last ``window_months`` months, at least ``min_subordinates`` direct
    subordinates holding ``subordinate_rank_id`` or a higher rank of the ladder,
    and an average monthly scorecard score over the window of at least
    ``min_average_score``. Reaching the rank gives its ``role_id`` (when set) and
    its bonus tier."""

    _name = "sales.rank"
    _description = "Rank"
    _inherit = ["mail.thread"]
    _order = "ladder_id, sequence, id"
    _check_company_auto = True
    _sql_constraints = [
        ("code_ladder_uniq", "UNIQUE(code, ladder_id)", "A rank code must be unique in its ladder."),
    ]

    sequence = fields.Integer(default=10, help="Position on the ladder: lower comes first.")
    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    ladder_id = fields.Many2one(
        "sales.rank.ladder", required=True, index=True, ondelete="cascade", check_company=True, tracking=True
    )
    company_id = fields.Many2one(related="ladder_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    role_id = fields.Many2one(
        "sales.role",
        check_company=True,
        tracking=True,
        help="The role a member promoted to this rank holds from the effective date (none: the role is kept).",
    )
    sales_threshold = fields.Monetary(
        string="Monthly Sales Threshold",
        currency_field="currency_id",
        tracking=True,
        help="Personal sales a month must reach to count towards this rank.",
    )
    bonus_rate = fields.Float(
        string="Bonus Tier (%)", digits=(16, 2), tracking=True, help="Bonus rate of the rank's personal sales."
    )
    months_required = fields.Integer(
        string="Months Over Threshold",
        default=1,
        tracking=True,
        help="How many months of the window the personal sales must reach the threshold (N of M).",
    )
    window_months = fields.Integer(
        string="Window (Months)",
        default=1,
        tracking=True,
        help="The months evaluated, the evaluated month and those before it (M).",
    )
    min_subordinates = fields.Integer(
        string="Direct Subordinates",
        tracking=True,
        help="How many members of the teams the member leads must hold the subordinate rank or above.",
    )
    subordinate_rank_id = fields.Many2one(
        "sales.rank",
        check_company=True,
        domain="[('ladder_id', '=', ladder_id)]",
        help="The rank (or above) a direct subordinate must hold to count; empty: every direct subordinate counts.",
    )
    min_average_score = fields.Float(
        string="Average Score",
        digits=(16, 2),
        tracking=True,
        help="The member's average monthly scorecard score over the window must reach it (0: not checked).",
    )
    demotion_review = fields.Boolean(
        string="Review Demotion",
        default=True,
        help="A member who has held this rank for the whole window and no longer meets its sales criterion "
        "gets a demotion review (never an automatic demotion).",
    )
    description = fields.Text(translate=True)

    @api.depends("name", "code")
    def _compute_display_name(self):
        for rank in self:
            rank.display_name = f"[{rank.code}] {rank.name}" if rank.code else rank.name

    @api.constrains(
        "sales_threshold",
        "bonus_rate",
        "months_required",
        "window_months",
        "min_subordinates",
        "min_average_score",
        "subordinate_rank_id",
        "ladder_id",
    )
    def _check_criteria(self):
        for rank in self:
            errors = []
            if rank.sales_threshold < 0:
                errors.append(self.env._("Monthly Sales Threshold cannot be negative."))
            if not 0 <= rank.bonus_rate <= 100:
                errors.append(self.env._("Bonus Tier (%) must be between 0 and 100."))
            if rank.window_months < 1:
                errors.append(self.env._("Window (Months) must be at least 1."))
            if rank.months_required < 0:
                errors.append(self.env._("Months Over Threshold cannot be negative."))
            elif rank.months_required > rank.window_months:
                errors.append(
                    self.env._(
                        "Months Over Threshold (%(n)s) cannot exceed Window (Months) (%(m)s).",
                        n=rank.months_required,
                        m=rank.window_months,
                    )
                )
            if rank.min_subordinates < 0:
                errors.append(self.env._("Direct Subordinates cannot be negative."))
            if not 0 <= rank.min_average_score <= 1000:
                errors.append(self.env._("Average Score must be between 0 and 1000."))
            # read as sudo: a rank of another company's ladder is refused here too, by its name
            subordinate = rank.subordinate_rank_id.sudo()
            if subordinate and subordinate.ladder_id != rank.sudo().ladder_id:
                errors.append(
                    self.env._(
                        "Subordinate Rank %(sub)s belongs to another ladder (%(ladder)s).",
                        sub=subordinate.display_name,
                        ladder=subordinate.ladder_id.display_name,
                    )
                )
            if errors:
                raise ValidationError(self.env._("Rank %(rank)s: ", rank=rank.display_name) + " ".join(errors))
