# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesPayStandard(models.Model):
    """The standard pay (工资总额) of a member, or of every member of a role, from
    an effective date (to an optional end date). A member's own standard pay
    wins over his role's; two standard pays of the same member (or role) never
    overlap."""

    _name = "sales.pay.standard"
    _description = "Standard Pay"
    _order = "company_id, role_id, member_id, date_from desc, id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    member_id = fields.Many2one(
        "crm.team.member", index=True, ondelete="cascade", help="Empty: every member of the role."
    )
    role_id = fields.Many2one("sales.role", index=True, ondelete="cascade")
    amount = fields.Monetary(string="Standard Pay", required=True, currency_field="currency_id")
    date_from = fields.Date(string="Effective From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="Effective To", help="Last day it applies; empty: until a later one starts.")
    note = fields.Char()

    @api.depends("member_id", "role_id", "amount", "date_from")
    def _compute_display_name(self):
        for standard in self:
            owner = standard.member_id.user_id.name or standard.role_id.display_name or ""
            standard.display_name = f"{owner} {standard.date_from or ''}"

    @api.constrains("amount", "member_id", "role_id", "date_from", "date_to")
    def _check_standard(self):
        for standard in self:
            if standard.amount < 0:
                raise ValidationError(
                    self.env._(
                        "Standard Pay: %(amount)s is negative; a standard pay is zero or more.",
                        amount=format(standard.amount, "g"),
                    )
                )
            if bool(standard.member_id) == bool(standard.role_id):
                raise ValidationError(
                    self.env._("Member / Role: a standard pay is for one member or for one role, give exactly one.")
                )
            if standard.date_to and standard.date_to < standard.date_from:
                raise ValidationError(
                    self.env._(
                        "Effective To: %(end)s is before the effective date %(start)s.",
                        end=standard.date_to,
                        start=standard.date_from,
                    )
                )
        owners = self.search(
            [
                ("id", "not in", self.ids),
                "|",
                ("member_id", "in", self.member_id.ids),
                ("role_id", "in", self.role_id.ids),
            ]
        )
        for standard in self:
            for other in owners | (self - standard):
                if (other.member_id, other.role_id, other.company_id) != (
                    standard.member_id,
                    standard.role_id,
                    standard.company_id,
                ):
                    continue
                if (not other.date_to or other.date_to >= standard.date_from) and (
                    not standard.date_to or standard.date_to >= other.date_from
                ):
                    raise ValidationError(
                        self.env._(
                            "Effective From: the standard pay of %(owner)s from %(start)s overlaps the one from "
                            "%(other)s; end the earlier one first (Effective To).",
                            owner=standard.member_id.user_id.name or standard.role_id.display_name,
                            start=standard.date_from,
                            other=other.date_from,
                        )
                    )

    @api.model
    def _pay_standard_of(self, company, members, date_from, date_to):
        """``{member id: standard pay record}`` effective in the month (the one in
        force on its first day, else the first starting in it), the member's own
        before his role's; one search."""
        standards = self.sudo().search(
            [
                ("company_id", "=", company.id),
                "|",
                ("member_id", "in", members.ids),
                ("role_id", "in", members.role_id.ids),
                ("date_from", "<=", date_to),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", date_from),
            ],
            order="date_from",
        )
        by_member, by_role = {}, {}
        for standard in standards:
            target = by_member if standard.member_id else by_role
            key = standard.member_id.id or standard.role_id.id
            if key not in target or standard.date_from <= date_from:
                target[key] = standard
        result = {}
        for member in members:
            standard = by_member.get(member.id) or by_role.get(member.role_id.id)
            if standard:
                result[member.id] = standard
        return result
