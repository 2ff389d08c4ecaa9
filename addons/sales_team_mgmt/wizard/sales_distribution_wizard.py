# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import heapq

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class SalesDistributionWizard(models.TransientModel):
    """Share out selected leads, or customers (renewals due, lapsed
    customers), evenly among chosen members: each record goes to the member
    with the lowest open load (open leads: active, not won; or assigned customers), ties to the
    member listed first then the lowest user id, within each member's cap.
    Preview first (who gets how many, load before and after), then assign.
    Deterministic; records already assigned are left unless asked; records no
    member could take (all at their cap) are listed, not dropped."""

    _name = "sales.distribution.wizard"
    _description = "Distribute Leads or Customers"

    target = fields.Selection(
        [("lead", "Leads"), ("customer", "Customers")], required=True, default="lead", readonly=True
    )
    lead_ids = fields.Many2many("crm.lead", string="Leads")
    partner_ids = fields.Many2many("res.partner", string="Customers")
    member_ids = fields.One2many("sales.distribution.member", "wizard_id", string="Members")
    cap = fields.Integer(string="Cap per Member", help="At most this many records for each member; 0: no cap.")
    reassign = fields.Boolean(
        string="Move Assigned Records", help="Also distribute the records that already have a salesperson."
    )
    state = fields.Selection([("draft", "Draft"), ("preview", "Preview"), ("done", "Done")], default="draft")
    leftover_lead_ids = fields.Many2many("crm.lead", "sales_distribution_leftover_lead_rel", string="Leads Left")
    leftover_partner_ids = fields.Many2many(
        "res.partner", "sales_distribution_leftover_partner_rel", string="Customers Left"
    )
    skipped_count = fields.Integer(string="Already Assigned", readonly=True)
    summary = fields.Text(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, ids = self.env.context.get("active_model"), self.env.context.get("active_ids") or []
        if model == "crm.lead":
            values.update(target="lead", lead_ids=[Command.set(ids)])
        elif model == "res.partner":
            values.update(target="customer", partner_ids=[Command.set(ids)])
        return values

    # ------------------------------------------------------------------
    def _records(self):
        return self.lead_ids if self.target == "lead" else self.partner_ids

    def _loads(self, users):
        """``{user id: open load}``: open leads (active, not won), or the
        customers assigned to the user (one ``_read_group``)."""
        if self.target == "lead":
            model, domain = self.env["crm.lead"], [("active", "=", True), ("probability", "<", 100)]
        else:
            model, domain = self.env["res.partner"], [("active", "=", True), ("parent_id", "=", False)]
        groups = model.sudo()._read_group([*domain, ("user_id", "in", users.ids)], ["user_id"], ["__count"])
        return {user.id: count for user, count in groups}

    def _plan(self):
        """``({member line: records}, leftovers, skipped)``, deterministic."""
        self.ensure_one()
        if not self.member_ids:
            raise UserError(self.env._("Members: choose who the records go to."))
        if self.cap < 0 or any(member.cap < 0 for member in self.member_ids):
            raise UserError(self.env._("Cap per Member: a cap cannot be negative."))
        records = self._records().sorted("id")
        if not records:
            raise UserError(self.env._("Select the leads or customers to distribute."))
        skipped = records.filtered("user_id") if not self.reassign else records.browse()
        todo = records - skipped
        members = self.member_ids.sorted(lambda m: (m.sequence, m.user_id.id, m.id))
        if len(set(members.user_id.ids)) != len(members):
            raise UserError(self.env._("Members: each member is listed once."))
        loads = self._loads(members.user_id)
        # a record moved away from a member no longer counts in their load
        for record in todo.filtered("user_id"):
            if record.user_id.id in loads:
                loads[record.user_id.id] -= 1
        before = {member: loads.get(member.user_id.id, 0) for member in members}
        caps = [member.cap or self.cap or None for member in members]
        # the members by (load, place in the list): the lowest load first, then the
        # member listed first; a member at their cap leaves the heap
        heap = [(before[member], index) for index, member in enumerate(members) if caps[index] != 0]
        heapq.heapify(heap)
        given = [[] for _member in members]
        leftover_ids = []
        for record_id in todo.ids:
            if not heap:
                leftover_ids.append(record_id)
                continue
            load, index = heapq.heappop(heap)
            given[index].append(record_id)
            if caps[index] is None or len(given[index]) < caps[index]:
                heapq.heappush(heap, (load + 1, index))
        plan = {member: records.browse(given[index]) for index, member in enumerate(members)}
        return plan, records.browse(leftover_ids), skipped, before

    def action_preview(self):
        self.ensure_one()
        plan, leftovers, skipped, before = self._plan()
        for member, records in plan.items():
            member.write(
                {
                    "load_before": before[member],
                    "assigned_count": len(records),
                    "load_after": before[member] + len(records),
                }
            )
        self._write_outcome("preview", leftovers, skipped)
        return self._reopen()

    def action_assign(self):
        self.ensure_one()
        plan, leftovers, skipped, before = self._plan()
        for member, assigned in plan.items():
            if not assigned:
                continue
            vals = {"user_id": member.user_id.id}
            if self.target == "lead":
                # the member's team (written with the salesperson: no recompute per lead)
                team = member.user_id.sale_team_id or member.user_id.crm_team_ids[:1]
                if team:
                    vals["team_id"] = team.id
            # the salesperson is told once, by the list, not by one email per record
            assigned.with_context(mail_auto_subscribe_no_notify=True).write(vals)
            member.write(
                {
                    "load_before": before[member],
                    "assigned_count": len(assigned),
                    "load_after": before[member] + len(assigned),
                }
            )
        self._write_outcome("done", leftovers, skipped)
        return self._reopen()

    def _write_outcome(self, state, leftovers, skipped):
        placed = sum(member.assigned_count for member in self.member_ids)
        summary = self.env._(
            "%(placed)s record(s) for %(members)s member(s); %(left)s could not be placed (every member at their "
            "cap); %(skipped)s already assigned and left as they are.",
            placed=placed,
            members=len(self.member_ids),
            left=len(leftovers),
            skipped=len(skipped),
        )
        values = {"state": state, "skipped_count": len(skipped), "summary": summary}
        if self.target == "lead":
            values["leftover_lead_ids"] = [Command.set(leftovers.ids)]
        else:
            values["leftover_partner_ids"] = [Command.set(leftovers.ids)]
        self.write(values)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Distribute"),
        }
