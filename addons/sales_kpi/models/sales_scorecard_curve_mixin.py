# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import curve_errors, curve_score, gate_passed

# Sources whose values may be negative (growth falls below last year; custom and
# manual values are the user's): their curves may have negative points, unless
# the KPI counts something (a count, a quantity, minutes).
NEGATIVE_SOURCES = ("growth", "custom", "manual")
NON_NEGATIVE_UNITS = ("count", "quantity", "minutes")
SCORERS = [("leader", "Team Leader"), ("planning", "Sales Planning"), ("hr", "HR")]


class SalesScorecardCurveMixin(models.AbstractModel):
    """What a template line and a scorecard line share: a KPI line (KPI, weight,
    curve and gate) or a rubric line (item, points, who scores it). A scorecard
    line is a frozen copy of its template line: a later change of the template
    does not change the scorecards already made."""

    _name = "sales.scorecard.curve.mixin"
    _description = "Scorecard Line Definition"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        [("kpi", "KPI"), ("rubric", "Rubric Item")],
        string="Type",
        required=True,
        default="kpi",
    )
    name = fields.Char(
        string="Item",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    kpi_id = fields.Many2one("sales.kpi", string="KPI", ondelete="restrict", check_company=True)
    direction = fields.Selection(related="kpi_id.direction")
    weight = fields.Float(string="Weight (%)", help="Share of this KPI line in the KPI score; the lines sum to 100 %.")
    threshold = fields.Float(help="Where scoring starts: at and beyond it (the wrong side) the line scores the floor.")
    target = fields.Float(help="The line scores 100 at the target.")
    stretch = fields.Float(
        help="The line scores the cap at the stretch and beyond; equal to the target: no score above 100."
    )
    floor_score = fields.Float(string="Floor", default=0.0, help="Score at and below the threshold (0 to 100).")
    cap_score = fields.Float(string="Cap", default=100.0, help="Score at and beyond the stretch (100 or more).")
    gate_kpi_id = fields.Many2one(
        "sales.kpi",
        string="Gate KPI",
        ondelete="restrict",
        check_company=True,
        help="The line scores at most the gate's maximum unless this KPI reaches the gate's minimum "
        "(e.g. no over-plan bonus below 80 % plan completion).",
    )
    gate_min = fields.Float(string="Gate Minimum")
    gate_score_max = fields.Float(string="Score if Gate Fails", default=0.0)
    gate_note = fields.Char(string="Gate", compute="_compute_gate_note")
    points = fields.Float(help="Maximum score of the rubric item.")
    scorer = fields.Selection(SCORERS, string="Scored by", default="leader")

    @api.depends("kpi_id", "line_type")
    def _compute_name(self):
        for line in self:
            if line.line_type == "kpi" and line.kpi_id and not line.name:
                line.name = line.kpi_id.name
            line.name = line.name or False

    @api.depends("gate_kpi_id", "gate_min", "gate_score_max")
    def _compute_gate_note(self):
        for line in self:
            if not line.gate_kpi_id:
                line.gate_note = False
                continue
            sign = "≤" if line.gate_kpi_id.direction == "lower" else "≥"
            line.gate_note = self.env._(
                "%(kpi)s %(sign)s %(min)s, else at most %(max)s",
                kpi=line.gate_kpi_id.name,
                sign=sign,
                min=format(line.gate_min, "g"),
                max=format(line.gate_score_max, "g"),
            )

    @api.constrains(
        "line_type", "kpi_id", "weight", "threshold", "target", "stretch", "floor_score", "cap_score", "points"
    )
    def _check_curve(self):
        for line in self:
            if line.line_type == "rubric":
                if line.points <= 0:
                    raise ValidationError(
                        self.env._("The points of the rubric item %(item)s must be above 0.", item=line.name)
                    )
                continue
            if not line.kpi_id:
                raise ValidationError(self.env._("The KPI line %(item)s needs a KPI.", item=line.name))
            if not 0 <= line.weight <= 100:
                raise ValidationError(
                    self.env._("The weight of the KPI line %(item)s must be from 0 to 100 %%.", item=line.name)
                )
            errors = curve_errors(
                line.threshold,
                line.target,
                line.stretch,
                line.floor_score,
                line.cap_score,
                lower=line.kpi_id.direction == "lower",
                allow_negative=line.kpi_id.source in NEGATIVE_SOURCES and line.kpi_id.unit not in NON_NEGATIVE_UNITS,
            )
            if errors:
                raise ValidationError(line._curve_error_message(errors[0]))

    def _curve_error_message(self, error):
        lower = self.kpi_id.direction == "lower"
        messages = {
            "negative": self.env._(
                "The curve of %(item)s has a negative threshold, target or stretch: %(kpi)s cannot be negative.",
                item=self.name,
                kpi=self.kpi_id.name,
            ),
            "order": self.env._(
                "The threshold of %(item)s must be above its target (%(kpi)s: lower is better).",
                item=self.name,
                kpi=self.kpi_id.name,
            )
            if lower
            else self.env._(
                "The threshold of %(item)s must be below its target (%(kpi)s: higher is better).",
                item=self.name,
                kpi=self.kpi_id.name,
            ),
            "stretch": self.env._(
                "The stretch of %(item)s cannot be above its target (%(kpi)s: lower is better).",
                item=self.name,
                kpi=self.kpi_id.name,
            )
            if lower
            else self.env._(
                "The stretch of %(item)s cannot be below its target (%(kpi)s: higher is better).",
                item=self.name,
                kpi=self.kpi_id.name,
            ),
            "scores": self.env._(
                "The floor of %(item)s must be from 0 to 100 and its cap 100 or more.",
                item=self.name,
            ),
        }
        return messages[error]

    def _curve_values(self):
        """The definition of the line as values of a scorecard line."""
        self.ensure_one()
        return {
            "sequence": self.sequence,
            "line_type": self.line_type,
            "name": self.name,
            "kpi_id": self.kpi_id.id,
            "weight": self.weight,
            "threshold": self.threshold,
            "target": self.target,
            "stretch": self.stretch,
            "floor_score": self.floor_score,
            "cap_score": self.cap_score,
            "gate_kpi_id": self.gate_kpi_id.id,
            "gate_min": self.gate_min,
            "gate_score_max": self.gate_score_max,
            "points": self.points,
            "scorer": self.scorer,
        }

    def _curve_score(self, actual, gate_value=0.0):
        """(score, gate passed) of ``actual`` on this line's curve."""
        self.ensure_one()
        score = curve_score(
            actual,
            self.threshold,
            self.target,
            self.stretch,
            self.floor_score,
            self.cap_score,
            lower=self.kpi_id.direction == "lower",
        )
        passed = True
        if self.gate_kpi_id:
            passed = gate_passed(gate_value, self.gate_min, lower=self.gate_kpi_id.direction == "lower")
            if not passed:
                score = min(score, self.gate_score_max)
        return score, passed
