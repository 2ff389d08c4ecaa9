# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from .osb_role_rule import OSB_ROLE_SELECTION

OSB_FLOWS = [
    ("op", "OP: Order Processing"),
    ("sp", "SP: Shipping"),
    ("bc", "BC: Billing and Collection"),
]
# What the stamping hooks rely on: set by the data, never changed.
FIXED_FIELDS = ("code", "flow", "mode")
STEP_MODES = [
    ("automatic", "Automatic"),
    ("manual", "Manual"),
]


class OsbStep(models.Model):
    """One of the standard steps of the OSB flow (order → ship → bill). The steps
    that a document of Odoo proves are stamped by its event (``mode`` automatic);
    the others are ticked by their owner (manual). The code is what the stamping
    hooks name: a step's code never changes."""

    _name = "osb.step"
    _description = "OSB Step"
    # Read at every stamp (_step_data): any change clears the cache.
    _inherit = ["sales.registry.cache.mixin"]
    _order = "sequence, id"
    _sql_constraints = [
        ("code_uniq", "UNIQUE(code)", "An OSB step code is unique."),
        ("sla_hours_positive", "CHECK(sla_hours >= 0)", "The SLA of an OSB step cannot be negative."),
    ]

    code = fields.Char(required=True, index=True, help="Technical code the stamping hooks use, e.g. sp_shipped.")
    name = fields.Char(required=True, translate=True)
    flow = fields.Selection(OSB_FLOWS, required=True)
    sequence = fields.Integer(default=10, help="Order of the step in the flow; the next step's target counts from it.")
    owner_role = fields.Selection(
        OSB_ROLE_SELECTION,
        required=True,
        help="The role of the order (CSR, SCR, BCR) that answers for the step and ticks it when it is manual.",
    )
    sla_hours = fields.Float(
        string="SLA (Working Hours)",
        help="Working hours, on the company's working calendar, from the done time of the previous step "
        "to this step's target. 0: the step has no target and is never late.",
    )
    mode = fields.Selection(
        STEP_MODES,
        required=True,
        default="manual",
        help="Automatic: stamped by the event of the document that proves it. Manual: ticked by its owner.",
    )
    description = fields.Text(translate=True, help="What proves the step.")
    active = fields.Boolean(default=True)

    @api.constrains("sla_hours")
    def _check_sla_hours(self):
        for step in self:
            if step.sla_hours < 0:
                raise ValidationError(
                    self.env._("SLA (Working Hours) of the step %(step)s cannot be negative.", step=step.name)
                )

    def write(self, vals):
        self._sales_check_input([vals])
        changed = [name for name in FIXED_FIELDS if name in vals and any(step[name] != vals[name] for step in self)]
        if changed:
            raise UserError(
                self.env._(
                    "%(fields)s of an OSB step cannot be changed: the stamping of the timeline relies on them.",
                    fields=", ".join(self._fields[name].get_description(self.env)["string"] for name in changed),
                )
            )
        return super().write(vals)

    @api.model
    def _step_data(self, include_inactive=False):
        """``{code: {id, code, sequence, flow, owner_role, sla_hours, mode, active, next}}`` of the
        active steps (every step with ``include_inactive``), ``next`` being the code of the
        next active step (by sequence), if any. Cached: read at every stamp."""
        data = self._step_data_cached()
        if include_inactive:
            return data
        return {code: step for code, step in data.items() if step["active"]}

    @api.model
    @tools.ormcache()
    def _step_data_cached(self):
        steps = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch([], ["code", "sequence", "flow", "owner_role", "sla_hours", "mode", "active"])
        )
        data = {}
        previous = None
        for step in steps:
            data[step.code] = {
                "id": step.id,
                "code": step.code,
                "sequence": step.sequence,
                "flow": step.flow,
                "owner_role": step.owner_role,
                "sla_hours": step.sla_hours,
                "mode": step.mode,
                "active": step.active,
                "next": None,
            }
            if step.active:
                if previous:
                    data[previous]["next"] = step.code
                previous = step.code
        return data
