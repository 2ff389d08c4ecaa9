# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.tools import format_date

# The fields that say who holds a record and for which period.
HOLDER_FIELDS = ("holder_type", "holder_team_id", "partner_id", "date_from", "date_to")


class OsbHolderMixin(models.AbstractModel):
    """A record held by a team or a customer for a period, in a company: a quota
    allocation (``osb.quota``) or a POP budget (``osb.pop.budget``).

    It gives the holder (``holder_type``: ``team`` or ``customer``, with
    ``holder_team_id`` or ``partner_id``), the period (``date_from``, ``date_to``),
    the company, and the team-scoped visibility of the holder: the responsible
    (``user_id``) is the team's leader or the customer's salesperson, the team
    (``team_id``) the team itself or that salesperson's team. A model adds its own
    help on ``holder_type`` and its own messages (``_holder_messages``)."""

    _name = "osb.holder.mixin"
    _description = "Team or Customer Holder for a Period"
    _inherit = ["sales.team.scoped.mixin"]
    # A team record names no customer and a customer record no team (osb.quota); a
    # POP budget keeps the other field when the holder type changes.
    _holder_exclusive = False

    user_id = fields.Many2one(
        string="Responsible",
        default=None,
        compute="_compute_user_id",
        store=True,
        readonly=True,
        precompute=True,
    )
    team_id = fields.Many2one(string="Visible to Team", readonly=True)
    active = fields.Boolean(default=True, tracking=True)
    holder_type = fields.Selection(
        [("team", "Team"), ("customer", "Customer")],
        string="Holder",
        required=True,
        default="team",
        tracking=True,
    )
    holder_team_id = fields.Many2one(
        "crm.team", string="Team", index="btree_not_null", check_company=True, tracking=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
    )
    date_from = fields.Date(string="From", required=True, index=True, tracking=True)
    date_to = fields.Date(string="To", required=True, index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    @api.depends("holder_type", "holder_team_id.user_id", "partner_id.user_id")
    def _compute_user_id(self):
        for record in self:
            if record.holder_type == "customer":
                record.user_id = record.partner_id.user_id
            else:
                record.user_id = record.holder_team_id.user_id

    @api.depends("holder_type", "holder_team_id", "partner_id.user_id")
    def _compute_team_id(self):
        for record in self:
            if record.holder_type == "customer":
                record.team_id = record.partner_id.user_id.sale_team_id
            else:
                record.team_id = record.holder_team_id

    @api.depends("holder_type", "holder_team_id", "partner_id", "date_from", "date_to")
    def _compute_display_name(self):
        for record in self:
            record.display_name = record._holder_name()

    def _holder_name(self, *prefix):
        """``prefix · holder · period``, the empty parts left out."""
        self.ensure_one()
        return " · ".join(part for part in (*prefix, self._holder_label(), self._holder_period_label()) if part)

    def _holder_label(self):
        self.ensure_one()
        if self.holder_type == "customer":
            return self.partner_id.display_name or ""
        return self.holder_team_id.display_name or ""

    def _holder_period_label(self):
        self.ensure_one()
        if not self.date_from or not self.date_to:
            return ""
        return f"{format_date(self.env, self.date_from)} – {format_date(self.env, self.date_to)}"

    def _holder_merged_vals(self, vals, names=HOLDER_FIELDS):
        """The values ``vals`` would give this record: for the checks of a write."""
        self.ensure_one()
        return {
            name: vals.get(name, self[name].id if self._fields[name].type == "many2one" else self[name])
            for name in names
        }

    @api.model
    def _holder_messages(self):
        """The model's messages of the holder and period checks, by key:
        ``period_missing``, ``period_reversed`` (with ``to`` and ``start``),
        ``team_missing``, ``customer_missing``."""
        raise NotImplementedError

    @api.model
    def _holder_period_errors(self, vals):
        """The errors of the period of ``vals`` (values of a create, or merged
        values of a write), naming the field."""
        messages = self._holder_messages()
        if not vals.get("date_from") or not vals.get("date_to"):
            return [messages["period_missing"]()]
        if fields.Date.to_date(vals["date_from"]) > fields.Date.to_date(vals["date_to"]):
            return [messages["period_reversed"](to=vals["date_to"], start=vals["date_from"])]
        return []

    @api.model
    def _holder_holder_errors(self, vals):
        """The errors of the holder of ``vals``: a team record names its team, a
        customer record its customer (and, ``_holder_exclusive``, not the other)."""
        messages = self._holder_messages()
        errors = []
        holder_type = vals.get("holder_type") or "team"
        exclusive = self._holder_exclusive
        if holder_type == "team" and (not vals.get("holder_team_id") or (exclusive and vals.get("partner_id"))):
            errors.append(messages["team_missing"]())
        if holder_type == "customer" and (not vals.get("partner_id") or (exclusive and vals.get("holder_team_id"))):
            errors.append(messages["customer_missing"]())
        return errors
