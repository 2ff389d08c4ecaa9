# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount, format_date, format_datetime, sql

from odoo.addons.sales_team_mgmt.models.sale_order import CONFIRMATION_CHECKED_KEY
from odoo.addons.sales_team_mgmt.tools import check_guarded_fields, cursor_flagged, format_error_list

from ..hooks import EXPOSURE_INDEXES, create_partial_indexes
from .osb_role_rule import OSB_ROLE_FIELDS, OSB_ROLES

# Fields that only the credit check itself writes (through sudo).
HOLD_FIELDS = (
    "credit_hold",
    "credit_hold_reason",
    "credit_hold_message",
    "credit_hold_date",
    "credit_hold_exposure",
    "credit_hold_limit",
    "credit_hold_amount",
    "credit_hold_overdue_days",
    "osb_credit_checked_amount",
)
# Order fields that change whose credit an order uses, or its amount in company
# currency: writing them on a confirmed order (or with its confirmation) re-checks it.
CREDIT_ORDER_FIELDS = frozenset(
    ("partner_id", "partner_invoice_id", "company_id", "pricelist_id", "currency_id", "date_order", "currency_rate")
)
# Line fields whose change can raise the amount of a confirmed order.
AMOUNT_LINE_FIELDS = frozenset(("product_uom_qty", "price_unit", "discount", "tax_id", "product_id", "product_uom"))
# Namespace of the locks (sales.lock) that serialise the checks of one customer.
LOCK_NAMESPACE = "osb_credit.partner"
PASSED_KEY = "osb_credit_passed"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    osb_credit_partner_id = fields.Many2one(
        "res.partner",
        string="Credit Customer",
        related="partner_invoice_id.commercial_partner_id",
        store=True,
        index="btree_not_null",
        help="Commercial partner of the invoice address: the customer whose credit the order uses.",
    )
    osb_company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    osb_credit_uninvoiced_amount = fields.Float(
        string="Credit: Amount Not Invoiced",
        compute="_compute_osb_credit_amounts",
        store=True,
        help="Quantity not invoiced x unit price incl. taxes, whatever the invoicing policy (undelivered "
        "goods count), in the order currency; down payment lines excluded. Counts in the customer's "
        "exposure, converted at the order's rate, while the order is confirmed and not fully invoiced.",
    )
    osb_credit_down_payment_amount = fields.Float(
        string="Credit: Down Payments",
        compute="_compute_osb_credit_amounts",
        store=True,
        help="Down payments invoiced on the order (net of credit notes), in company currency: "
        "they reduce the customer's exposure.",
    )
    credit_hold = fields.Boolean(readonly=True, copy=False, tracking=True, index=True)
    credit_hold_reason = fields.Selection(
        [
            ("limit", "Credit limit exceeded"),
            ("overdue", "Overdue beyond tolerance"),
            ("blocked", "Customer blocked"),
            ("grade_e", "Grade E"),
        ],
        readonly=True,
        copy=False,
        help="First rule that fired; the message lists them all.",
    )
    credit_hold_message = fields.Text(readonly=True, copy=False)
    credit_hold_date = fields.Datetime(readonly=True, copy=False)
    credit_hold_exposure = fields.Monetary(
        string="Exposure at Hold",
        currency_field="osb_company_currency_id",
        readonly=True,
        copy=False,
        help="The customer's exposure including this order (company currency) when the check last held it.",
    )
    credit_hold_limit = fields.Monetary(
        string="Credit Limit at Hold",
        currency_field="osb_company_currency_id",
        readonly=True,
        copy=False,
        help="The customer's credit limit (company currency) when the check last held the order.",
    )
    credit_hold_amount = fields.Monetary(
        string="Order Amount at Hold",
        currency_field="osb_company_currency_id",
        readonly=True,
        copy=False,
        help="Amount of the order not yet invoiced (company currency, incl. taxes) the check counted when it "
        "last held the order.",
    )
    credit_hold_overdue_days = fields.Integer(
        string="Days Overdue at Hold",
        readonly=True,
        copy=False,
        help="The customer's oldest overdue invoice, in days, when the check last held the order.",
    )
    osb_credit_checked_amount = fields.Monetary(
        string="Amount Cleared by Credit",
        currency_field="osb_company_currency_id",
        readonly=True,
        copy=False,
        help="Order amount not yet invoiced (company currency, incl. taxes) that the last passing credit "
        "check, or a release, cleared. A confirmed order that grows beyond it is checked again. "
        "Not set while the order has not passed the check (on hold).",
    )
    osb_credit_enforced = fields.Boolean(
        string="Credit Control Active",
        compute="_compute_osb_credit_enforced",
        help="The order's company uses credit control (its credit policy is active).",
    )
    osb_credit_release_ids = fields.One2many("osb.credit.release", "order_id", string="Credit Releases")
    osb_credit_banner = fields.Html(string="Credit Banner", compute="_compute_osb_credit_banner", sanitize=False)
    # OSB roles: set at creation from the OSB role rules, changed by the SSG leader only.
    osb_csr_id = fields.Many2one(
        "res.users",
        string="CSR",
        copy=False,
        tracking=True,
        index="btree_not_null",
        check_company=True,
        help="Customer Service Representative: processes the order and follows it up to delivery.",
    )
    osb_scr_id = fields.Many2one(
        "res.users",
        string="SCR",
        copy=False,
        tracking=True,
        index="btree_not_null",
        check_company=True,
        help="Shipping Coordinator: ships the order and reports the shipment to the CSR.",
    )
    osb_bcr_id = fields.Many2one(
        "res.users",
        string="BCR",
        copy=False,
        tracking=True,
        index="btree_not_null",
        check_company=True,
        help="Billing and Collection Representative: bills the order and collects the payment.",
    )
    osb_roles_editable = fields.Boolean(
        string="Can Change OSB Roles",
        compute="_compute_osb_roles_editable",
        help="The current user may change the CSR, SCR and BCR (SSG leader).",
    )

    def _auto_init(self):
        # On install, fill the stored credit amounts of the existing orders in two
        # statements instead of computing them order by order.
        cr = self.env.cr
        if not sql.column_exists(cr, "sale_order", "osb_credit_uninvoiced_amount"):
            sql.create_column(cr, "sale_order", "osb_credit_uninvoiced_amount", "float8")
            sql.create_column(cr, "sale_order", "osb_credit_down_payment_amount", "float8")
            cr.execute(
                SQL(
                    """
                    UPDATE sale_order so
                       SET osb_credit_uninvoiced_amount = amounts.uninvoiced,
                           osb_credit_down_payment_amount = amounts.down_payment
                      FROM (%s) AS amounts
                     WHERE amounts.id = so.id
                    """,
                    self._osb_credit_amounts_query(),
                )
            )
        if not sql.column_exists(cr, "sale_order", "osb_market_id"):
            # The market of the existing orders in one statement (see _compute_osb_market_id).
            sql.create_column(cr, "sale_order", "osb_market_id", "int4")
            cr.execute(
                """
                WITH paths AS (
                    SELECT id, string_to_array(trim(trailing '/' FROM parent_path), '/')::int[] AS path
                      FROM crm_team WHERE parent_path IS NOT NULL
                ), markets AS (
                    SELECT p.id,
                           COALESCE((SELECT a.id FROM crm_team a
                                      WHERE a.id = ANY(p.path) AND a.team_type = 'market'
                                      ORDER BY array_position(p.path, a.id) DESC LIMIT 1), p.path[1]) AS market
                      FROM paths p
                )
                UPDATE sale_order so SET osb_market_id = m.market FROM markets m WHERE m.id = so.team_id
                """
            )
        return super()._auto_init()

    def init(self):
        res = super().init()
        # Partial indexes on core tables that keep the exposure statement proportional
        # to the customer's open items, whatever its history (dropped at uninstall).
        # Here, not on osb.credit.exposure: they need this model's osb_credit_partner_id.
        create_partial_indexes(self.env.cr, EXPOSURE_INDEXES)
        return res

    @api.depends(
        "order_line.display_type",
        "order_line.is_downpayment",
        "order_line.product_uom_qty",
        "order_line.qty_invoiced",
        "order_line.price_total",
        "order_line.invoice_lines.price_total",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.move_type",
        "order_line.invoice_lines.move_id.invoice_currency_rate",
    )
    def _compute_osb_credit_amounts(self):
        """Keep in step with ``_osb_credit_amounts_query``. The amount not invoiced is in
        the order currency, so that confirming (which resets the date, hence the rate)
        does not recompute it."""
        for order in self:
            uninvoiced = down_payment = 0.0
            for line in order.order_line:
                if line.display_type:
                    continue
                if line.is_downpayment:
                    for invoice_line in line.invoice_lines:
                        move = invoice_line.move_id
                        if move.state != "cancel":
                            sign = -1 if move.move_type == "out_refund" else 1
                            down_payment += sign * invoice_line.price_total / (move.invoice_currency_rate or 1.0)
                elif line.product_uom_qty > 0:
                    not_invoiced = max(line.product_uom_qty - line.qty_invoiced, 0.0)
                    uninvoiced += not_invoiced * line.price_total / line.product_uom_qty
            order.osb_credit_uninvoiced_amount = uninvoiced
            order.osb_credit_down_payment_amount = down_payment

    @api.model
    def _osb_credit_amounts_query(self, order_ids=None):
        """The stored credit amounts computed in SQL from the lines: (id, uninvoiced,
        down_payment) of every order, or of ``order_ids``. Fills the columns on install."""
        where = SQL("so.id = ANY(%s)", list(order_ids)) if order_ids is not None else SQL("TRUE")
        return SQL(
            """
            SELECT so.id,
                   COALESCE(SUM(GREATEST(sol.product_uom_qty - sol.qty_invoiced, 0)
                                * sol.price_total / sol.product_uom_qty)
                            FILTER (WHERE sol.display_type IS NULL AND sol.is_downpayment IS NOT TRUE
                                    AND sol.product_uom_qty > 0), 0) AS uninvoiced,
                   COALESCE((
                       SELECT SUM(aml.price_total * (CASE WHEN am.move_type = 'out_refund' THEN -1 ELSE 1 END)
                                  / COALESCE(NULLIF(am.invoice_currency_rate, 0), 1))
                         FROM sale_order_line dp
                         JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = dp.id
                         JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                         JOIN account_move am ON am.id = aml.move_id
                        WHERE dp.order_id = so.id AND dp.is_downpayment AND dp.display_type IS NULL
                          AND am.state != 'cancel'
                   ), 0) AS down_payment
              FROM sale_order so
              LEFT JOIN sale_order_line sol ON sol.order_id = so.id
             WHERE %s
          GROUP BY so.id
            """,
            where,
        )

    @api.depends_context("uid")
    def _compute_osb_roles_editable(self):
        self.osb_roles_editable = self._osb_may_change_roles()

    @api.depends("company_id")
    def _compute_osb_credit_enforced(self):
        Policy = self.env["osb.credit.policy"]
        for order in self:
            order.osb_credit_enforced = bool(order.company_id) and Policy._is_enforced(order.company_id)

    @api.depends("state", "partner_invoice_id", "amount_total", "credit_hold", "osb_credit_checked_amount")
    def _compute_osb_credit_banner(self):
        """The banner states the rules of the credit check (``_osb_credit_rules``) that
        fire now, on every order: a quotation counts as "this order", a confirmed
        order is part of the confirmed orders. A release covering the order is shown
        with the rules it overrides."""
        Exposure = self.env["osb.credit.exposure"]
        self.osb_credit_banner = False
        orders = self.filtered(
            lambda o: o.id and o.osb_credit_partner_id and o.state in ("draft", "sent", "sale") and o._osb_enforced()
        )
        releases = orders._osb_valid_releases()
        for company, company_orders in orders.grouped("company_id").items():
            data = Exposure._compute_exposure(company_orders.osb_credit_partner_id.ids, company)
            for order in company_orders:
                values = dict(data[order.osb_credit_partner_id.id])
                if order.state != "sale":
                    values["current_order"] = order._osb_amount_company()
                    values["exposure"] = Exposure._total(values)
                    values["available"] = values["credit_limit"] - values["exposure"]
                rules = order._osb_credit_rules(values)
                release = releases.get(order)
                note = head = None
                if release:
                    note = order._osb_release_text(release)
                    head = self.env._("Rules that fire now, overridden by the release:")
                elif order.credit_hold:
                    if not rules:
                        rules = [(order.credit_hold_reason, order.credit_hold_message)]
                elif order.state == "sale":
                    head = self.env._("Confirmed before these rules fired; they fire now:")
                else:
                    head = self.env._("Confirming this order puts it on credit hold:")
                order.osb_credit_banner = Exposure._render_banner(values, company, rules=rules, head=head, note=note)

    def _osb_valid_releases(self):
        """The valid release covering each of these orders for its checked (else
        current) amount: ``{order: release}`` (one query)."""
        if not self.ids:
            return {}
        today = fields.Date.context_today(self)
        releases = (
            self.env["osb.credit.release"]
            .sudo()
            .search([("order_id", "in", self.ids), ("valid_until", ">=", today)], order="id desc")
        )
        result = {}
        for release in releases:
            order = self.browse(release.order_id.id)
            amount = order.osb_credit_checked_amount or order._osb_amount_company()
            rounding = order.company_id.currency_id.rounding
            if order not in result and release.released_amount >= amount - rounding / 2:
                result[order] = release
        return result

    def _osb_release_text(self, release):
        self.ensure_one()
        return self.env._(
            "Released by %(user)s on %(date)s for %(amount)s, valid until %(until)s: %(reason)s",
            user=release.user_id.name,
            date=format_date(self.env, release.release_date),
            amount=format_amount(self.env, release.released_amount, self.company_id.currency_id),
            until=format_date(self.env, release.valid_until),
            reason=release.reason,
        )

    def _compute_partner_credit_warning(self):
        # Our banner replaces Odoo's warning in the companies using credit control.
        res = super()._compute_partner_credit_warning()
        for order in self:
            if order.partner_credit_warning and order._osb_enforced():
                order.partner_credit_warning = ""
        return res

    @api.model_create_multi
    def create(self, vals_list):
        check_guarded_fields(self.env, vals_list, HOLD_FIELDS, self._osb_hold_fields_message)
        if any(vals.get(name) for vals in vals_list for name in OSB_ROLE_FIELDS):
            self._osb_check_role_change()
        # An order created confirmed is checked by the confirmation pipeline.
        orders = super().create(vals_list)
        orders._osb_assign_roles()
        orders._osb_timeline_on_create()
        return orders

    def write(self, vals):
        check_guarded_fields(self.env, vals, HOLD_FIELDS, self._osb_hold_fields_message)
        if not set(OSB_ROLE_FIELDS).isdisjoint(vals):
            self._osb_check_role_change()
        if vals.get("state") == "sale":
            # The Confirm action's write of the state records the amount its passing
            # check covered (before the write: the re-check after it compares with it).
            # A state written directly is checked by the pipeline after the write, on
            # the order as written, and the passing check records it.
            passed = self.env.cr.cache.get(PASSED_KEY, {})
            flagged = cursor_flagged(self.env, CONFIRMATION_CHECKED_KEY)
            checked_amounts = {
                o.id: passed[o.id] for o in self if o.state != "sale" and o.id in passed and o.id in flagged
            }
            if len(checked_amounts) == len(self) and len(set(checked_amounts.values())) == 1:
                vals = dict(vals, osb_credit_checked_amount=next(iter(checked_amounts.values())))
            else:
                by_amount = defaultdict(list)
                for order_id, amount in checked_amounts.items():
                    by_amount[amount].append(order_id)
                for amount, order_ids in by_amount.items():
                    orders = self.browse(order_ids).sudo().with_context(tracking_disable=True)
                    orders.write({"osb_credit_checked_amount": amount})
        timeline = self._osb_timeline_before_write(vals)
        res = super().write(vals)
        if timeline:
            timeline()
        return res

    def action_confirm(self):
        res = super().action_confirm()
        # The credit check queued the refresh of the customers under credit control.
        self.filtered(lambda o: o.state == "sale" and not o._osb_enforced())._osb_schedule_refresh()
        return res

    @api.model
    def _get_confirmation_checks(self):
        return super()._get_confirmation_checks() + [(20, "credit", "_confirmation_check_credit")]

    @api.model
    def _get_confirmation_rechecks(self):
        return super()._get_confirmation_rechecks() + [(20, "credit", "_confirmation_recheck_credit")]

    def _confirmation_recheck_credit(self, event, vals):
        """Confirmed orders whose amount in company currency grew beyond what their
        last check covered are checked again; those whose credit customer or company
        changed are checked in full (their releases were granted for another one).
        The orders being confirmed count too: the Confirm action dates them, hence
        a new rate."""
        if event == "write":
            if CREDIT_ORDER_FIELDS.isdisjoint(vals):
                return None
            confirming = vals.get("state") == "sale"
            orders = self.filtered(lambda o: confirming or o.state == "sale")
            before = {order.id: (order.osb_credit_partner_id, order.company_id) for order in orders}

            def recheck():
                moved = orders.filtered(lambda o: (o.osb_credit_partner_id, o.company_id) != before[o.id])
                orders._osb_credit_recheck(force=moved, moved=moved)

            return recheck if orders else None
        if event == "line_write" and AMOUNT_LINE_FIELDS.isdisjoint(vals):
            return None
        orders = self.filtered(lambda o: o.state == "sale")
        return orders._osb_credit_recheck if orders else None

    def _confirmation_check_credit(self, strict=False):
        """Credit check of the confirmation pipeline (see :meth:`_osb_credit_run`)."""
        if strict:
            return self._osb_credit_run(strict=True)[1]
        orders = self.filtered(lambda o: o.state in ("draft", "sent"))
        passed = orders._osb_credit_run()[0]
        passed._osb_timeline_stamp(["op_customer_verified", "op_credit_checked"], documents=passed._osb_self_map())
        return {order: order.credit_hold_message for order in orders - passed}

    def _osb_hold_fields_message(self):
        return self.env._("Credit hold fields are set by the credit check only.")

    def _action_cancel(self):
        res = super()._action_cancel()
        # A cancelled order confirmed again later in this transaction is checked again.
        passed = self.env.cr.cache.get(PASSED_KEY, {})
        for order_id in self.ids:
            passed.pop(order_id, None)
        # A cancelled order leaves the credit managers' worklist. The message and
        # amounts of its last check stay for reference.
        held = self.filtered("credit_hold").sudo()
        if held:
            held.activity_unlink(["osb_credit.mail_activity_type_credit_hold"])
            held.write({"credit_hold": False, "credit_hold_reason": False})
        self._osb_schedule_refresh()
        self._osb_timeline_on_cancel()
        return res

    def action_osb_credit_release(self):
        """Open the release wizard for these held orders (credit managers only)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Credit Holds"),
            "res_model": "osb.credit.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "sale.order", "active_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # OSB roles
    # ------------------------------------------------------------------

    def _osb_may_change_roles(self):
        return self.env.su or self.env.user.has_group("osb_credit.group_osb_ssg_leader")

    def _osb_check_role_change(self):
        """Only the SSG leader (or the superuser) sets the OSB roles by hand."""
        if not self._osb_may_change_roles():
            raise AccessError(
                self.env._(
                    "Only the SSG leader changes the CSR, SCR and BCR of an order; they are set from the "
                    "OSB role rules when the order is created."
                )
            )

    def _osb_resolve_roles(self):
        """The roles the OSB role rules give these orders (see ``osb.role.rule._osb_resolve``):
        ``(assignments, missing, companies using OSB roles)``."""
        return self.env["osb.role.rule"]._osb_resolve(self.sudo())

    def _osb_assign_roles(self):
        """Give these new orders the roles they have not been given, from the rules of
        their company, when it uses OSB roles. A role no rule covers is an error
        naming the role, the team and the customer. One write per distinct set of
        roles, without tracking (the creation is logged already)."""
        assignments, missing, _companies = self._osb_resolve_roles()
        if not assignments:
            return
        errors = [
            self._osb_missing_role_message(order, role) for order, role in missing if not order[OSB_ROLES[role][0]]
        ]
        if errors:
            raise UserError(format_error_list(errors))
        by_values = defaultdict(list)
        for order in self:
            roles = assignments.get(order.id)
            if not roles:
                continue
            values = tuple(
                (OSB_ROLES[role][0], user_id) for role, user_id in roles.items() if not order[OSB_ROLES[role][0]]
            )
            if values:
                by_values[values].append(order.id)
        for values, order_ids in by_values.items():
            self.browse(order_ids).sudo().with_context(tracking_disable=True).write(dict(values))

    def action_osb_reassign_roles(self):
        """Preview, then apply, the roles the rules now give these orders (SSG leader)."""
        return self.env["osb.role.reassign"]._open_for(self)

    @api.model
    def _osb_assign_roles_to_open_orders(self, company_ids):
        """Give the open orders of these companies the roles they lack, from the
        rules: for a company that starts using OSB roles (the demo does)."""
        orders = self.search([("company_id", "in", company_ids), ("state", "!=", "cancel"), ("locked", "=", False)])
        orders._osb_assign_roles()

    def _osb_missing_role_message(self, order, role):
        return self.env._(
            "%(order)s: no OSB role rule gives it a %(role)s (team: %(team)s, customer: %(customer)s). "
            "Ask the SSG leader to add a rule for this team or customer, or a company default, "
            "in OSB > Configuration > Role Rules.",
            order=order.name,
            role=self.env["osb.role.rule"]._role_label(role),
            team=order.team_id.display_name or self.env._("none"),
            customer=order.partner_id.commercial_partner_id.display_name,
        )

    # ------------------------------------------------------------------
    # Credit check
    # ------------------------------------------------------------------

    def _osb_schedule_refresh(self):
        """Queue the stored exposure refresh of these orders' customers (no query: the
        credit customer is stored on the order and already commercial)."""
        self.env["osb.credit.exposure.queue"]._enqueue(
            {(order.osb_credit_partner_id.id, order.company_id.id) for order in self if order.osb_credit_partner_id}
        )

    def _osb_enforced(self):
        self.ensure_one()
        return self.env["osb.credit.policy"]._is_enforced(self.company_id)

    def _osb_amount_company(self):
        """Amount of the order not yet invoiced, incl. taxes, in company currency."""
        self.ensure_one()
        return self.osb_credit_uninvoiced_amount / (self.currency_rate or 1.0)

    def _osb_valid_release(self, amount):
        """The release covering this order for ``amount`` today, if any (one query)."""
        self.ensure_one()
        if not self.id:
            return self.env["osb.credit.release"]
        today = fields.Date.context_today(self)
        rounding = self.company_id.currency_id.rounding
        return (
            self.env["osb.credit.release"]
            .sudo()
            .search(
                [
                    ("order_id", "=", self.id),
                    ("valid_until", ">=", today),
                    ("released_amount", ">=", amount - rounding / 2),
                ],
                limit=1,
            )
        )

    def _osb_credit_rules(self, values, checks=("blocked", "grade_e", "overdue", "limit")):
        """The rules that fire for exposure ``values``: [(code, message)] (see
        ``osb.credit.exposure._credit_rules``, the one definition of the rules)."""
        self.ensure_one()
        return self.env["osb.credit.exposure"]._credit_rules(values, self.company_id.currency_id, checks=checks)

    @api.model
    def _osb_lock_query(self, partner_ids):
        """Serialise the credit checks of these customers until the transaction ends."""
        return self.env["sales.lock"]._lock_query(LOCK_NAMESPACE, partner_ids)

    def _osb_locked_components(self, partner_ids, company, current_ids, lock_ids=()):
        """Exposure components and credit master data of these customers, read under
        their advisory locks: what this transaction sees, including what other
        transactions committed since it took its snapshot. Takes the locks of
        ``lock_ids`` first, and queues the refresh of the customers' stored exposure.
        Returns ``(components, master data)`` (see ``res.partner._osb_credit_master_data``).

        Usually nothing was committed meanwhile: claiming the customers' next check
        serials proves it, and the transaction's own cursor gives the exact figures.
        The locks, the claim (in a savepoint), the queue and the exposure go to the
        database in one round trip. When a concurrent check committed meanwhile, the
        claim fails, and the committed state is read on a fresh cursor and merged
        with this transaction's own uncommitted work."""
        Exposure = self.env["osb.credit.exposure"]
        Serial = self.env["osb.credit.serial"]
        Partner = self.env["res.partner"].sudo()
        Exposure._flush_sources()
        cr = self.env.cr
        queue = self.env["osb.credit.exposure.queue"]._enqueue_query((pid, company.id) for pid in partner_ids)
        components = Exposure._components_query(
            partner_ids, company.id, exclude_order_ids=current_ids, columns=Partner._osb_credit_master_columns(company)
        )
        claim = Serial._claim_query(partner_ids, company.id)
        statements = [
            self._osb_lock_query(lock_ids) if lock_ids else None,
            SQL("SAVEPOINT osb_credit_claim"),
            # The queue rides on the claim's statement; if the claim fails, it is queued again below.
            SQL("WITH queued AS (%s) %s", queue, claim) if queue else claim,
            SQL("RELEASE SAVEPOINT osb_credit_claim"),
            components,
        ]
        try:
            cr.execute(SQL(";\n").join(statement for statement in statements if statement), log_exceptions=False)
        except psycopg2.errors.UniqueViolation:
            # The locks (taken before the savepoint) stay; the claim is undone.
            cr.execute("ROLLBACK TO SAVEPOINT osb_credit_claim; RELEASE SAVEPOINT osb_credit_claim")
        else:
            rows = cr.fetchall()
            return (
                Exposure._components_result([row[:8] for row in rows], partner_ids),
                Partner._osb_credit_master_result([row[8:] for row in rows]),
            )
        if queue:
            cr.execute(queue)
        master = Partner.browse(partner_ids)._osb_credit_master_data(company)
        passed_ids = cr.cache.get(PASSED_KEY, {})
        own = self.browse()
        if passed_ids:
            own = (
                self.sudo()
                .browse(list(passed_ids))
                .exists()
                .filtered(lambda o: o.state == "sale" and o.company_id == company and o.id not in current_ids)
            )
        # Has this transaction written anything yet? If not, its own view holds
        # nothing that committed data does not: the fresh read alone is exact.
        cr.execute("SELECT txid_current_if_assigned() IS NOT NULL")
        wrote = cr.fetchone()[0]
        main = None
        if wrote:
            main = Exposure._query_components(cr, partner_ids, company.id, exclude_order_ids=current_ids)

        def read_fresh(fresh_cr):
            fresh = Exposure._query_components(
                fresh_cr, partner_ids, company.id, exclude_order_ids=list(own.ids) + list(current_ids)
            )
            Serial._claim_fresh(partner_ids, company.id, fresh_cr)
            return fresh

        fresh = self.env["sales.lock"]._read_committed(read_fresh)
        if main is None:
            return fresh, master
        merged = {}
        for pid in partner_ids:
            m, f = main[pid], fresh[pid]
            own_total = sum(o._osb_amount_company() for o in own if o.osb_credit_partner_id.id == pid)
            merged[pid] = dict(
                m,
                # Receivables and drafts: the larger of both views, payments the smaller.
                receivable_not_due=max(m["receivable_not_due"], f["receivable_not_due"]),
                receivable_overdue=max(m["receivable_overdue"], f["receivable_overdue"]),
                draft_invoice=max(m["draft_invoice"], f["draft_invoice"]),
                unapplied_payment=min(m["unapplied_payment"], f["unapplied_payment"]),
                max_overdue_days=max(m["max_overdue_days"], f["max_overdue_days"]),
                # Orders: committed ones as they are now, plus this transaction's own.
                order_uninvoiced=f["order_uninvoiced"] + own_total,
                down_payment=f["down_payment"],
            )
        return merged, master

    def _osb_credit_check(self, strict=False, moved=None):
        """Run the credit check on these orders; return those that pass.

        Orders that fail go on credit hold (state unchanged), or with ``strict``
        the check raises. Missing master data always raises. The releases of the
        ``moved`` orders (granted for another customer or company) do not count."""
        passed, refused = self._osb_credit_run(strict=strict, moved=moved)
        if refused:
            raise UserError(format_error_list(refused.values()))
        return passed

    def _osb_credit_run(self, strict=False, moved=None):
        """The credit check of these orders: ``(orders that pass, {order: refusal})``.
        Without ``strict``, the orders that fail go on credit hold and no refusal is
        returned; with it, they are returned with their refusal and left as they are."""
        enforced = self.filtered(lambda o: o._osb_enforced())
        passed = self - enforced
        refused = {}
        if not enforced:
            return passed, refused
        # Every customer of the batch is locked at once, with the first company's read.
        lock_ids = enforced.osb_credit_partner_id.ids
        by_company = {}
        errors = []
        for company, company_orders in enforced.grouped("company_id").items():
            partners = company_orders.osb_credit_partner_id
            data, master = self._osb_locked_components(partners.ids, company, company_orders.ids, lock_ids=lock_ids)
            lock_ids = ()
            by_company[company] = (company_orders, data, master)
            for order in company_orders:
                missing = master[order.osb_credit_partner_id.id]["missing"]
                if missing:
                    errors.append(
                        self.env._(
                            "%(order)s: customer %(customer)s is not OSB-ready, missing: %(missing)s.",
                            order=order.name,
                            customer=order.osb_credit_partner_id.display_name,
                            missing=", ".join(missing),
                        )
                    )
        if errors:
            raise UserError(format_error_list(errors))
        Exposure = self.env["osb.credit.exposure"]
        for company, (company_orders, data, master) in by_company.items():
            tolerances = dict(self.env["osb.credit.policy"]._overdue_tolerances(company.id))
            for order in company_orders.sorted("id"):
                pid = order.osb_credit_partner_id.id
                values = data[pid]
                values.update(master[pid], partner=order.osb_credit_partner_id)
                amount = order._osb_amount_company()
                values["current_order"] = amount
                values["exposure"] = Exposure._total(values)
                values["available"] = values["credit_limit"] - values["exposure"]
                values["tolerance"] = tolerances[values["credit_grade"] or "E"]
                rules = order._osb_credit_rules(values)
                if rules and not (moved and order in moved) and order._osb_valid_release(amount):
                    rules = []
                if rules:
                    if strict:
                        refused[order] = format_error_list(
                            (message for _code, message in rules),
                            intro=self.env._("%(order)s cannot be confirmed:", order=order.name),
                        )
                        continue
                    order._osb_hold(rules, values)
                else:
                    order._osb_pass(amount)
                    passed |= order
                    # The next order of the same customer in this batch counts this one.
                    values["order_uninvoiced"] += amount
                    values["current_order"] = 0.0
        return passed, refused

    def _osb_credit_recheck(self, force=None, moved=None):
        """Re-check confirmed orders whose amount grew beyond what the last check
        covered, and the ``force`` orders whatever their amount. ``moved``: orders
        whose credit customer or company changed, checked in full (their releases
        were granted for the previous one)."""
        to_check = self.env["sale.order"]
        for order in self.filtered(lambda o: o.state == "sale" and o._osb_enforced()):
            amount = order._osb_amount_company()
            if (force and order in force) or (
                order.company_id.currency_id.compare_amounts(amount, order.osb_credit_checked_amount) > 0
            ):
                to_check |= order
        if to_check:
            to_check._osb_credit_check(strict=True, moved=moved)  # also queues the stored exposure refresh

    def _osb_hold(self, rules, values):
        self.ensure_one()
        was_held = self.credit_hold
        self.sudo().write(
            {
                "credit_hold": True,
                "credit_hold_reason": rules[0][0],
                "credit_hold_message": "\n".join(message for _code, message in rules),
                "credit_hold_date": fields.Datetime.now(),
                "credit_hold_exposure": values["exposure"],
                "credit_hold_limit": values["credit_limit"],
                "credit_hold_amount": values["current_order"],
                "credit_hold_overdue_days": values["max_overdue_days"],
            }
        )
        if not was_held:
            managers = self._osb_credit_managers()
            for user in managers:
                # In the credit manager's language (the hold's own texts are the
                # checking user's: they were written with the figures).
                self.sudo().activity_schedule(
                    "osb_credit.mail_activity_type_credit_hold",
                    user_id=user.id,
                    summary=self.with_context(lang=user.lang).env._(
                        "Credit hold: %(reason)s", reason=rules[0][1][:200]
                    ),
                    note=self.credit_hold_message,
                )

    def _osb_pass(self, amount):
        self.ensure_one()
        self.env.cr.cache.setdefault(PASSED_KEY, {})[self.id] = amount
        vals = {"osb_credit_checked_amount": amount}
        if not self.credit_hold:
            if self.state == "sale":
                # A confirmed order re-checked (edit, invoice address). Otherwise the
                # confirmation's write of the state records the amount (see write()).
                self.sudo().with_context(tracking_disable=True).write(vals)
            return
        vals.update(credit_hold=False, credit_hold_reason=False)
        self.sudo().activity_feedback(
            ["osb_credit.mail_activity_type_credit_hold"],
            feedback=self.env._("Credit check passed."),
        )
        self.sudo().write(vals)

    def _osb_credit_managers(self):
        self.ensure_one()
        group = self.env.ref("osb_credit.group_osb_credit_manager")
        return group.sudo().users.filtered(
            lambda u: u.active and not u._is_superuser() and u._is_internal() and self.company_id in u.company_ids
        )

    def _osb_delivery_rules(self):
        """Rules that stop a customer delivery of these orders: {order: [(code, message)]}."""
        Exposure = self.env["osb.credit.exposure"]
        result = defaultdict(list)
        orders = self.filtered(lambda o: o._osb_enforced())
        for company, company_orders in orders.grouped("company_id").items():
            data = Exposure._compute_exposure(company_orders.osb_credit_partner_id.ids, company)
            for order in company_orders:
                values = data[order.osb_credit_partner_id.id]
                if order._osb_valid_release(order.osb_credit_checked_amount):
                    continue
                rules = order._osb_credit_rules(values, checks=("blocked", "overdue"))
                if order.credit_hold:
                    rules.insert(0, ("hold", order.credit_hold_message or ""))
                if rules:
                    result[order] = rules
        return result

    # ------------------------------------------------------------------
    # OSB timeline (osb.order.step): the order's hooks and the manual ticks
    # ------------------------------------------------------------------

    osb_step_ids = fields.One2many("osb.order.step", "order_id", string="OSB Timeline", readonly=True)
    osb_market_id = fields.Many2one(
        "crm.team",
        string="Market",
        compute="_compute_osb_market_id",
        store=True,
        index="btree_not_null",
        help="The market of the order's team: its nearest ancestor (or itself) of type Market, else its top team.",
    )
    osb_order_ship_hours = fields.Float(
        string="Order to Ship (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from the order received to its first delivery shipped.",
    )
    osb_order_ship_days = fields.Float(string="Order to Ship (days)", readonly=True, copy=False, aggregator="avg")
    osb_ship_invoice_hours = fields.Float(
        string="Ship to Invoice (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from the first delivery shipped to the first invoice posted.",
    )
    osb_ship_invoice_days = fields.Float(string="Ship to Invoice (days)", readonly=True, copy=False, aggregator="avg")
    osb_invoice_cash_hours = fields.Float(
        string="Invoice to Cash (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from the first invoice posted to the order's invoices paid in full.",
    )
    osb_invoice_cash_days = fields.Float(string="Invoice to Cash (days)", readonly=True, copy=False, aggregator="avg")
    osb_order_cash_hours = fields.Float(
        string="Order to Cash (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from the order received to its invoices paid in full.",
    )
    osb_order_cash_days = fields.Float(string="Order to Cash (days)", readonly=True, copy=False, aggregator="avg")
    osb_late_step_count = fields.Integer(
        string="Late Steps",
        compute="_compute_osb_late_step_count",
        help="Steps of the order's OSB timeline done after their target, or open past it.",
    )

    @api.depends("team_id.parent_path", "team_id.team_type")
    def _compute_osb_market_id(self):
        teams = self.team_id
        ancestor_ids = {int(tid) for path in teams.mapped("parent_path") if path for tid in path.split("/") if tid}
        ancestors = self.env["crm.team"].sudo().with_context(active_test=False).browse(ancestor_ids)
        types = {team.id: team.team_type for team in ancestors}
        markets = {}
        for team in teams:
            path = [int(tid) for tid in (team.parent_path or "").split("/") if tid]
            market = next((tid for tid in reversed(path) if types.get(tid) == "market"), path[0] if path else False)
            markets[team.id] = market
        for order in self:
            order.osb_market_id = markets.get(order.team_id.id, False)

    def _compute_osb_late_step_count(self):
        counts = dict(
            self.env["osb.order.step"]
            .sudo()
            ._read_group([("order_id", "in", self.ids), ("breached", "=", True)], ["order_id"], ["__count"])
        )
        for order in self:
            order.osb_late_step_count = counts.get(order._origin, 0)

    def _osb_timeline_stamp(self, codes, when=None, documents=None):
        """Stamp the OSB steps ``codes`` of these orders (see ``osb.order.step._stamp``)."""
        if not self:
            return set()
        return self.env["osb.order.step"].sudo()._stamp(codes, self, when=when, documents=documents, user=self.env.user)

    def _osb_timeline_on_create(self):
        """Received: the creation time (``date_order`` is rewritten at confirmation).
        An order created confirmed is also stamped confirmed."""
        created = {order.id: order.create_date for order in self}
        self._osb_timeline_stamp("op_received", when=created, documents=self._osb_self_map())
        self.filtered(lambda o: o.state == "sale")._osb_timeline_on_confirmed()

    def _osb_self_map(self):
        return {order.id: order for order in self}

    def _osb_timeline_on_confirmed(self):
        """Confirmed, with the checks of the confirmation pipeline it passed (those a
        check stamped earlier, as the credit check, keep their time)."""
        self._osb_timeline_stamp(
            ["op_customer_verified", "op_credit_checked", "op_quota_checked", "op_price_approved", "op_confirmed"],
            documents=self._osb_self_map(),
        )

    def _osb_timeline_before_write(self, vals):
        """What the timeline does after this write: stamp the orders being confirmed,
        give the open steps their new owner when the roles change."""
        confirming = self.filtered(lambda o: o.state != "sale") if vals.get("state") == "sale" else self.browse()
        roles_changed = not set(OSB_ROLE_FIELDS).isdisjoint(vals)
        if not confirming and not roles_changed:
            return None

        def after():
            confirming.filtered(lambda o: o.state == "sale")._osb_timeline_on_confirmed()
            if roles_changed:
                self._osb_timeline_update_owners()

        return after

    def _osb_timeline_update_owners(self):
        self.flush_recordset(list(OSB_ROLE_FIELDS))
        self.env.cr.execute(
            SQL(
                """
                UPDATE osb_order_step s
                   SET owner_id = CASE s.owner_role WHEN 'csr' THEN so.osb_csr_id
                                                    WHEN 'scr' THEN so.osb_scr_id
                                                    ELSE so.osb_bcr_id END
                  FROM sale_order so
                 WHERE so.id = s.order_id AND s.order_id = ANY(%s) AND s.done_date IS NULL
                """,
                self.ids,
            )
        )
        self.env["osb.order.step"].invalidate_model(["owner_id"])

    def _osb_timeline_on_cancel(self):
        """A cancelled order leaves the worklists: its open steps go, its stamps stay."""
        if self.ids:
            self.env.cr.execute(
                SQL("DELETE FROM osb_order_step WHERE order_id = ANY(%s) AND done_date IS NULL", self.ids)
            )
            self.env["osb.order.step"]._osb_after_write(self)

    def _approval_on_approved(self):
        res = super()._approval_on_approved()
        self._osb_timeline_stamp("op_price_approved", documents=self._osb_self_map())
        return res

    def _send_order_confirmation_mail(self):
        res = super()._send_order_confirmation_mail()
        confirmed = self.filtered(lambda o: o.state == "sale")
        confirmed._osb_timeline_stamp("op_acknowledged", documents=confirmed._osb_self_map())
        return res

    def _osb_timeline_close(self):
        """Stamp "order closed" on those of these confirmed orders that are delivered,
        invoiced and paid in full: every line delivered, nothing left to invoice,
        every posted customer invoice paid (``in_payment`` or ``paid``)."""
        closing = self.browse()
        for order in self.filtered(lambda o: o.state == "sale" and o.invoice_status == "invoiced"):
            lines = order.order_line.filtered(lambda line: not line.display_type and line.product_uom_qty > 0)
            delivered = all(
                line.qty_delivered >= line.product_uom_qty
                for line in lines
                if line.product_id.type == "consu" and not line.is_downpayment
            )
            invoices = order.invoice_ids.filtered(lambda m: m.state == "posted" and m.move_type == "out_invoice")
            paid = invoices and all(m.payment_state in ("paid", "in_payment") for m in invoices)
            if delivered and paid:
                closing |= order
        closing._osb_timeline_stamp("bc_order_closed", documents=closing._osb_self_map())

    def action_osb_tick_step(self, step_code):
        """Tick the manual OSB step ``step_code`` done for these orders, now: allowed
        to the order's owner of the step's role (CSR, SCR or BCR) and to the SSG
        leader. A step done already, or stamped by its document, is refused."""
        Step = self.env["osb.step"]
        data = Step._step_data()
        step = data.get(step_code) if isinstance(step_code, str) else None
        if not step:
            raise UserError(self.env._("There is no active OSB step with the code %(code)s.", code=step_code))
        step_name = Step.browse(step["id"]).name
        if step["mode"] != "manual":
            raise UserError(
                self.env._(
                    "The step %(step)s is stamped by its document's event; it cannot be ticked by hand.",
                    step=step_name,
                )
            )
        if not self:
            raise UserError(self.env._("Select the orders whose step %(step)s is done.", step=step_name))
        self.check_access("read")
        cancelled = self.filtered(lambda o: o.state == "cancel")
        if cancelled:
            raise UserError(
                self.env._(
                    "%(orders)s: a cancelled order's steps cannot be ticked.",
                    orders=", ".join(cancelled.mapped("name")),
                )
            )
        field_name = OSB_ROLES[step["owner_role"]][0]
        if not (self.env.su or self.env.user.has_group("osb_credit.group_osb_ssg_leader")):
            foreign = self.filtered(lambda o: o[field_name] != self.env.user)
            if foreign:
                raise AccessError(
                    self.env._(
                        "Only the %(role)s of the order or the SSG leader ticks the step %(step)s: %(orders)s.",
                        role=self.env["osb.role.rule"]._role_label(step["owner_role"]),
                        step=step_name,
                        orders=", ".join(foreign.mapped("name")),
                    )
                )
        Row = self.env["osb.order.step"].sudo()
        done = Row.search([("order_id", "in", self.ids), ("step_id", "=", step["id"]), ("done_date", "!=", False)])
        if done:
            raise UserError(self._osb_ticked_twice_message(done, step_name))
        stamped = self._osb_timeline_stamp(step_code, documents=self._osb_self_map())
        missing = self.filtered(lambda o: (o.id, step_code) not in stamped)
        if missing:
            # Ticked meanwhile by another transaction, or the company does not track the timeline.
            raise UserError(
                self.env._(
                    "%(orders)s: the step %(step)s could not be ticked (done already, or the OSB timeline "
                    "is not active for the company).",
                    orders=", ".join(missing.mapped("name")),
                    step=step_name,
                )
            )
        return True

    def _osb_ticked_twice_message(self, done, step_name):
        return self.env._(
            "The step %(step)s is done already: %(done)s.",
            step=step_name,
            done="; ".join(
                self.env._(
                    "%(order)s by %(user)s on %(date)s",
                    order=row.order_id.name,
                    user=row.user_id.name or "-",
                    date=format_datetime(self.env, row.done_date),
                )
                for row in done
            ),
        )

    def action_osb_open_timeline(self):
        """The timeline of this order, as a list (late steps first)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("OSB Timeline of %(order)s", order=self.name),
            "res_model": "osb.order.step",
            "view_mode": "list,form",
            "domain": [("order_id", "=", self.id)],
            "context": {"create": False},
        }
