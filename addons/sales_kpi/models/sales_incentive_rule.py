# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import math
import operator as py_operator

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sales_team_mgmt.models.sales_complaint import COMPLAINT_CATEGORIES

PERIODS = [("day", "Per Working Day"), ("month", "Per Month")]
MEASURES = [
    ("kpi", "KPI Value"),
    ("calls", "Phone Calls"),
    ("call_minutes", "Call Minutes"),
    ("lateness", "Lateness or Early Leave"),
    ("complaints", "Complaints"),
]
# What a daily rule may read: the figures that exist per day.
DAILY_MEASURES = ("calls", "call_minutes", "lateness")
OPERATORS = [("<", "below"), ("<=", "at most"), (">=", "at least"), (">", "above")]
OPERATOR_FUNCTIONS = {"<": py_operator.lt, "<=": py_operator.le, ">=": py_operator.ge, ">": py_operator.gt}
AMOUNT_TYPES = [("fixed", "Fixed per Occurrence"), ("per_unit", "Per Unit"), ("per_step", "Per Full Step")]


class SalesIncentiveRule(models.Model):
    """A fine (negative amount) or a bonus (positive) of the monthly pay run.

    The condition compares a measure with a threshold (or a second measure with
    its threshold: either one holding is enough), on each working day (calls,
    call minutes, lateness: the daily records, never the monthly facts) or on
    the month (a KPI value through the KPI engine, complaints of a category, or
    a daily figure summed over the month). Each day or month it holds gives
    occurrences: one (fixed), the measure's value (per unit) or the full steps
    above the threshold (per step). From the ``escalate_from``-th occurrence in
    a month every occurrence of that month is worth the escalated amount, with
    a warning. The month's result is one pay line per member saying why."""

    _name = "sales.incentive.rule"
    _description = "Fine or Bonus Rule"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    role_ids = fields.Many2many("sales.role", string="Roles", help="Empty: every member.")
    period = fields.Selection(PERIODS, required=True, default="month")
    measure = fields.Selection(MEASURES, required=True, default="kpi")
    kpi_id = fields.Many2one("sales.kpi", string="KPI", ondelete="restrict")
    complaint_category = fields.Selection(COMPLAINT_CATEGORIES, help="Empty: every complaint.")
    operator = fields.Selection(OPERATORS, required=True, default="<")
    threshold = fields.Float(digits=(16, 2))
    measure2 = fields.Selection(MEASURES, string="Or Measure", help="A second condition: either one is enough.")
    kpi2_id = fields.Many2one("sales.kpi", string="Or KPI", ondelete="restrict")
    threshold2 = fields.Float(string="Or Threshold", digits=(16, 2))
    amount_type = fields.Selection(AMOUNT_TYPES, required=True, default="fixed")
    amount = fields.Monetary(
        required=True, currency_field="currency_id", help="Negative: a fine (罚款); positive: a bonus (奖金)."
    )
    step = fields.Float(digits=(16, 2), help="Per full step: the size of a step above the threshold.")
    escalate_from = fields.Integer(
        help="From this occurrence in a month, every occurrence of the month is worth the escalated amount (0: never).",
    )
    escalated_amount = fields.Monetary(currency_field="currency_id")
    escalation_warning = fields.Boolean(string="Warn When Escalated", default=True)
    kind = fields.Selection([("fine", "Fine"), ("bonus", "Bonus")], compute="_compute_kind", store=True)
    description = fields.Text(translate=True)

    @api.depends("amount")
    def _compute_kind(self):
        for rule in self:
            rule.kind = "fine" if rule.amount < 0 else "bonus"

    @api.constrains(
        "period", "measure", "kpi_id", "measure2", "kpi2_id", "amount_type", "step", "escalate_from", "amount"
    )
    def _check_rule(self):
        for rule in self:
            for measure, kpi, label in ((rule.measure, rule.kpi_id, "KPI"), (rule.measure2, rule.kpi2_id, "Or KPI")):
                if not measure:
                    continue
                if measure == "kpi" and not kpi:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: the rule %(rule)s compares a KPI value: name the KPI.",
                            field=label,
                            rule=rule.name,
                        )
                    )
                if rule.period == "day" and measure not in DAILY_MEASURES:
                    raise ValidationError(
                        self.env._(
                            "Measure: a daily rule (%(rule)s) reads phone calls, call minutes or lateness per day; "
                            "KPI values and complaints are monthly.",
                            rule=rule.name,
                        )
                    )
            if rule.amount_type == "per_step" and rule.step <= 0:
                raise ValidationError(
                    self.env._("Step: the rule %(rule)s pays per full step: give a step above zero.", rule=rule.name)
                )
            if rule.escalate_from < 0:
                raise ValidationError(self.env._("Escalate From: %(n)s is negative.", n=rule.escalate_from))
            if not rule.amount:
                raise ValidationError(self.env._("Amount: the rule %(rule)s has no amount.", rule=rule.name))

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    def _pay_holds(self, value, value2):
        self.ensure_one()
        check = OPERATOR_FUNCTIONS[self.operator]
        return check(value, self.threshold) or bool(self.measure2 and check(value2, self.threshold2))

    def _pay_units(self, value, value2):
        """Occurrences that a day (or the month) with these figures gives."""
        self.ensure_one()
        if not self._pay_holds(value, value2):
            return 0
        if self.amount_type == "fixed":
            return 1
        if self.amount_type == "per_unit":
            return value
        return max(0, math.floor((abs(value - self.threshold) + 1e-9) / self.step))

    def _pay_result(self, occurrences):
        """``(amount, escalated)`` of a month's occurrences."""
        self.ensure_one()
        escalated = bool(self.escalate_from and occurrences >= self.escalate_from)
        rate = self.escalated_amount if escalated else self.amount
        return occurrences * rate, escalated

    def _pay_measure_label(self, measure, kpi):
        if measure == "kpi":
            return kpi.name
        if measure == "complaints" and self.complaint_category:
            categories = dict(self._fields["complaint_category"]._description_selection(self.env))
            return self.env._("Complaints: %(category)s", category=categories[self.complaint_category])
        return dict(self._fields["measure"]._description_selection(self.env))[measure]
