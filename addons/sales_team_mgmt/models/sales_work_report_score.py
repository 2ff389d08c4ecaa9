# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

# What the reviewer sets; the rest comes from the rubric at submission.
REVIEWER_FIELDS = frozenset(("score", "override_reason"))


class SalesWorkReportScore(models.Model):
    """The score of a work report on one item of its rubric: created at
    submission (an automatic item already scored), set by the reviewer."""

    _name = "sales.work.report.score"
    _description = "Work Report Score"
    _order = "report_id, sequence, id"

    report_id = fields.Many2one("sales.work.report", required=True, index=True, ondelete="cascade", readonly=True)
    item_id = fields.Many2one("sales.work.report.rubric.item", required=True, ondelete="restrict", readonly=True)
    name = fields.Char(related="item_id.name")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    points = fields.Float(readonly=True, help="The most this item scores (the item's points at submission).")
    score = fields.Float()
    auto = fields.Boolean(string="Automatic", readonly=True, help="Scored from the data at submission.")
    auto_score = fields.Float(string="Automatic Score", readonly=True)
    override_reason = fields.Char(help="Why the reviewer changed the automatic score (required then).")
    # For the record rules: the report's author, team and company.
    user_id = fields.Many2one(related="report_id.user_id", store=True, index=True)
    team_id = fields.Many2one(related="report_id.team_id", store=True, index="btree_not_null")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)

    @api.constrains("score", "points", "auto_score", "override_reason")
    def _check_score(self):
        for line in self:
            if line.score < 0 or float_compare(line.score, line.points, precision_digits=2) > 0:
                raise ValidationError(
                    self.env._(
                        "Score: %(item)s scores from 0 to %(points)s, not %(score)s.",
                        item=line.item_id.name,
                        points=line.points,
                        score=line.score,
                    )
                )
            if (
                line.auto
                and float_compare(line.score, line.auto_score, precision_digits=2)
                and not (line.override_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Override Reason: %(item)s was scored %(auto)s automatically; give the reason to score it"
                        " %(score)s.",
                        item=line.item_id.name,
                        auto=line.auto_score,
                        score=line.score,
                    )
                )

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        if not REVIEWER_FIELDS.issuperset(vals):
            raise UserError(
                self.env._("The score lines of a work report come from its rubric: only their scores change.")
            )
        reports = self.report_id
        not_submitted = reports.filtered(lambda r: r.state != "submitted")
        if not_submitted:
            raise UserError(
                self.env._(
                    "%(reports)s is not waiting for its review: its scores cannot change.",
                    reports=", ".join(not_submitted.mapped("name")),
                )
            )
        refused = reports - reports._approval_filter_allowed(self.env.user)
        if refused:
            raise AccessError(
                self.env._(
                    "Only the reviewer of %(reports)s (or a sales administrator) scores it.",
                    reports=", ".join(refused.mapped("name")),
                )
            )
        return super(SalesWorkReportScore, self.sudo()).write(vals)
