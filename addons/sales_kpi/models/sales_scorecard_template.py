# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class SalesScorecardTemplate(models.Model):
    """How the monthly scorecard of a role is made and scored. The formula is
    data: monthly score = KPI score x KPI weight + daily-work score x daily-work
    weight + attendance score x attendance weight (the three weights sum to 100 %).
    The KPI score is the weighted sum of the KPI lines' curve scores (their
    weights sum to 100 %); the daily-work score is the rubric's points given over
    its points (scored by the leader) or a KPI's value (the work reports' score
    rate); attendance is 100 - 4 per absent day. The seeds' rep template: daily
    work x 70 % + attendance x 30 %."""

    _name = "sales.scorecard.template"
    _description = "Scorecard Template"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True
    _sql_constraints = [
        ("role_company_uniq", "UNIQUE(role_id, company_id)", "A role has one scorecard template per company."),
    ]

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    role_id = fields.Many2one(
        "sales.role",
        check_company=True,
        tracking=True,
        help="The members holding this role get scorecards of this template.",
    )
    is_default = fields.Boolean(
        string="Default Template",
        tracking=True,
        help="Members whose role has no template of its own get this one.",
    )
    kpi_weight = fields.Float(string="KPI Weight (%)", tracking=True)
    daily_work_weight = fields.Float(string="Daily Work Weight (%)", default=70.0, tracking=True)
    attendance_weight = fields.Float(string="Attendance Weight (%)", default=30.0, tracking=True)
    absence_penalty = fields.Float(
        string="Points per Absent Day",
        default=4.0,
        help="The attendance score is 100 minus this for each absent day (a half day counts as a day).",
    )
    daily_work_source = fields.Selection(
        [("rubric", "Rubric scored by the reviewers"), ("kpi", "KPI value")],
        required=True,
        default="rubric",
        help="Rubric: the points given over the rubric's points, in percent. KPI value: the value of a KPI "
        "in percent (e.g. the work reports' score rate).",
    )
    daily_work_kpi_id = fields.Many2one("sales.kpi", string="Daily Work KPI", check_company=True)
    line_ids = fields.One2many("sales.scorecard.template.line", "template_id", string="Lines", copy=True)
    kpi_line_ids = fields.One2many(
        "sales.scorecard.template.line",
        "template_id",
        string="KPI Lines",
        domain=[("line_type", "=", "kpi")],
    )
    rubric_line_ids = fields.One2many(
        "sales.scorecard.template.line",
        "template_id",
        string="Rubric Lines",
        domain=[("line_type", "=", "rubric")],
    )
    formula = fields.Char(compute="_compute_formula")
    note = fields.Html()

    @api.depends("kpi_weight", "daily_work_weight", "attendance_weight")
    def _compute_formula(self):
        for template in self:
            parts = []
            for weight, label in (
                (template.kpi_weight, self.env._("KPI score")),
                (template.daily_work_weight, self.env._("daily-work score")),
                (template.attendance_weight, self.env._("attendance")),
            ):
                if weight:
                    parts.append(f"{label} × {weight:g} %")
            template.formula = self.env._("Monthly score = %(parts)s", parts=" + ".join(parts))

    @api.constrains(
        "kpi_weight",
        "daily_work_weight",
        "attendance_weight",
        "line_ids",
        "daily_work_source",
        "daily_work_kpi_id",
        "absence_penalty",
    )
    def _check_weights(self):
        for template in self:
            template._sales_check_weights()

    @api.constrains("is_default", "company_id", "active")
    def _check_default(self):
        for company in self.filtered("is_default").company_id:
            defaults = self.search_count([("company_id", "=", company.id), ("is_default", "=", True)])
            if defaults > 1:
                raise ValidationError(
                    self.env._("%(company)s already has a default scorecard template.", company=company.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        flagged = self.with_context(sales_scorecard_template_lines=True)
        return super(SalesScorecardTemplate, flagged).create(vals_list).with_env(self.env)

    def write(self, vals):
        return super(SalesScorecardTemplate, self.with_context(sales_scorecard_template_lines=True)).write(vals)

    def _sales_check_lines(self):
        """After a line is changed on its own (not through its template's form,
        whose save checks the whole at the end), the weights still sum to 100 %."""
        if self.env.context.get("sales_scorecard_template_lines"):
            return
        for template in self:
            template._sales_check_weights()

    def _sales_check_weights(self):
        """The weights of the formula and of the KPI lines sum to 100 %."""
        self.ensure_one()
        name = self.name
        weights = (self.kpi_weight, self.daily_work_weight, self.attendance_weight)
        if min(weights) < 0:
            raise ValidationError(self.env._("The weights of the template %(name)s cannot be negative.", name=name))
        total = sum(weights)
        if float_compare(total, 100.0, precision_digits=2):
            raise ValidationError(
                self.env._(
                    "The KPI, daily-work and attendance weights of the template %(name)s sum to %(total)s %%, "
                    "not 100 %%.",
                    name=name,
                    total=format(total, "g"),
                )
            )
        if self.absence_penalty < 0:
            raise ValidationError(
                self.env._("The points per absent day of the template %(name)s cannot be negative.", name=name)
            )
        kpi_lines = self.line_ids.filtered(lambda line: line.line_type == "kpi")
        if self.kpi_weight and not kpi_lines:
            raise ValidationError(
                self.env._("The template %(name)s weighs its KPI score but has no KPI line.", name=name)
            )
        line_total = sum(kpi_lines.mapped("weight"))
        if kpi_lines and float_compare(line_total, 100.0, precision_digits=2):
            raise ValidationError(
                self.env._(
                    "The weights of the KPI lines of the template %(name)s sum to %(total)s %%, not 100 %%.",
                    name=name,
                    total=format(line_total, "g"),
                )
            )
        if self.daily_work_weight and self.daily_work_source == "kpi" and not self.daily_work_kpi_id:
            raise ValidationError(
                self.env._("The template %(name)s takes its daily-work score from a KPI: choose it.", name=name)
            )
        if (
            self.daily_work_weight
            and self.daily_work_source == "rubric"
            and not self.line_ids.filtered(lambda line: line.line_type == "rubric")
        ):
            raise ValidationError(
                self.env._(
                    "The template %(name)s takes its daily-work score from its rubric: add rubric items.", name=name
                )
            )

    def _sales_kpis(self):
        """Every KPI the templates read: their lines', gates' and daily-work KPIs."""
        lines = self.line_ids
        return (
            lines.kpi_id | lines.gate_kpi_id | self.filtered(lambda t: t.daily_work_source == "kpi").daily_work_kpi_id
        )
