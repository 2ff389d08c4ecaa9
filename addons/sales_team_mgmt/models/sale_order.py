# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount, formatLang
from odoo.tools.i18n import format_list

from ..tools import cursor_flag, cursor_flagged, format_error_list, strip_sentence_end

APPROVAL_STATES = [
    ("none", "Not Required"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]

# Written only by the approval engine (under sudo), never by a client, besides
# the engine's own fields (sales.approval.mixin).
APPROVAL_FIELDS = frozenset(("approved_amount", "approved_discount", "confirmation_hold_message"))
# Cursor flag: ids of the orders whose confirmation checks the Confirm action ran.
CONFIRMATION_CHECKED_KEY = "sales_team_mgmt_confirmation_checked"
# Order fields whose change can raise the untaxed amount or the discount of the order.
AUTHORITY_ORDER_FIELDS = frozenset(("order_line", "currency_id"))
# Line fields that change the untaxed amount or the discount of the order.
AUTHORITY_LINE_FIELDS = frozenset(
    ("product_uom_qty", "price_unit", "discount", "product_id", "product_uom", "display_type")
)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sales.approval.mixin"]
    # A sales administrator approves any order.
    _approval_admin_group = "sales_team.group_sale_manager"

    # Core leaves it unindexed; the Team hierarchy record rules filter on it.
    team_id = fields.Many2one(index="btree_not_null")
    approval_state = fields.Selection(
        APPROVAL_STATES,
        string="Approval",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Orders above the salesperson's authority (untaxed amount in company "
        "currency, or a line discount) wait for the approval of a leader up the "
        "sales organisation before they can be confirmed.",
    )
    approved_amount = fields.Monetary(
        readonly=True,
        copy=False,
        help="Untaxed amount approved, in the order currency. If the order rises above it, approval is required again.",
    )
    approved_discount = fields.Float(
        string="Approved Discount (%)",
        digits="Discount",
        readonly=True,
        copy=False,
    )
    approval_discount = fields.Float(
        string="Highest Line Discount (%)",
        digits="Discount",
        compute="_compute_approval_discount",
        help="The highest discount of the order's lines, which the salesperson's authority "
        "limits; shown here also when the Discounts setting hides the lines' discounts.",
    )
    approval_excess = fields.Text(
        string="Above the Authority",
        compute="_compute_approval_excess",
        help="What of the order exceeds the authority of its salesperson (or of the user "
        "confirming, when the salesperson holds no role): the untaxed amount or the line "
        "discount, with the maximum the role allows.",
    )
    confirmation_hold_message = fields.Text(
        string="Confirmation Holds",
        readonly=True,
        copy=False,
        help="Every confirmation check that stopped the last Confirm of this order (authority approval, "
        "credit...), one line each. Cleared when the order is confirmed.",
    )

    @api.depends("order_line.discount", "order_line.display_type")
    def _compute_approval_discount(self):
        for order in self:
            order.approval_discount = order._sales_get_approval_figures()[1]

    @api.depends("amount_untaxed", "order_line.discount", "user_id", "team_id", "company_id")
    @api.depends_context("uid")
    def _compute_approval_excess(self):
        for order in self:
            order.approval_excess = "\n".join(order._sales_approval_excess()) or False

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # An order created confirmed passes every check, or nothing is created.
        orders.filtered(lambda o: o.state == "sale")._run_confirmation_checks(strict=True)
        return orders

    def write(self, vals):
        confirming = self.browse()
        if vals.get("state") == "sale":
            checked = cursor_flagged(self.env, CONFIRMATION_CHECKED_KEY)
            confirming = self.filtered(lambda o: o.state != "sale" and o.id not in checked)
        rechecks = self._confirmation_recheck_prepare("write", vals)
        res = super().write(vals)
        # The state written directly (not by the Confirm action): every check runs, on
        # the order as written, and refuses; the exception undoes the write.
        confirming._run_confirmation_checks(strict=True)
        self._confirmation_recheck_run(rechecks)
        return res

    def action_confirm(self):
        """Run the confirmation checks (:meth:`_get_confirmation_checks`) on the
        quotations, and confirm those that every check passes. The others stay
        quotations, each check having applied its hold (approval requested, credit
        hold...); ``confirmation_hold_message`` lists every check that fired."""
        to_check = self.filtered(lambda o: o.state in ("draft", "sent"))
        fired = to_check._run_confirmation_checks()
        held = to_check.browse(list(fired))
        for order in held:
            message = format_error_list(message for _code, message in fired[order.id])
            if order.confirmation_hold_message != message:
                order.sudo().write({"confirmation_hold_message": message})
                # Said once in the chatter, for the checks that do not say it themselves.
                told = self._confirmation_checks_told()
                lines = [message for code, message in fired[order.id] if code not in told]
                if lines:
                    order.sudo()._message_log(
                        body=Markup("<p>%s</p><ul>%s</ul>")
                        % (
                            self.env._("Not confirmed by %(user)s:", user=self.env.user.name),
                            Markup().join(Markup("<li>%s</li>") % line for line in lines),
                        )
                    )
        to_confirm = self - held
        if not to_confirm:
            return True
        cleared = to_confirm.filtered("confirmation_hold_message")
        if cleared:
            cleared.sudo().write({"confirmation_hold_message": False})
        # Checked just above: the write of the state within the Confirm action needs no new check.
        with cursor_flag(self.env, CONFIRMATION_CHECKED_KEY, to_confirm.ids):
            return super(SaleOrder, to_confirm).action_confirm()

    def _action_cancel(self):
        waiting = self.filtered(lambda o: o.approval_state == "to_approve")
        res = super()._action_cancel()
        if waiting:
            waiting._approval_reset()
            waiting.sudo().write({"approval_state": "none"})
        return res

    # ------------------------------------------------------------------
    # Confirmation pipeline
    # ------------------------------------------------------------------

    @api.model
    def _get_confirmation_checks(self):
        """The confirmation checks, run in this order: ``[(sequence, code, method name)]``.

        An addon adds a check by overriding this method and appending its own
        triple. The method is called on the orders to confirm as
        ``orders.<method>(strict=...)`` and returns ``{order: message}`` for the
        orders it stops (every order not in the dict passes):

        - ``strict=False`` (the Confirm action): the check applies its hold itself
          (requests an approval, puts the order on credit hold, ...) and returns
          the message saying why; it may raise ``UserError`` for what cannot wait
          (missing master data).
        - ``strict=True`` (the state written directly, an order created confirmed):
          the check only returns its refusals; the pipeline raises them all at once.

        Every check sees every order, so that an order shows every check that
        fired, not only the first. Checks that read shared figures serialise on
        them with ``sales.lock``."""
        return [(10, "authority", "_confirmation_check_authority")]

    @api.model
    def _confirmation_checks_told(self):
        """Codes of the checks that tell the order's chatter themselves when they
        stop it (the approval request does). The pipeline logs one note, "Not
        confirmed by ...", with the messages of the other checks that fired, when
        the order's hold message changes."""
        return {"authority"}

    def _run_confirmation_checks(self, strict=False):
        """Run every confirmation check on these orders. Returns ``{order id:
        [(code, message)]}`` of the orders stopped; with ``strict``, raises them
        (``UserError``, one line per order and check) instead."""
        fired = defaultdict(list)
        if not self:
            return fired
        for _sequence, code, method in sorted(self._get_confirmation_checks()):
            for order, message in getattr(self, method)(strict=strict).items():
                fired[order.id].append((code, message))
        if strict and fired:
            raise UserError(format_error_list(message for messages in fired.values() for _code, message in messages))
        return fired

    @api.model
    def _get_confirmation_rechecks(self):
        """The re-checks of confirmed orders that change, run in this order:
        ``[(sequence, code, method name)]``.

        An addon adds one by overriding this method and appending its own
        triple. Before every write of orders and every create or write of order
        lines, the method is called on the orders concerned as
        ``orders.<method>(event, vals)``, ``event`` being ``"write"`` (``vals``: the
        order's values), ``"line_create"`` (``vals``: every field given to the new
        lines) or ``"line_write"`` (the lines' values). It returns ``None`` when
        the change cannot concern it, or a function without arguments that the
        pipeline calls after the write (and after the checks of an order whose
        state is written): it raises ``UserError`` to refuse the change, which is
        then undone."""
        return [(10, "authority", "_confirmation_recheck_authority")]

    def _confirmation_recheck_prepare(self, event, vals):
        """The functions of the re-checks (:meth:`_get_confirmation_rechecks`) that
        this change of these orders concerns, to run after it."""
        if not self:
            return []
        rechecks = (
            getattr(self, method)(event, vals) for _seq, _code, method in sorted(self._get_confirmation_rechecks())
        )
        return [recheck for recheck in rechecks if recheck]

    @api.model
    def _confirmation_recheck_run(self, rechecks):
        for recheck in rechecks:
            recheck()

    def _confirmation_recheck_authority(self, event, vals):
        """A confirmed order raised above the salesperson's authority and its approval
        is refused."""
        watched = AUTHORITY_ORDER_FIELDS if event == "write" else AUTHORITY_LINE_FIELDS
        if event != "line_create" and watched.isdisjoint(vals):
            return None
        before = self._sales_snapshot_figures()
        return (lambda: self._sales_check_raise_after_confirmation(before)) if before else None

    def _confirmation_check_authority(self, strict=False):
        """Authority check: orders above their salesperson's authority (amount or line
        discount) and not approved wait for a leader's approval."""
        if strict:
            needing = self._sales_get_orders_needing_approval(states=("draft", "sent", "sale"))
            return {
                order: self.env._(
                    "%(orders)s exceed the salesperson's authority and are not approved: confirm them with "
                    "the Confirm action, which asks for the approval, and confirm again once approved.",
                    orders=order.name,
                )
                for order in needing
            }
        waiting = self.filtered(lambda o: o.approval_state == "to_approve")
        if waiting:
            raise UserError(
                self.env._(
                    "%(orders)s cannot be confirmed: waiting for approval by %(approvers)s.",
                    orders=", ".join(waiting.mapped("name")),
                    approvers=", ".join(waiting.approver_id.mapped("name")),
                )
            )
        to_request = self._sales_get_orders_needing_approval()
        if not to_request:
            return {}
        to_request._sales_request_approval()
        return {
            order: self.env._(
                "Waiting for the approval of %(approver)s: above the authority of the salesperson.",
                approver=order.approver_id.name,
            )
            for order in to_request
        }

    # ------------------------------------------------------------------
    # Approval helpers
    # ------------------------------------------------------------------

    @api.model
    def _get_approval_steps(self):
        return [
            self._approval_step(
                "authority",
                self.env._("Authority"),
                assign="_approval_authority_approvers",
                allowed="_approval_authority_allowed",
            )
        ]

    def _approval_guarded_fields(self):
        return super()._approval_guarded_fields() | APPROVAL_FIELDS

    def _approval_guard_message(self):
        return self.env._(
            "The approval of an order is set only through its Approve and Reject actions, "
            "by the approver; it cannot be written directly."
        )

    def _approval_notify_partners(self):
        return self.user_id.partner_id

    def _approval_request_texts(self, step, approver):
        amount, discount = self._sales_get_approval_figures()
        company = self.company_id or self.env.company
        summary = self.env._("Approve order %(order)s", order=self.name)
        # The excess names the limits exceeded and their maximum: with the Discounts
        # setting off, the order's lines do not show their discounts.
        excess = self._sales_approval_excess() or [
            self.env._(
                "untaxed amount %(amount)s, highest line discount %(discount)s%%",
                amount=format_amount(self.env, amount, company.currency_id),
                discount=self._sales_format_discount(discount),
            )
        ]
        note = self.env._(
            "%(user)s asks for the approval of %(order)s, above the authority of the salesperson "
            "%(salesperson)s: %(excess)s.",
            user=self.env.user.name,
            order=self.name,
            salesperson=self.user_id.name or self.env._("(none)"),
            excess=format_list(self.env, excess),
        )
        body = self.env._("Approval requested from %(approver)s. %(note)s", approver=approver.name, note=note)
        return summary, note, body

    def _approval_approved_text(self, step):
        return self.env._(
            "Order approved by %(user)s for an untaxed amount of %(amount)s and a line discount up to "
            "%(discount)s%%. It can now be confirmed.",
            user=self.env.user.name,
            amount=format_amount(self.env, self.amount_untaxed, self.currency_id),
            discount=self._sales_format_discount(self._sales_get_approval_figures()[1]),
        )

    def _approval_rejected_text(self, reason):
        return self.env._(
            "Order rejected by %(user)s: %(reason)s. It stays a quotation; revise it and confirm it again.",
            user=self.env.user.name,
            reason=strip_sentence_end(reason),
        )

    def _approval_on_approved(self):
        for order in self:
            order.sudo().write(
                {"approved_amount": order.amount_untaxed, "approved_discount": order._sales_get_approval_figures()[1]}
            )

    def _approval_on_rejected(self):
        self.sudo().write({"approved_amount": 0.0, "approved_discount": 0.0})

    def _approval_refused_message(self, refused):
        return self.env._(
            "You cannot approve or reject %(orders)s: only %(approvers)s, a leader above them or a "
            "sales administrator can.",
            orders=", ".join(refused.mapped("name")),
            approvers=", ".join(refused.approver_id.mapped("name")),
        )

    def _sales_get_approval_figures(self):
        """(untaxed amount in company currency, highest line discount) of the order."""
        self.ensure_one()
        company = self.company_id or self.env.company
        currency = self.currency_id or company.currency_id
        amount = currency._convert(
            self.amount_untaxed,
            company.currency_id,
            company,
            (self.date_order or fields.Datetime.now()).date(),
        )
        discount = max(self.order_line.filtered(lambda line: not line.display_type).mapped("discount") or [0.0])
        return amount, discount

    def _sales_format_discount(self, discount):
        return formatLang(self.env, discount, dp="Discount")

    def _sales_get_authority(self, authorities):
        """(subject, authority) of the order: the user whose authority applies (see
        :meth:`_sales_get_subject`) and their authority in the order's approval team
        (else their highest role); (None, None) when no one holds a role."""
        subject = self._sales_get_subject(authorities)
        if not subject:
            return None, None
        by_team = authorities[subject.id]
        return subject, by_team.get(self._sales_get_approval_team().id) or by_team.get(None)

    def _sales_approval_excess(self):
        """What of the order exceeds its authority, one text per limit exceeded (the
        untaxed amount, the highest line discount and its line), each with the
        maximum its role allows; empty when the authority covers the order."""
        self.ensure_one()
        company = self.company_id or self.env.company
        _subject, authority = self._sales_get_authority((self.user_id | self.env.user)._sales_get_authorities(company))
        if not authority or authority.unlimited:
            return []
        amount, discount = self._sales_get_approval_figures()
        role = authority.role.display_name or self.env._("(no role)")
        texts = []
        if float_compare(amount, authority.max_order_amount, precision_rounding=company.currency_id.rounding) > 0:
            texts.append(
                self.env._(
                    "untaxed amount %(amount)s, above the maximum of %(maximum)s of the role %(role)s",
                    amount=format_amount(self.env, amount, company.currency_id),
                    maximum=format_amount(self.env, authority.max_order_amount, company.currency_id),
                    role=role,
                )
            )
        if float_compare(discount, authority.max_discount, precision_digits=2) > 0:
            lines = self.order_line.filtered(lambda line: not line.display_type)
            line = max(lines, key=lambda line: line.discount)
            texts.append(
                self.env._(
                    "line discount %(discount)s%% on %(line)s, above the maximum of %(maximum)s%% of the role %(role)s",
                    discount=self._sales_format_discount(discount),
                    line=line.product_id.display_name or (line.name or "").split("\n")[0],
                    maximum=self._sales_format_discount(authority.max_discount),
                    role=role,
                )
            )
        return texts

    def _sales_snapshot_figures(self):
        return {order.id: order._sales_get_approval_figures() for order in self if order.state == "sale"}

    @api.model
    def _sales_authority_covers(self, authority, amount, discount, company):
        if not authority:
            return False
        if authority.unlimited:
            return True
        rounding = company.currency_id.rounding
        return (
            float_compare(amount, authority.max_order_amount, precision_rounding=rounding) <= 0
            and float_compare(discount, authority.max_discount, precision_digits=2) <= 0
        )

    def _sales_get_approval_team(self):
        """The team whose chain of leaders approves the order."""
        self.ensure_one()
        return self.team_id or self.user_id.sale_team_id

    def _sales_get_subject(self, authorities):
        """The user whose authority applies: the salesperson, or, when the salesperson
        holds no role, the user confirming. None when neither holds a role."""
        self.ensure_one()
        for user in (self.user_id, self.env.user):
            if user and user.id in authorities:
                return user
        return None

    def _sales_get_orders_needing_approval(self, states=("draft", "sent")):
        """Orders of ``self`` whose confirmation needs an approval they do not have."""
        needing = self.browse()
        for company, orders in self.filtered(lambda o: o.state in states).grouped("company_id").items():
            users = orders.user_id | self.env.user
            authorities = users._sales_get_authorities(company)
            for order in orders:
                subject, authority = order._sales_get_authority(authorities)
                if not subject:
                    continue
                amount, discount = order._sales_get_approval_figures()
                if order.approval_state == "approved" and (
                    float_compare(
                        order.amount_untaxed, order.approved_amount, precision_rounding=order.currency_id.rounding
                    )
                    <= 0
                    and float_compare(discount, order.approved_discount, precision_digits=2) <= 0
                ):
                    continue
                if not self._sales_authority_covers(authority, amount, discount, company):
                    needing |= order
        return needing

    def _approval_authority_missing_message(self):
        return self.env._(
            "%(orders)s exceed the authority of their salesperson, and no leader up the sales "
            "organisation can approve them. Set the team leaders and their roles, or an SLT team.",
            orders=", ".join(self.mapped("name")),
        )

    def _approval_authority_team(self):
        return self._sales_get_approval_team()

    def _approval_authority_covers(self, authority):
        amount, discount = self._sales_get_approval_figures()
        return self._sales_authority_covers(authority, amount, discount, self.company_id or self.env.company)

    def _sales_request_approval(self):
        for order in self:
            error = order._confirmation_error_message()
            if error:
                raise UserError(error)
        self.sudo().write({"approved_amount": 0.0, "approved_discount": 0.0})
        self._approval_start()

    def _sales_check_raise_after_confirmation(self, before):
        """Refuse a change that raises a confirmed order above the authority and approval."""
        if not before:
            return
        orders = self.browse(list(before)).exists().filtered(lambda o: o.state == "sale")
        raised = orders.filtered(
            lambda o: (
                float_compare(
                    o._sales_get_approval_figures()[0],
                    before[o.id][0],
                    precision_rounding=(o.company_id or self.env.company).currency_id.rounding,
                )
                > 0
                or o._sales_get_approval_figures()[1] > before[o.id][1]
            )
        )
        needing = raised._sales_get_orders_needing_approval(states=("sale",))
        if needing:
            raise UserError(
                self.env._(
                    "This change raises %(orders)s above the salesperson's authority and above the approved "
                    "amount; a confirmed order cannot be raised without approval. Create a new quotation "
                    "for the additional quantity.",
                    orders=", ".join(needing.mapped("name")),
                )
            )
