# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesPayFormula(models.Model):
    """How a role's monthly pay is made from the standard pay (seeds: 月度薪酬 =
    基础工资 + 计划完成率考核工资 + 日常工作考核工资 + 超计划奖金):

    - base = standard pay x base %;
    - completion pay = standard pay x completion % x min(completion, cap) / 100,
      nothing below the completion gate;
    - work-score pay = standard pay x work-score % x daily-work score / 100
      (at most 100);
    - over-plan bonus = standard pay x over-plan % x (min(completion,
      over-plan cap) - 100) / 100, above 100 % completion only.

    The completion is the actual of the scorecard's KPI line of the formula's
    completion KPI (else of its first plan-completion line); the work score the
    scorecard's daily-work score. A formula without a role is the company's
    default."""

    _name = "sales.pay.formula"
    _description = "Pay Formula"
    _order = "company_id, role_id, id"
    _check_company_auto = True
    _sql_constraints = [
        ("company_role_uniq", "UNIQUE NULLS NOT DISTINCT(company_id, role_id)", "A role has one pay formula."),
    ]

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    role_id = fields.Many2one("sales.role", ondelete="cascade", help="Empty: the company's default.")
    base_percent = fields.Float(string="Base (%)", default=50.0)
    completion_percent = fields.Float(string="Plan Completion Pay (%)", default=35.0)
    work_percent = fields.Float(string="Work Score Pay (%)", default=15.0)
    completion_kpi_id = fields.Many2one(
        "sales.kpi",
        string="Completion KPI",
        help="The scorecard line giving the plan completion; empty: its first line of a plan-completion KPI.",
    )
    completion_gate = fields.Float(
        string="Completion Gate (%)", default=80.0, help="Below this completion the completion pay is nothing."
    )
    completion_cap = fields.Float(
        string="Completion Cap (%)", default=100.0, help="The completion counted in the completion pay at most."
    )
    over_plan_percent = fields.Float(
        string="Over-plan Bonus (%)",
        default=35.0,
        help="Percent of the standard pay paid for each 100 points of completion above 100 %.",
    )
    over_plan_cap = fields.Float(
        string="Over-plan Cap (%)", default=150.0, help="The completion counted in the over-plan bonus at most."
    )

    @api.constrains(
        "base_percent",
        "completion_percent",
        "work_percent",
        "completion_gate",
        "completion_cap",
        "over_plan_percent",
        "over_plan_cap",
    )
    def _check_percents(self):
        for formula in self:
            for name in (
                "base_percent",
                "completion_percent",
                "work_percent",
                "completion_gate",
                "completion_cap",
                "over_plan_percent",
            ):
                if formula[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: %(value)s is negative.",
                            field=self._fields[name].get_description(self.env)["string"],
                            value=format(formula[name], "g"),
                        )
                    )
            if formula.over_plan_cap < 100:
                raise ValidationError(
                    self.env._("Over-plan Cap (%%): %(value)s is below 100.", value=format(formula.over_plan_cap, "g"))
                )

    @api.model
    def _pay_formula_of(self, company, roles):
        """``{role id: formula}`` (the company default under ``False``), one search."""
        formulas = self.sudo().search([("company_id", "=", company.id), ("role_id", "in", [*roles.ids, False])])
        result = {formula.role_id.id: formula for formula in formulas}
        return result

    def _pay_amounts(self, standard, completion, work_score):
        """``{line type: (amount, explanation)}`` of the formula for a standard pay,
        a completion (%) and a daily-work score (0-100)."""
        self.ensure_one()
        env = self.env
        counted = min(completion, self.completion_cap)
        gated = completion < self.completion_gate
        work_rate = max(0.0, min(work_score, 100.0)) / 100.0
        over = max(0.0, min(completion, self.over_plan_cap) - 100.0)
        result = {
            "base": (
                standard * self.base_percent / 100.0,
                env._("Base: %(std)s x %(pct)s %%", std=format(standard, ",.2f"), pct=format(self.base_percent, "g")),
            ),
            "completion": (
                0.0 if gated else standard * self.completion_percent / 100.0 * counted / 100.0,
                env._(
                    "Plan completion %(c)s %% is below the gate of %(gate)s %%: no completion pay",
                    c=format(completion, "g"),
                    gate=format(self.completion_gate, "g"),
                )
                if gated
                else env._(
                    "Plan completion: %(std)s x %(pct)s %% x %(c)s %%%(capped)s",
                    std=format(standard, ",.2f"),
                    pct=format(self.completion_percent, "g"),
                    c=format(counted, "g"),
                    capped=env._(" (capped, actual %(c)s %%)", c=format(completion, "g"))
                    if counted < completion
                    else "",
                ),
            ),
            "work": (
                standard * self.work_percent / 100.0 * work_rate,
                env._(
                    "Work score: %(std)s x %(pct)s %% x %(rate)s %%",
                    std=format(standard, ",.2f"),
                    pct=format(self.work_percent, "g"),
                    rate=format(work_rate * 100, "g"),
                ),
            ),
        }
        if over > 0:
            result["over_plan"] = (
                standard * self.over_plan_percent / 100.0 * over / 100.0,
                env._(
                    "Over-plan bonus: %(std)s x %(pct)s %% x %(over)s %% above plan",
                    std=format(standard, ",.2f"),
                    pct=format(self.over_plan_percent, "g"),
                    over=format(over, "g"),
                ),
            )
        return result
