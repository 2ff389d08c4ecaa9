# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from ..tools import check_guarded_fields

# Fields the engine writes (under sudo), never a client.
ENGINE_FIELDS = frozenset(
    ("approval_step", "approver_id", "approval_activity_id", "approval_reason", "approval_approved_amount")
)
# The context key marking the engine's own writes on a locked document. Its value
# is this module's object, which no client can send (XML-RPC and JSON carry data,
# not Python objects): a context from outside never lifts the lock.
ENGINE_WRITE_KEY = "sales_approval_engine_write"
ENGINE_WRITE = object()
# The chatter and the activities write these on any document, locked or not.
MAIL_PREFIXES = ("message_", "activity_")


class SalesApprovalMixin(models.AbstractModel):
    """The approval engine: a document inherits it to get a multi-step approval.

    The document (a ``mail.thread`` and ``mail.activity.mixin``, inherited before
    this mixin) declares its steps (:meth:`_get_approval_steps`), in order, and
    the name of its state field (``_approval_state_field``, a selection holding at
    least ``to_approve``, ``approved`` and ``rejected``). Then:

    - :meth:`_approval_start` sends the documents to their first needed step;
    - each step's approver is resolved when the step starts (the step's
      ``assign`` method: the nearest leader up the team tree whose authority
      covers an amount, a named member of the document's team, the customer's
      responsible SLT member...), gets an activity, and is told in the chatter;
    - :meth:`action_approval_approve` approves the current step of every
      document of a list (mass approval) and moves each to its next needed
      step, or to ``approved``; one user allowed for consecutive steps gives
      them at once;
    - :meth:`action_approval_reject` rejects with a reason (a wizard asks for
      it), kept on the document and told in the chatter;
    - the engine's fields and the state are written by the engine only: a
      client (XML-RPC included, whatever its context) cannot set them;
    - ``can_approve`` (searchable) is the "To approve" filter of any model.

    A step is a dict (see :meth:`_approval_step`): ``code``, ``name``, and
    method names: ``needed(records)`` (the records the step applies to;
    default all), ``assign(records)`` (``{record id: user}``, the approver who
    gets the activity, resolved when the step starts; default none;
    :meth:`_approval_team_role_approvers` gives a named role of the document's
    team, ``_approval_authority_approvers`` the nearest leader up the tree
    whose authority covers the document), ``allowed(records, user)`` (the records
    ``user`` may approve at this step; default: the assigned approver, or the
    members of the step's ``group``), plus ``group`` (XML id of a group whose
    members may approve) and ``approver_field`` (a many2one to ``res.users``
    recording who gave this step's approval).

    A document naming its amount field (``_approval_amount_field``) is approved
    again when a write raises that amount above the amount approved. The members
    of ``_approval_admin_group`` (a group's XML id) approve any step.

    A document setting ``_approval_locked_when_approved`` is a snapshot once
    approved: nothing writes or deletes it any more, superuser included, but its
    chatter and activities, the fields of :meth:`_approval_lock_writable_fields`
    and the engine itself (its writes and the ``_approval_on_*`` hooks); the
    refusal is :meth:`_approval_lock_message`. :meth:`_approval_locked_records`
    says which documents are locked (default: the approved ones), and
    :meth:`_approval_check_unlocked` is the check, for the document's lines too.

    :meth:`_approval_threshold_steps` builds two steps routing each document by
    an amount against a threshold: an approver up to it, a group above.
    :meth:`_approval_leader_approvers` / :meth:`_approval_leader_allowed` give a
    step to the nearest leader up the document's team tree (leaders above may
    act for them).

    Hooks: ``_approval_on_approved`` / ``_approval_on_rejected`` after the
    outcome, ``_approval_request_texts`` / ``_approval_approved_text`` /
    ``_approval_rejected_text`` for the messages, ``_approval_guarded_fields``
    for more engine-written fields (amounts approved...)."""

    _name = "sales.approval.mixin"
    _description = "Multi-Step Approval"

    # The document's state field: 'to_approve', 'approved', 'rejected' (and its own).
    _approval_state_field = "approval_state"
    # The document's amount field whose rise above the approved amount asks for the
    # approval again (None: no such amount, or the document checks it itself).
    _approval_amount_field = None
    # XML id of a group whose members approve any step of any document of the model
    # (a sales administrator), besides each step's own approvers; None: nobody.
    _approval_admin_group = None
    # True: an approved document is a snapshot, never written nor deleted again
    # (see _approval_check_unlocked); a correction goes into another document.
    _approval_locked_when_approved = False

    approval_step = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Code of the approval step the document waits for.",
    )
    approver_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Who is asked to approve the current step; then who approved or rejected it.",
    )
    approval_activity_id = fields.Many2one("mail.activity", readonly=True, copy=False, ondelete="set null")
    approval_reason = fields.Text(string="Rejection Reason", readonly=True, copy=False)
    approval_approved_amount = fields.Float(
        string="Amount Approved",
        readonly=True,
        copy=False,
        help="The amount the approval covered; above it, the document is approved again.",
    )
    can_approve = fields.Boolean(
        compute="_compute_can_approve",
        search="_search_can_approve",
        help="Whether the current user may approve or reject the current step.",
    )

    @api.depends_context("uid")
    def _compute_can_approve(self):
        allowed = self._approval_filter_allowed(self.env.user)
        for record in self:
            record.can_approve = record in allowed

    def _search_can_approve(self, operator, value):
        """Documents waiting for a step the current user may approve: the step's
        assigned approver, or a step open to the user on every document
        (:meth:`_approval_open_steps`; a step's own ``allowed`` may admit more,
        e.g. leaders above the approver; the action checks it)."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the documents to approve with 'can_approve = True'."))
        user = self.env.user
        domain = [
            (self._approval_state_field, "=", "to_approve"),
            "|",
            ("approver_id", "=", user.id),
            ("approval_step", "in", self._approval_open_steps(user)),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------------
    # CRUD: the engine's fields are guarded
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        check_guarded_fields(self.env, vals_list, self._approval_guarded_fields(), self._approval_guard_message)
        return super().create(vals_list)

    def write(self, vals):
        check_guarded_fields(self.env, vals, self._approval_guarded_fields(), self._approval_guard_message)
        self._approval_check_unlocked(vals)
        res = super().write(vals)
        if self._approval_amount_field and self._approval_amount_field in vals:
            self._approval_check_amount_raised()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approval_locked(self):
        self._approval_check_unlocked()

    def copy_data(self, default=None):
        # The engine's fields are copy=False; an explicit default must not smuggle them.
        if default and not self.env.su:
            guarded = self._approval_guarded_fields()
            default = {key: value for key, value in default.items() if key not in guarded}
        return super().copy_data(default=default)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_approval_approve(self):
        """Approve the current step of these documents (all of a list at once)."""
        self._approval_approve()
        return True

    def action_approval_reject(self, reason=None):
        """Reject these documents. Without ``reason``, open the wizard asking for it."""
        self._approval_check_can_act()
        if reason is None:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Reject"),
                "res_model": "sales.approval.reject",
                "view_mode": "form",
                "target": "new",
                "context": {"default_res_model": self._name, "default_res_ids": self.ids},
            }
        self._approval_reject(reason)
        return True

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _get_approval_steps(self):
        """The approval steps of the document, in order (see :meth:`_approval_step`)."""
        return []

    @api.model
    def _approval_step(self, code, name, needed=None, assign=None, allowed=None, group=None, approver_field=None):
        """One step of :meth:`_get_approval_steps`."""
        return {
            "code": code,
            "name": name,
            "needed": needed,
            "assign": assign,
            "allowed": allowed,
            "group": group,
            "approver_field": approver_field,
        }

    def _approval_team_role_approvers(self, role_code, team_field="team_id"):
        """An ``assign`` helper: ``{record id: user}``, the member of each record's
        team (``team_field``) who holds the role ``role_code`` today (the SSG
        leader, a KAM...), the earliest membership first; empty when nobody does.
        One search for all the records."""
        teams = self[team_field]
        Member = self.env["crm.team.member"].sudo()
        members = Member.search(
            [("crm_team_id", "in", teams.ids), ("role_id.code", "=", role_code), ("user_id", "!=", False)]
            + Member._sales_current_domain(),
            order="id",
        )
        by_team = {}
        for member in members:
            by_team.setdefault(member.crm_team_id.id, member.user_id)
        return {record.id: by_team.get(record[team_field].id, self.env["res.users"]) for record in self}

    def _approval_authority_approvers(self):
        """An ``assign`` helper: ``{record id: user}``, the nearest leader up each
        record's team tree (:meth:`_approval_authority_team`; the team leader, then
        the SLT member in charge, of the team then of each parent), other than the
        record's :meth:`_approval_authority_subject`, whose authority covers the
        record (:meth:`_approval_authority_covers`), else the leader of the
        company's SLT team. Raises :meth:`_approval_authority_missing_message`
        for the records nobody can approve. Authorities are read once for all the
        records of a company."""
        result = {}
        Team = self.env["crm.team"].sudo()
        Users = self.env["res.users"]
        for company, records in self.grouped("company_id").items():
            chains = {}
            candidates = Users
            for record in records:
                team = record._approval_authority_team().sudo()
                chains[record.id] = team._sales_get_ancestors() if team else Team
                candidates |= chains[record.id].user_id | chains[record.id].slt_user_id
            slt_teams = Team.search(
                [("team_type", "=", "slt"), ("company_id", "in", [company.id, False]), ("user_id", "!=", False)],
                order="sequence, id",
            )
            candidates |= slt_teams.user_id
            authorities = candidates._sales_get_authorities(company)
            for record in records:
                subject = record._approval_authority_subject()
                approver = Users
                for team in chains[record.id]:
                    for leader in team.user_id | team.slt_user_id:
                        by_team = authorities.get(leader.id, {})
                        authority = by_team.get(team.id) or by_team.get(None)
                        if leader != subject and record._approval_authority_covers(authority):
                            approver = leader
                            break
                    if approver:
                        break
                result[record.id] = approver or slt_teams.user_id.filtered(lambda u, s=subject: u != s)[:1]
        missing = self.filtered(lambda r: not result[r.id])
        if missing:
            raise UserError(missing._approval_authority_missing_message())
        return result

    def _approval_authority_missing_message(self):
        """The error for these records, which no leader can approve."""
        return self.env._(
            "No leader up the sales organisation can approve %(documents)s: set the team leaders and their "
            "roles' authority, or an SLT team.",
            documents=", ".join(self.mapped("display_name")),
        )

    def _approval_authority_allowed(self, user):
        """An ``allowed`` helper: the records of ``self`` waiting for approval that
        ``user`` may approve: their approver, or a leader of the approver's team
        or above whose authority covers the record."""
        waiting = self.filtered(lambda r: r[r._approval_state_field] == "to_approve")
        allowed = waiting.filtered(lambda r: r.approver_id == user)
        for company, records in (waiting - allowed).grouped("company_id").items():
            authorities = user._sales_get_authorities(company)
            if user.id not in authorities:
                continue
            for record in records:
                chain = record._approval_authority_team().sudo()._sales_get_ancestors()
                leaders_chain = [team for team in chain if record.approver_id in (team.user_id | team.slt_user_id)]
                above = chain[chain.ids.index(leaders_chain[0].id) :] if leaders_chain else chain.browse()
                team = above.filtered(lambda t, u=user: u in (t.user_id | t.slt_user_id))[:1]
                if not team:
                    continue
                authority = authorities[user.id].get(team.id) or authorities[user.id].get(None)
                if record._approval_authority_covers(authority):
                    allowed |= record
        return allowed

    def _approval_authority_team(self):
        """The team whose chain of leaders approves the record (default: its team)."""
        self.ensure_one()
        return self.team_id

    def _approval_authority_subject(self):
        """The user whose document it is, who never approves it (default: its salesperson)."""
        self.ensure_one()
        return self.user_id

    def _approval_authority_covers(self, authority):
        """Whether ``authority`` (``res.users._sales_get_authorities``: a role's
        maxima, or unlimited; ``None`` when the user holds no role) covers the
        record. The document defines it when its steps use the authority helpers."""
        self.ensure_one()
        return bool(authority and authority.unlimited)

    # ------------------------------------------------------------------
    # Step helpers: a threshold, the nearest leader
    # ------------------------------------------------------------------
    @api.model
    def _approval_threshold_steps(self, below, above, amount_field, threshold, currency_field="currency_id"):
        """Two steps of :meth:`_get_approval_steps` routing each document by its
        ``amount_field`` against its threshold (``threshold``: a method name, the
        record's threshold in the amount's currency, ``currency_field``): ``below``
        (a step of :meth:`_approval_step`) takes the documents whose amount is at
        most the threshold and that its own ``needed`` keeps (those with a KAM...),
        ``above`` takes all the others (above the threshold, or without the approver
        of ``below``). ``above``'s own ``needed`` still applies."""
        routing = {
            "amount": amount_field,
            "threshold": threshold,
            "currency": currency_field,
            "below_needed": below["needed"],
        }
        return [dict(below, threshold=dict(routing, side="below")), dict(above, threshold=dict(routing, side="above"))]

    def _approval_step_needing(self, step):
        """The documents of ``self`` that ``step`` applies to: its ``needed``, and
        the side of its threshold (:meth:`_approval_threshold_steps`)."""
        needing = getattr(self, step["needed"])() if step["needed"] else self
        routing = step.get("threshold")
        if not routing or not needing:
            return needing
        candidates = needing if routing["side"] == "below" else self
        if routing["side"] == "above" and routing["below_needed"]:
            candidates = getattr(candidates, routing["below_needed"])()
        below = candidates.filtered(
            lambda r: (
                r[routing["currency"]].compare_amounts(r[routing["amount"]], getattr(r, routing["threshold"])()) <= 0
            )
        )
        return needing & below if routing["side"] == "below" else needing - below

    def _approval_leader_approvers(self):
        """An ``assign`` helper: ``{record id: user}``, the nearest leader up each
        record's team tree (:meth:`_approval_authority_team`,
        ``crm.team._sales_get_nearest_leader``) other than the record's
        :meth:`_approval_authority_subject`. Raises
        :meth:`_approval_leader_missing_message` for the records without one (a
        step that skips them names :meth:`_approval_leader_needed` as ``needed``)."""
        result = {record.id: record._approval_leader() for record in self}
        missing = self.filtered(lambda r: not result[r.id])
        if missing:
            raise UserError(missing._approval_leader_missing_message())
        return result

    def _approval_leader_needed(self):
        """A ``needed`` helper: the records with a leader up their team tree."""
        return self.filtered(lambda r: r._approval_leader())

    def _approval_leader(self):
        self.ensure_one()
        return (
            self._approval_authority_team().sudo()._sales_get_nearest_leader(exclude=self._approval_authority_subject())
        )

    def _approval_leader_missing_message(self):
        """The error for these records, which have no leader up their team tree."""
        return self.env._(
            "No team leader above %(documents)s can approve them: give their team or a team above a leader.",
            documents=", ".join(self.mapped("display_name")),
        )

    def _approval_leader_allowed(self, user):
        """An ``allowed`` helper: the records that ``user`` may approve: those
        assigned to them, and those whose team or a team above ``user`` leads (team
        leader or SLT member in charge), who may act for the assigned leader; never
        the record's :meth:`_approval_authority_subject`."""
        result = self.browse()
        for record in self:
            if user == record._approval_authority_subject():
                continue
            team = record._approval_authority_team().sudo()
            teams = team._sales_get_ancestors() if team else team
            if record.approver_id == user or user in teams.user_id or user in teams.slt_user_id:
                result |= record
        return result

    # ------------------------------------------------------------------
    # The approved snapshot
    # ------------------------------------------------------------------
    def _approval_locked_records(self):
        """The documents of ``self`` that are snapshots (``_approval_locked_when_approved``):
        by default the approved ones."""
        if not self._approval_locked_when_approved:
            return self.browse()
        return self.filtered(lambda r: r[r._approval_state_field] == "approved")

    def _approval_lock_writable_fields(self):
        """Fields a locked document still takes (default: those of its chatter and
        activities); an override adds more."""
        return {name for name in self._fields if name.startswith(MAIL_PREFIXES)}

    def _approval_lock_message(self):
        """The refusal to change these locked documents."""
        return self.env._(
            "%(documents)s is approved: it is a snapshot and never changes; a correction goes into a new document.",
            documents=", ".join(self.mapped("display_name")),
        )

    def _approval_check_unlocked(self, vals=None):
        """Refuse to change the locked documents of ``self`` (any change, or the
        write of ``vals`` when it sets a field other than
        :meth:`_approval_lock_writable_fields`), superuser included; the engine's
        own writes (:meth:`_approval_sudo`) pass."""
        if not self._approval_locked_when_approved or self.env.context.get(ENGINE_WRITE_KEY) is ENGINE_WRITE:
            return
        if vals is not None and set(vals) <= self._approval_lock_writable_fields():
            return
        locked = self._approval_locked_records()
        if locked:
            raise UserError(locked._approval_lock_message())

    def _approval_sudo(self):
        """These documents as the engine writes them: superuser, and past the lock
        of an approved snapshot."""
        return self._approval_engine_context().sudo()

    def _approval_engine_context(self):
        """These documents past the lock of an approved snapshot, for the engine and
        its ``_approval_on_*`` hooks (the pay run's snapshot date, the rank a
        promotion gives...): the context holds the engine's object, which no
        client can send (only on a model that locks its approved documents)."""
        if not self._approval_locked_when_approved:
            return self
        return self.with_context(**{ENGINE_WRITE_KEY: ENGINE_WRITE})

    @api.model
    def _approval_open_steps(self, user):
        """Codes of the steps ``user`` may approve on every document waiting at them:
        the steps of a group ``user`` belongs to. An override adds more (a sales
        administrator approves any order)."""
        admin = self._approval_admin_group and user.has_group(self._approval_admin_group)
        return [
            step["code"]
            for step in self._get_approval_steps()
            if admin or (step["group"] and user.has_group(step["group"]))
        ]

    def _approval_guarded_fields(self):
        return ENGINE_FIELDS | {self._approval_state_field}

    def _approval_guard_message(self):
        return self.env._(
            "The approval of %(document)s is set only through its Approve and Reject actions, by the approver; "
            "it cannot be written directly.",
            document=self._description,
        )

    def _approval_steps_by_code(self):
        return {step["code"]: step for step in self._get_approval_steps()}

    def _approval_start(self):
        """Send these documents to their first needed step (or approve them when no
        step is needed)."""
        self._approval_sudo().write({self._approval_state_field: "to_approve", "approval_reason": False})
        self._approval_enter(0)

    def _approval_enter(self, index):
        """Move each document to the first step at ``index`` or after that it needs;
        documents needing none are approved."""
        steps = self._get_approval_steps()
        todo = self
        done = self.browse()
        for step in steps[index:]:
            if not todo:
                break
            needing = todo._approval_step_needing(step)
            if needing:
                needing._approval_enter_step(step)
            todo -= needing
        done |= todo
        if done:
            done._approval_finish()

    def _approval_enter_step(self, step):
        """Start ``step`` on these documents: resolve its approver now, give them an
        activity and tell them in the chatter. A step that a group or its own
        ``allowed`` rule (or the model's ``_approval_admin_group``) opens to several
        users may have no single approver."""
        approvers = getattr(self, step["assign"])() if step["assign"] else {}
        open_to_many = step["group"] or step["allowed"] or self._approval_admin_group
        missing = self.filtered(lambda r: not approvers.get(r.id) and not open_to_many)
        if missing:
            raise UserError(
                self.env._(
                    "No one can approve %(documents)s at the step %(step)s.",
                    documents=", ".join(missing.mapped("display_name")),
                    step=step["name"],
                )
            )
        self.approval_activity_id.sudo().unlink()
        Users = self.env["res.users"]
        by_approver = self.grouped(lambda r: approvers.get(r.id) or Users)
        for approver, records in by_approver.items():
            records._approval_sudo().write(
                {"approval_step": step["code"], "approver_id": approver.id, "approval_activity_id": False}
            )
            if not approver:
                continue  # found by the "To approve" filter of the group's members
            for record in records:
                # The activity is the approver's: in his language; the chatter note in the author's.
                summary, note, _body = record.with_context(lang=approver.lang)._approval_request_texts(step, approver)
                _summary, _note, body = record._approval_request_texts(step, approver)
                activity = record.sudo().activity_schedule(
                    "mail.mail_activity_data_todo", summary=summary, note=note, user_id=approver.id
                )
                record._approval_sudo().write({"approval_activity_id": activity.id})
                record.sudo().message_post(author_id=self.env.user.partner_id.id, body=body)

    def _approval_approve(self, step_code=None):
        """Approve the current step (``step_code``: only if it is that one) of these
        documents as the current user; a user allowed for the next step too gives
        it at once."""
        self._approval_check_can_act(step_code=step_code)
        steps = self._get_approval_steps()
        index = {step["code"]: i for i, step in enumerate(steps)}
        user = self.env.user
        pending = self
        while pending:
            by_step = pending.grouped("approval_step")
            pending = self.browse()
            for code, records in by_step.items():
                step = steps[index[code]]
                vals = {"approver_id": user.id, "approval_activity_id": False}
                if step["approver_field"]:
                    vals[step["approver_field"]] = user.id
                activities = records.approval_activity_id
                records._approval_sudo().write(vals)
                activities.sudo().unlink()
                for record in records:
                    record._approval_post(record._approval_approved_text(step))
                records._approval_enter(index[code] + 1)
                # Consecutive steps the same user may approve are given at once.
                waiting = records.filtered(lambda r: r[r._approval_state_field] == "to_approve")
                pending |= waiting._approval_filter_allowed(user)

    def _approval_reject(self, reason):
        """Reject these documents as the current user (the caller checked the right to)."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        activities = self.approval_activity_id
        self._approval_sudo().write(
            {
                self._approval_state_field: "rejected",
                "approval_step": False,
                "approver_id": self.env.user.id,
                "approval_reason": reason,
                "approval_activity_id": False,
            }
        )
        activities.sudo().unlink()
        for record in self:
            record._approval_post(record._approval_rejected_text(reason))
        self._approval_engine_context()._approval_on_rejected()

    def _approval_finish(self):
        self.approval_activity_id.sudo().unlink()
        vals = {self._approval_state_field: "approved", "approval_step": False, "approval_activity_id": False}
        if self._approval_amount_field:
            for record in self:
                amount = record[self._approval_amount_field]
                record._approval_sudo().write(dict(vals, approval_approved_amount=amount))
        else:
            self._approval_sudo().write(vals)
        self._approval_engine_context()._approval_on_approved()

    def _approval_check_amount_raised(self):
        """Approved documents whose amount rose above what was approved go through
        their approval again (told in the chatter)."""
        field = self._approval_amount_field
        raised = self.filtered(
            lambda r: (
                r[r._approval_state_field] == "approved"
                and float_compare(r[field], r.approval_approved_amount, precision_digits=2) > 0
            )
        )
        for record in raised:
            record._approval_post(
                self.env._(
                    "The amount rose to %(amount)s, above the %(approved)s approved: the approval starts again.",
                    amount=record[field],
                    approved=record.approval_approved_amount,
                )
            )
        if raised:
            raised._approval_start()

    def _approval_reset(self):
        """Forget the approval in progress (the document is cancelled); the document
        sets its own state (an order goes back to ``none``)."""
        self.approval_activity_id.sudo().unlink()
        self._approval_sudo().write({"approval_step": False, "approver_id": False, "approval_activity_id": False})

    def _approval_filter_allowed(self, user):
        """The documents of ``self`` waiting for a step that ``user`` may approve."""
        allowed = self.browse()
        waiting = self.filtered(lambda r: r[r._approval_state_field] == "to_approve")
        if self._approval_admin_group and user.has_group(self._approval_admin_group):
            return waiting.filtered(lambda r: r.approval_step)
        steps = self._approval_steps_by_code()
        for code, records in waiting.grouped("approval_step").items():
            step = steps.get(code)
            if not step:
                continue
            if step["allowed"]:
                allowed |= getattr(records, step["allowed"])(user)
            elif step["group"]:
                if user.has_group(step["group"]):
                    allowed |= records
            else:
                allowed |= records.filtered(lambda r: r.approver_id == user)
        return allowed

    def _approval_check_can_act(self, step_code=None):
        not_waiting = self.filtered(lambda r: r[r._approval_state_field] != "to_approve")
        if not_waiting:
            raise UserError(
                self.env._(
                    "%(documents)s are not waiting for approval.",
                    documents=", ".join(not_waiting.mapped("display_name")),
                )
            )
        steps = self._approval_steps_by_code()
        if step_code:
            elsewhere = self.filtered(lambda r: r.approval_step != step_code)
            if elsewhere:
                raise UserError(
                    self.env._(
                        "%(documents)s wait for another approval first: %(steps)s.",
                        documents=", ".join(elsewhere.mapped("display_name")),
                        steps=", ".join(
                            sorted({steps[c]["name"] for c in elsewhere.mapped("approval_step") if c in steps})
                        ),
                    )
                )
        refused = self - self._approval_filter_allowed(self.env.user)
        if refused:
            raise AccessError(self._approval_refused_message(refused))

    def _approval_refused_message(self, refused):
        steps = self._approval_steps_by_code()
        waiting_for = refused.approver_id.mapped("name") or sorted(
            {steps[code]["name"] for code in refused.mapped("approval_step") if code in steps}
        )
        return self.env._(
            "You cannot approve or reject %(documents)s: it waits for %(approvers)s.",
            documents=", ".join(refused.mapped("display_name")),
            approvers=", ".join(waiting_for),
        )

    def _approval_post(self, body):
        """Tell the approval's outcome in the chatter (as a note to the partners of
        :meth:`_approval_notify_partners`)."""
        self.ensure_one()
        partners = self._approval_notify_partners() - self.env.user.partner_id
        # The approver may read the document without being allowed to write it.
        self.sudo().message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            partner_ids=partners.ids,
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    def _approval_notify_partners(self):
        """Partners told of the outcome of each step (default: none)."""
        return self.env["res.partner"]

    def _approval_request_texts(self, step, approver):
        """(activity summary, activity note, chatter message) asking ``approver``."""
        self.ensure_one()
        summary = self.env._("Approve %(document)s", document=self.display_name)
        note = self.env._(
            "%(user)s asks for your approval (%(step)s) of %(document)s.",
            user=self.env.user.name,
            step=step["name"],
            document=self.display_name,
        )
        body = self.env._("Approval requested from %(approver)s. %(note)s", approver=approver.name, note=note)
        return summary, note, body

    def _approval_approved_text(self, step):
        return self.env._("Approved by %(user)s (%(step)s).", user=self.env.user.name, step=step["name"])

    def _approval_rejected_text(self, reason):
        return self.env._("Rejected by %(user)s: %(reason)s", user=self.env.user.name, reason=reason)

    def _approval_on_approved(self):
        """Called on the documents that every needed step approved."""

    def _approval_on_rejected(self):
        """Called on the documents just rejected."""
