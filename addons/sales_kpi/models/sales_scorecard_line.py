# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.sales_team_mgmt.tools import check_guarded_fields

from ..tools import achievement_percent

# What a reviewer may write on a line: the rubric score and a note. The rest is
# the frozen definition and the computed figures, written by the monthly run.
CLIENT_FIELDS = frozenset({"rubric_score", "note"})


class SalesScorecardLine(models.Model):
    """A line of a member's monthly scorecard: a KPI line (its actual read through
    the KPI engine, scored on its curve and weighted) or a rubric line (scored by
    its reviewer, at most its points)."""

    _name = "sales.scorecard.line"
    _description = "Scorecard Line"
    _inherit = ["sales.scorecard.curve.mixin"]
    _order = "scorecard_id, sequence, id"
    _check_company_auto = True

    scorecard_id = fields.Many2one("sales.scorecard", required=True, ondelete="cascade", index=True)
    # The scorecard's company, member, team and month, copied once by the monthly
    # run (they never change on a scorecard): the record rules read them, and
    # stored related fields would cost a recompute and an UPDATE of every line.
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    template_line_id = fields.Many2one("sales.scorecard.template.line", readonly=True, ondelete="set null")
    state = fields.Selection(related="scorecard_id.state", string="Scorecard State")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, readonly=True)
    month = fields.Date(readonly=True)
    actual = fields.Float(readonly=True, digits=(16, 2), help="The KPI's value of the member for the month.")
    gate_value = fields.Float(readonly=True, digits=(16, 2), help="The gate KPI's value of the member for the month.")
    gate_passed = fields.Boolean(compute="_compute_score", store=True)
    achievement = fields.Float(string="Achievement (%)", compute="_compute_score", store=True, digits=(16, 1))
    score = fields.Float(compute="_compute_score", store=True, digits=(16, 2))
    weighted_score = fields.Float(compute="_compute_score", store=True, digits=(16, 2))
    rubric_score = fields.Float(string="Points Given", digits=(16, 2))
    note = fields.Char()

    @api.depends(
        "line_type",
        "actual",
        "gate_value",
        "weight",
        "threshold",
        "target",
        "stretch",
        "floor_score",
        "cap_score",
        "gate_kpi_id",
        "gate_min",
        "gate_score_max",
        "rubric_score",
        "points",
    )
    def _compute_score(self):
        for line in self:
            if line.line_type == "rubric":
                line.gate_passed = True
                line.score = line.rubric_score
                line.achievement = 100.0 * line.rubric_score / line.points if line.points else 0.0
                line.weighted_score = 0.0
                continue
            score, passed = line._curve_score(line.actual, line.gate_value)
            line.score = score
            line.gate_passed = passed
            line.achievement = achievement_percent(line.actual, line.target, lower=line.kpi_id.direction == "lower")
            line.weighted_score = score * line.weight / 100.0

    @api.constrains("rubric_score", "points", "line_type")
    def _check_rubric_score(self):
        for line in self:
            line._sales_check_rubric_score(line.rubric_score)

    def _sales_check_rubric_score(self, score):
        for line in self:
            if line.line_type != "rubric":
                continue
            if score < 0 or float_compare(score, line.points, precision_digits=2) > 0:
                raise ValidationError(
                    self.env._(
                        "The score of %(item)s must be from 0 to its %(points)s points, not %(score)s.",
                        item=line.name,
                        points=format(line.points, "g"),
                        score=format(score, "g"),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.check_access("create")
            raise UserError(self.env._("Scorecard lines come from the scorecard's template: they cannot be added."))
        self.env["sales.scorecard"].browse({v.get("scorecard_id") for v in vals_list})._approval_check_unlocked()
        return super().create(vals_list)

    def write(self, vals):
        self._sales_check_input([vals])
        check_guarded_fields(self.env, vals, set(self._fields) - CLIENT_FIELDS, self._sales_guard_message)
        self.scorecard_id._approval_check_unlocked()
        if "rubric_score" in vals:
            if not self.env.su:
                self._sales_check_scorer()
            # Checked before anything is written (the constraint checks again).
            self._sales_check_rubric_score(vals["rubric_score"] or 0.0)
        res = super().write(vals)
        if "rubric_score" in vals:
            self.scorecard_id._sales_rank()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_template_lines(self):
        if not self.env.su:
            raise UserError(self.env._("Scorecard lines come from the scorecard's template: they cannot be deleted."))
        self.scorecard_id._approval_check_unlocked()

    def _sales_guard_message(self):
        return self.env._(
            "On a scorecard line only the points given and the note can be written; "
            "the rest comes from the template and the monthly run."
        )

    def _sales_check_scorer(self):
        """The rubric items are scored by whom they name: the member's leader (or a
        leader above), sales planning (KPI managers) or HR; never by the member."""
        user = self.env.user
        for line in self:
            if line.line_type != "rubric":
                raise UserError(self.env._("%(item)s is a KPI line: it has no points to give.", item=line.name))
            card = line.scorecard_id
            if card.user_id == user:
                raise AccessError(self.env._("You cannot score your own scorecard (%(item)s).", item=line.name))
            if user.has_group("sales_kpi.group_sales_kpi_manager"):
                continue
            allowed = {
                "leader": card._sales_is_leader_above(user),
                "planning": False,
                "hr": user.has_group("hr.group_hr_user"),
            }[line.scorer]
            if not allowed:
                raise AccessError(
                    self.env._(
                        "%(item)s is scored by %(scorer)s.",
                        item=line.name,
                        scorer=dict(self._fields["scorer"]._description_selection(self.env))[line.scorer],
                    )
                )
