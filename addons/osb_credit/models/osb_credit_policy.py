# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import math

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")]

# Per grade: the limit cover (x monthly sales) and the overdue tolerance (days), never negative.
GRADE_PARAMETERS = tuple(f"{kind}_{grade}" for kind in ("cover", "tolerance") for grade in "abcde")


class OsbCreditPolicy(models.Model):
    """The credit parameters of one company: every number of the rating and
    limit rules is a setting here, with the defaults of the OSB system."""

    _name = "osb.credit.policy"
    _description = "Credit Policy"
    # Rarely changed, and cached (_is_enforced_cached, _overdue_tolerances): any change clears.
    _inherit = ["mail.thread", "sales.registry.cache.mixin"]
    _order = "company_id"
    _check_company_auto = True
    _sql_constraints = [
        ("company_uniq", "UNIQUE(company_id)", "A company has one credit policy."),
        (
            "new_customer_limit_positive",
            "CHECK(new_customer_limit >= 0)",
            "The new-customer credit limit cannot be negative.",
        ),
        (
            "new_customer_months_positive",
            "CHECK(new_customer_months >= 0)",
            "The new-customer period cannot be negative.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)
    enforce = fields.Boolean(
        string="Credit Control Active",
        default=False,
        tracking=True,
        help="Credit control (OSB-ready master data, credit checks, holds, ratings and reviews) applies to "
        "the companies whose policy has it ticked.",
    )
    new_customer_limit = fields.Monetary(
        currency_field="currency_id",
        default=50000.0,
        tracking=True,
        help="Credit limit of customers younger than the new-customer period.",
    )
    new_customer_months = fields.Integer(
        default=3,
        tracking=True,
        help="Customers younger than this many months get the new-customer limit.",
    )
    # Score weights and scales
    weight_punctuality = fields.Float(default=40.0, tracking=True)
    weight_overdue = fields.Float(default=30.0, tracking=True)
    weight_relationship = fields.Float(default=10.0, tracking=True)
    weight_volume = fields.Float(default=20.0, tracking=True)
    punctuality_days = fields.Float(default=60.0, help="Average days late at which the punctuality score reaches 0.")
    relationship_years = fields.Float(default=5.0, help="Years as customer giving the full relationship score.")
    volume_target = fields.Monetary(
        currency_field="currency_id",
        default=1000000.0,
        help="Trailing-12-month invoiced sales giving the full volume score.",
    )
    # Grade thresholds
    grade_a_min = fields.Float(string="Grade A from", default=85.0, tracking=True)
    grade_b_min = fields.Float(string="Grade B from", default=70.0, tracking=True)
    grade_c_min = fields.Float(string="Grade C from", default=55.0, tracking=True)
    grade_d_min = fields.Float(string="Grade D from", default=40.0, tracking=True)
    # Months of cover per grade
    cover_a = fields.Float(string="Months of cover A", default=2.0)
    cover_b = fields.Float(string="Months of cover B", default=1.5)
    cover_c = fields.Float(string="Months of cover C", default=1.0)
    cover_d = fields.Float(string="Months of cover D", default=0.5)
    cover_e = fields.Float(string="Months of cover E", default=0.0)
    # Overdue tolerance per grade
    tolerance_a = fields.Integer(string="Overdue tolerance A (days)", default=30)
    tolerance_b = fields.Integer(string="Overdue tolerance B (days)", default=15)
    tolerance_c = fields.Integer(string="Overdue tolerance C (days)", default=7)
    tolerance_d = fields.Integer(string="Overdue tolerance D (days)", default=0)
    tolerance_e = fields.Integer(string="Overdue tolerance E (days)", default=0)
    # Limit formula
    growth_factor = fields.Float(default=0.5, help="Weight of the year-on-year growth in the limit.")
    growth_clamp = fields.Float(default=0.5, help="The growth is clamped to [-clamp, +clamp].")
    limit_rounding = fields.Monetary(
        currency_field="currency_id", default=1000.0, help="Proposed limits are rounded up to this step."
    )
    review_slt_threshold = fields.Monetary(
        string="SLT approval above",
        currency_field="currency_id",
        default=100000.0,
        tracking=True,
        help="Limit increases above this amount also need the approval of an SLT member.",
    )
    release_validity_days = fields.Integer(default=7, help="Default validity of a credit hold release, in days.")
    replenishment_tolerance_days = fields.Integer(
        string="Reorder Tolerance (days)",
        default=7,
        tracking=True,
        help="A customer is overdue for reorder when this many days have passed after its expected next order "
        "(last order + average reorder interval) without an order.",
    )
    # OSB timeline
    timeline_enabled = fields.Boolean(
        string="OSB Timeline Active",
        default=True,
        tracking=True,
        help="The steps of the company's orders are stamped as their documents' events happen.",
    )
    due_reminder_days = fields.Integer(
        string="Due Reminder (days before due)",
        default=3,
        tracking=True,
        help="The payment reminder goes to the customer this many days before an invoice is due. 0: no reminder.",
    )

    @api.depends("company_id.name")
    def _compute_name(self):
        for policy in self:
            policy.name = self.env._("Credit policy of %(company)s", company=policy.company_id.name)

    @api.constrains(
        "weight_punctuality",
        "weight_overdue",
        "weight_relationship",
        "weight_volume",
        "punctuality_days",
        "relationship_years",
        "volume_target",
        "limit_rounding",
        "growth_clamp",
        "review_slt_threshold",
        *GRADE_PARAMETERS,
        "growth_factor",
        "release_validity_days",
        "due_reminder_days",
    )
    def _check_positive_parameters(self):
        names = [
            "weight_punctuality",
            "weight_overdue",
            "weight_relationship",
            "weight_volume",
            "growth_clamp",
            "review_slt_threshold",
            *GRADE_PARAMETERS,
            "growth_factor",
            "release_validity_days",
            "due_reminder_days",
        ]
        strict = ["punctuality_days", "relationship_years", "volume_target", "limit_rounding"]
        for policy in self:
            for name in names:
                if policy[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s cannot be negative.",
                            field=self._fields[name].get_description(self.env)["string"],
                        )
                    )
            for name in strict:
                if policy[name] <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be positive.", field=self._fields[name].get_description(self.env)["string"]
                        )
                    )

    @api.constrains("replenishment_tolerance_days")
    def _check_replenishment_tolerance(self):
        for policy in self:
            if policy.replenishment_tolerance_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(field)s cannot be negative.",
                        field=self._fields["replenishment_tolerance_days"].get_description(self.env)["string"],
                    )
                )

    @api.constrains("grade_a_min", "grade_b_min", "grade_c_min", "grade_d_min")
    def _check_grade_thresholds(self):
        for policy in self:
            if not policy.grade_a_min > policy.grade_b_min > policy.grade_c_min > policy.grade_d_min >= 0:
                raise ValidationError(self.env._("The grade thresholds must decrease from A to D and not be negative."))

    @api.model
    def _get_policy(self, company=None):
        """The policy of ``company`` (default: current), created on first use."""
        company = company or self.env.company
        policy = self.sudo().with_context(active_test=False).search([("company_id", "=", company.id)], limit=1)
        if not policy:
            policy = self.sudo().create({"company_id": company.id})
        return policy.sudo(False)

    @api.model
    def _is_enforced(self, company):
        """Whether credit control applies to ``company``."""
        return self._is_enforced_cached(company.id)

    @api.model
    @tools.ormcache("company_id")
    def _is_enforced_cached(self, company_id):
        # Cached: asked for every order at every confirmation; cleared on any policy change.
        return bool(self.sudo().search_count([("company_id", "=", company_id), ("enforce", "=", True)], limit=1))

    @api.model
    @tools.ormcache("company_id")
    def _overdue_tolerances(self, company_id):
        """``((grade, days), ...)`` of the company's policy, the defaults without one.
        Cached: read at every confirmation; cleared on any policy change."""
        Policy = self.sudo().with_context(active_test=False)
        policy = Policy.search([("company_id", "=", company_id)], limit=1) or Policy.new({"company_id": company_id})
        return tuple((grade, policy._overdue_tolerance(grade)) for grade, _label in GRADES)

    @api.model
    @tools.ormcache("company_id")
    def _timeline_enabled(self, company_id):
        """Whether the OSB timeline of ``company_id`` is stamped (yes without a policy).
        Cached: asked at every stamp; cleared on any policy change."""
        Policy = self.sudo().with_context(active_test=False)
        return not Policy.search_count([("company_id", "=", company_id), ("timeline_enabled", "=", False)], limit=1)

    # ------------------------------------------------------------------
    # Rating and limit rules (pure functions of the policy parameters)
    # ------------------------------------------------------------------

    def _grade_for_score(self, score):
        self.ensure_one()
        if score >= self.grade_a_min:
            return "A"
        if score >= self.grade_b_min:
            return "B"
        if score >= self.grade_c_min:
            return "C"
        if score >= self.grade_d_min:
            return "D"
        return "E"

    def _score(self, avg_days_late, overdue, receivable, years, sales_12m):
        """Score 0-100 and its four parts from the customer's figures."""
        self.ensure_one()
        punctuality = self.weight_punctuality * (1 - min(1.0, max(avg_days_late, 0.0) / self.punctuality_days))
        ratio = overdue / receivable if receivable > 0 else 0.0
        overdue_part = self.weight_overdue * (1 - min(1.0, max(ratio, 0.0)))
        relationship = self.weight_relationship * min(1.0, max(years, 0.0) / self.relationship_years)
        volume = self.weight_volume * min(1.0, max(sales_12m, 0.0) / self.volume_target)
        score = punctuality + overdue_part + relationship + volume
        return {
            "score_punctuality": punctuality,
            "score_overdue": overdue_part,
            "score_relationship": relationship,
            "score_volume": volume,
            "score": score,
        }

    def _months_of_cover(self, grade):
        self.ensure_one()
        return self[f"cover_{(grade or 'E').lower()}"]

    def _overdue_tolerance(self, grade):
        """Days an invoice may be overdue for this grade; no grade counts as E."""
        self.ensure_one()
        return self[f"tolerance_{(grade or 'E').lower()}"]

    def _growth(self, sales_12m, sales_prev_12m):
        """Year-on-year growth clamped to [-clamp, +clamp]; 0 without last year's sales."""
        self.ensure_one()
        if sales_prev_12m <= 0:
            return 0.0
        growth = (sales_12m - sales_prev_12m) / sales_prev_12m
        return max(-self.growth_clamp, min(self.growth_clamp, growth))

    def _proposed_limit(self, grade, sales_12m, sales_prev_12m, adjustment=0.0, is_new=False):
        """Proposed credit limit: formula of the policy, or the new-customer limit,
        plus the active manual adjustments, never below 0."""
        self.ensure_one()
        if is_new:
            base = self.new_customer_limit
        else:
            growth = self._growth(sales_12m, sales_prev_12m)
            raw = max(sales_12m, 0.0) / 12.0 * self._months_of_cover(grade) * (1 + self.growth_factor * growth)
            step = self.limit_rounding
            # Round up; the epsilon keeps exact multiples (float noise) where they are.
            base = math.ceil(raw / step - 1e-9) * step if raw > 0 else 0.0
        return max(0.0, base + adjustment)
