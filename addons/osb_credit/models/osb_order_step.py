# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
from bisect import bisect_left, bisect_right
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .osb_role_rule import OSB_ROLE_SELECTION, OSB_ROLES
from .osb_step import OSB_FLOWS

_logger = logging.getLogger(__name__)

# The cycle times stored on the order: (field prefix, from step, to step).
CYCLES = (
    ("osb_order_ship", "op_received", "sp_shipped"),
    ("osb_ship_invoice", "sp_shipped", "bc_invoice_posted"),
    ("osb_invoice_cash", "bc_invoice_posted", "bc_reconciled"),
    ("osb_order_cash", "op_received", "bc_reconciled"),
)
CYCLE_STEPS = frozenset(code for _prefix, start, end in CYCLES for code in (start, end))
CYCLE_FIELDS = tuple(f"{prefix}_{unit}" for prefix, _start, _end in CYCLES for unit in ("hours", "days"))


class OsbOrderStep(models.Model):
    """One step of one order's OSB timeline: its target (planned), when it was done,
    by whom, and the document that proved it.

    A row exists once its step is stamped or its target is known: stamping a step
    also creates the row of the next step with its target (the done time plus the
    next step's SLA in working hours of the company's calendar), and the rows of
    the manual steps of the same flow left behind (open, without target), so that
    their owner can still tick them. Rows are written in batches by SQL
    (``_stamp``, ``_unstamp``): one statement per business event, whatever the
    number of documents; the ORM never creates them one by one."""

    _name = "osb.order.step"
    _description = "OSB Order Step"
    _order = "order_id, sequence, id"
    _rec_name = "step_id"
    _check_company_auto = True
    _sql_constraints = [
        ("order_step_uniq", "UNIQUE(order_id, step_id)", "An order has one row per OSB step."),
    ]

    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, ondelete="cascade", index=True, check_company=True
    )
    step_id = fields.Many2one("osb.step", required=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    sequence = fields.Integer(readonly=True)
    flow = fields.Selection(OSB_FLOWS, readonly=True)
    owner_role = fields.Selection(OSB_ROLE_SELECTION, readonly=True)
    owner_id = fields.Many2one(
        "res.users",
        readonly=True,
        index="btree_not_null",
        help="The order's CSR, SCR or BCR, as the step's owner role says.",
    )
    mode = fields.Selection(related="step_id.mode")
    planned_date = fields.Datetime(
        string="Target",
        readonly=True,
        help="Done time of the previous step plus this step's SLA, in working hours of the company's calendar.",
    )
    done_date = fields.Datetime(string="Done", readonly=True)
    user_id = fields.Many2one("res.users", string="Done By", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model", readonly=True)
    document_ref = fields.Reference(
        selection="_selection_document_ref",
        string="Document",
        compute="_compute_document_ref",
        help="The document whose event stamped the step (the order, delivery or invoice).",
    )
    breached = fields.Boolean(
        string="Late",
        readonly=True,
        index=True,
        help="Done after its target, or not done and its target has passed (flagged every hour).",
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    team_id = fields.Many2one(related="order_id.team_id", string="Sales Team")

    def init(self):
        res = super().init()
        # The hourly breach cron reads the open rows by target, the breach list the late ones by role.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS osb_order_step_open_target_idx
                ON osb_order_step (planned_date) WHERE done_date IS NULL AND NOT breached;
            CREATE INDEX IF NOT EXISTS osb_order_step_breach_idx
                ON osb_order_step (company_id, owner_role, owner_id) WHERE breached
            """
        )
        return res

    @api.model
    def _selection_document_ref(self):
        return [
            ("sale.order", self.env._("Sales Order")),
            ("stock.picking", self.env._("Transfer")),
            ("account.move", self.env._("Invoice")),
        ]

    @api.depends("res_model", "res_id")
    def _compute_document_ref(self):
        for row in self:
            valid = row.res_model in ("sale.order", "stock.picking", "account.move") and row.res_id
            row.document_ref = f"{row.res_model},{row.res_id}" if valid else False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_tick(self):
        """Tick these manual steps done (their owner role of the order, or the SSG leader)."""
        for step, rows in self.grouped("step_id").items():
            rows.order_id.action_osb_tick_step(step.code)
        return True

    # ------------------------------------------------------------------
    # Stamping (the one notification point of the business events)
    # ------------------------------------------------------------------

    @api.model
    def _stamp(self, codes, orders, when=None, documents=None, user=None):
        """Stamp the steps ``codes`` (a code or a list) done for ``orders``, in one
        statement, and set the target of the step that follows each.

        - ``when``: the time (naive UTC), or ``{order id: time}``; now by default.
        - ``documents``: the record that proves it, or ``{order id: record}``.
        - ``user``: who did it (the current user by default).

        Cancelled orders, companies whose policy does not track the timeline and
        inactive steps are skipped; a step already done stays as it was. Returns
        the set of ``(order id, step code)`` stamped now."""
        codes = [codes] if isinstance(codes, str) else list(codes)
        data = self.env["osb.step"]._step_data()
        steps = [data[code] for code in codes if code in data]
        Policy = self.env["osb.credit.policy"]
        orders = orders.filtered(lambda o: o.id and o.state != "cancel" and Policy._timeline_enabled(o.company_id.id))
        if not steps or not orders:
            return set()
        now = fields.Datetime.now()
        uid = (user or self.env.user).id
        stamped_codes = {step["code"] for step in steps}
        # Rows to make sure exist: the next step of each stamped one (with its target),
        # and the manual steps of the same flow before it, left behind.
        pending = {}
        for step in steps:
            follower = data.get(step["next"]) if step["next"] else None
            if follower and follower["code"] not in stamped_codes:
                pending[follower["code"]] = (follower, step)
            for other in data.values():
                if (
                    other["mode"] == "manual"
                    and other["flow"] == step["flow"]
                    and other["sequence"] < step["sequence"]
                    and other["code"] not in stamped_codes
                ):
                    pending.setdefault(other["code"], (other, None))
        done_rows = []
        target_rows = []
        planner = _TargetPlanner(self.env)
        for order in orders:
            at = (when.get(order.id) if isinstance(when, dict) else when) or now
            document = documents.get(order.id) if isinstance(documents, dict) else documents
            company_id = order.company_id.id
            for step in steps:
                done_rows.append(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, FALSE, %s, %s, %s, %s)",
                        order.id,
                        step["id"],
                        company_id,
                        step["sequence"],
                        step["flow"],
                        step["owner_role"],
                        order[OSB_ROLES[step["owner_role"]][0]].id or None,
                        at,
                        uid,
                        document._name if document else None,
                        document.id if document else None,
                        uid,
                        now,
                        uid,
                        now,
                    )
                )
            for follower, previous in pending.values():
                planned = None
                if previous is not None and follower["sla_hours"]:
                    planned = planner.plan(order.company_id, at, follower["sla_hours"])
                target_rows.append(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        order.id,
                        follower["id"],
                        company_id,
                        follower["sequence"],
                        follower["flow"],
                        follower["owner_role"],
                        order[OSB_ROLES[follower["owner_role"]][0]].id or None,
                        planned,
                        bool(planned and planned < now),
                        uid,
                        now,
                        uid,
                        now,
                    )
                )
        statements = []
        if target_rows:
            statements.append(
                SQL(
                    """
                    INSERT INTO osb_order_step AS s
                           (order_id, step_id, company_id, sequence, flow, owner_role, owner_id, planned_date,
                            breached, create_uid, create_date, write_uid, write_date)
                    VALUES %s
                    ON CONFLICT (order_id, step_id) DO UPDATE
                       SET planned_date = EXCLUDED.planned_date,
                           breached = COALESCE(s.done_date > EXCLUDED.planned_date, EXCLUDED.breached),
                           write_uid = EXCLUDED.write_uid,
                           write_date = EXCLUDED.write_date
                     WHERE s.planned_date IS NULL AND EXCLUDED.planned_date IS NOT NULL
                    """,
                    SQL(", ").join(target_rows),
                )
            )
        statements.append(
            SQL(
                """
                INSERT INTO osb_order_step AS s
                       (order_id, step_id, company_id, sequence, flow, owner_role, owner_id, done_date, user_id,
                        res_model, res_id, breached, create_uid, create_date, write_uid, write_date)
                VALUES %s
                ON CONFLICT (order_id, step_id) DO UPDATE
                   SET done_date = EXCLUDED.done_date,
                       user_id = EXCLUDED.user_id,
                       res_model = EXCLUDED.res_model,
                       res_id = EXCLUDED.res_id,
                       owner_id = COALESCE(s.owner_id, EXCLUDED.owner_id),
                       breached = COALESCE(EXCLUDED.done_date > s.planned_date, FALSE),
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                 WHERE s.done_date IS NULL
                RETURNING s.order_id, s.step_id
                """,
                SQL(", ").join(done_rows),
            )
        )
        self.env.cr.execute(SQL(";\n").join(statements))
        code_of = {step["id"]: step["code"] for step in data.values()}
        stamped = {(order_id, code_of[step_id]) for order_id, step_id in self.env.cr.fetchall()}
        self._osb_after_write(orders)
        if stamped_codes & CYCLE_STEPS:
            self._update_cycle_times(orders.browse({order_id for order_id, _code in stamped}))
        return stamped

    @api.model
    def _unstamp(self, codes, orders, documents=None):
        """Undo the stamps of ``codes`` for ``orders`` (only those proved by one of
        ``documents`` when given): the rows stay, open, with their target."""
        codes = [codes] if isinstance(codes, str) else list(codes)
        data = self.env["osb.step"]._step_data()
        step_ids = [data[code]["id"] for code in codes if code in data]
        if not step_ids or not orders.ids:
            return
        where = SQL("order_id = ANY(%s) AND step_id = ANY(%s) AND done_date IS NOT NULL", orders.ids, step_ids)
        if documents is not None:
            where = SQL("%s AND res_model = %s AND res_id = ANY(%s)", where, documents._name, documents.ids or [0])
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                UPDATE osb_order_step
                   SET done_date = NULL, user_id = NULL, res_model = NULL, res_id = NULL,
                       breached = COALESCE(planned_date < %s, FALSE), write_uid = %s, write_date = %s
                 WHERE %s
                RETURNING order_id
                """,
                now,
                self.env.uid,
                now,
                where,
            )
        )
        order_ids = {row[0] for row in self.env.cr.fetchall()}
        if not order_ids:
            return
        touched = orders.browse(order_ids)
        self._osb_after_write(touched)
        if set(codes) & CYCLE_STEPS:
            self._update_cycle_times(touched)

    @api.model
    def _osb_after_write(self, orders):
        self.invalidate_model()
        orders.invalidate_recordset(["osb_step_ids"])

    @api.model
    def _done_dates(self, orders, codes):
        """``{(order id, code): done time}`` of the done steps ``codes`` of ``orders`` (one query)."""
        data = self.env["osb.step"]._step_data(include_inactive=True)
        step_ids = {data[code]["id"]: code for code in codes if code in data}
        if not orders.ids or not step_ids:
            return {}
        self.env.cr.execute(
            SQL(
                "SELECT order_id, step_id, done_date FROM osb_order_step "
                "WHERE order_id = ANY(%s) AND step_id = ANY(%s) AND done_date IS NOT NULL",
                orders.ids,
                list(step_ids),
            )
        )
        return {(order_id, step_ids[step_id]): done for order_id, step_id, done in self.env.cr.fetchall()}

    @api.model
    def _update_cycle_times(self, orders):
        """Store the cycle times of these orders (working hours on the company's
        calendar, calendar days) from the done times of their steps: one read, one
        interval computation per company calendar, one update."""
        if not orders:
            return
        dates = self._done_dates(orders, CYCLE_STEPS)
        pairs = {}
        for order in orders:
            for prefix, start, end in CYCLES:
                begin, finish = dates.get((order.id, start)), dates.get((order.id, end))
                if begin and finish:
                    pairs[(order.id, prefix)] = (order.company_id, begin, max(begin, finish))
        hours = _TargetPlanner(self.env).working_hours(pairs)
        rows = []
        for order in orders:
            values = []
            for prefix, _start, _end in CYCLES:
                pair = pairs.get((order.id, prefix))
                if pair:
                    days = (pair[2] - pair[1]).total_seconds() / 86400
                    values += [round(hours[(order.id, prefix)], 2), round(days, 2)]
                else:
                    values += [None, None]
            rows.append(SQL("(%s, %s)", order.id, SQL(", ").join(SQL("%s::float8", value) for value in values)))
        # Two transactions stamping several common orders (an invoice of two orders,
        # a payment) lock them in id order, and only the orders whose times change
        # are written: no deadlock between them.
        self.env.cr.execute(
            SQL("SELECT id FROM sale_order WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", sorted(orders.ids))
        )
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order so SET %s FROM (VALUES %s) AS v(id, %s) WHERE so.id = v.id AND (%s)",
                SQL(", ").join(SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name)) for name in CYCLE_FIELDS),
                SQL(", ").join(rows),
                SQL(", ").join(SQL.identifier(name) for name in CYCLE_FIELDS),
                SQL(" OR ").join(
                    SQL("so.%s IS DISTINCT FROM v.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in CYCLE_FIELDS
                ),
            )
        )
        orders.invalidate_recordset(list(CYCLE_FIELDS))

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_breaches(self):
        """Flag the open steps whose target has passed (one statement)."""
        self.env.cr.execute(
            SQL(
                "UPDATE osb_order_step SET breached = TRUE "
                "WHERE done_date IS NULL AND NOT breached AND planned_date < %s",
                fields.Datetime.now(),
            )
        )
        _logger.info("OSB timeline: %s open steps flagged late", self.env.cr.rowcount)
        self.invalidate_model(["breached"])
        return True

    @api.model
    def _cron_due_reminder(self, limit=500):
        """Send the payment reminder of the posted, unpaid customer invoices due within
        the company's reminder days, once per order (the "due reminder" step stamps
        itself with the invoice)."""
        Policy = self.env["osb.credit.policy"].sudo()
        data = self.env["osb.step"]._step_data()
        if "bc_due_reminder" not in data:
            return True
        template = self.env.ref("osb_credit.mail_template_osb_due_reminder", raise_if_not_found=False)
        today = fields.Date.context_today(self)
        Move = self.env["account.move"].sudo()
        sent = 0
        for policy in Policy.search([("timeline_enabled", "=", True), ("due_reminder_days", ">", 0)]):
            invoices = Move.search(
                [
                    ("company_id", "=", policy.company_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<=", today + timedelta(days=policy.due_reminder_days)),
                    ("invoice_line_ids.sale_line_ids", "!=", False),
                ],
                order="invoice_date_due, id",
                limit=limit,
            )
            orders_of = {invoice: invoice.invoice_line_ids.sale_line_ids.order_id for invoice in invoices}
            all_orders = self.env["sale.order"].sudo().browse({o.id for orders in orders_of.values() for o in orders})
            reminded = {order_id for order_id, _code in self._done_dates(all_orders, ["bc_due_reminder"])}
            documents = {}
            for invoice, orders in orders_of.items():
                todo = [order for order in orders if order.id not in reminded and order.id not in documents]
                if not todo:
                    continue
                if template:
                    # as the cron's superuser, in the invoice's company: the user who runs it
                    # by hand may not read every company's invoices
                    template.sudo().with_company(policy.company_id).send_mail(
                        invoice.id, email_layout_xmlid="mail.mail_notification_light"
                    )
                sent += 1
                for order in todo:
                    documents[order.id] = invoice
            if documents:
                self._stamp("bc_due_reminder", all_orders.browse(list(documents)), documents=documents)
        _logger.info("OSB timeline: %s due reminders sent", sent)
        return True

    # ------------------------------------------------------------------
    # Backfill and demo
    # ------------------------------------------------------------------

    @api.model
    def _backfill(self, orders):
        """Stamp, at their documents' times, the automatic steps that the documents of
        these orders prove: for orders made before the timeline was installed.
        Steps already stamped stay as they are."""
        orders = orders.filtered(lambda o: o.state != "cancel")
        orders._osb_timeline_stamp(
            "op_received", when={o.id: o.create_date for o in orders}, documents=orders._osb_self_map()
        )
        confirmed = orders.filtered(lambda o: o.state == "sale")
        confirmed._osb_timeline_stamp(
            ["op_customer_verified", "op_credit_checked", "op_quota_checked", "op_price_approved", "op_confirmed"],
            when={o.id: o.date_order for o in confirmed},
            documents=confirmed._osb_self_map(),
        )
        pickings = confirmed.picking_ids
        pickings._osb_timeline_stamp_pickings("sp_delivery_created", when="create_date")
        pickings.filtered(lambda p: p.state in ("assigned", "done"))._osb_timeline_stamp_pickings(
            "sp_stock_reserved", when="write_date"
        )
        pickings.filtered(lambda p: p.state == "done")._osb_timeline_stamp_pickings("sp_shipped", when="date_done")
        invoices = confirmed.invoice_ids
        invoices._osb_timeline_stamp_invoices("bc_invoice_created", when="create_date")
        invoices.filtered(lambda m: m.state == "posted")._osb_timeline_stamp_invoices(
            "bc_invoice_posted", when="write_date"
        )
        invoices.filtered(lambda m: m.state == "posted")._osb_timeline_on_payment()

    @api.model
    def _demo_timeline(self, company_id, days_back=12):
        """Demo data: run some of the company's confirmed demo orders through
        delivery, invoice and payment, backfill the timeline of its orders, then
        spread it over the last ``days_back`` days at a steady pace, one order in
        three at a slower pace than its SLAs (its steps are late)."""
        Order = self.env["sale.order"]
        orders = Order.search([("company_id", "=", company_id), ("state", "!=", "cancel")], order="id")
        ready = orders.filtered(lambda o: o.state == "sale" and o.picking_ids and o.picking_ids[0].state == "assigned")
        for index, order in enumerate(ready[:6]):
            pickings = order.picking_ids.filtered(lambda p: p.state == "assigned")
            for move in pickings.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            # No SMS to the demo customers (stock_sms would call Odoo's SMS service).
            pickings.with_context(skip_sms=True)._action_done()
            if index < 4:
                invoices = order._create_invoices()
                invoices.action_post()
                if index < 2:
                    self.env["account.payment.register"].with_context(
                        active_model="account.move", active_ids=invoices.ids
                    ).create({})._create_payments()
        self._backfill(orders)
        self.flush_model()
        now = fields.Datetime.now()
        rows = []
        for index, order in enumerate(orders):
            slow = index % 3 == 0
            rows.append(SQL("(%s, %s::int, %s::float8)", order.id, 2 + index % days_back, 6.0 if slow else 1.5))
        self.env.cr.execute(
            SQL(
                """
                UPDATE osb_order_step s
                   SET done_date = CASE WHEN s.done_date IS NOT NULL
                                        THEN %(now)s - v.days * interval '1 day'
                                             + (s.sequence / 10.0) * v.pace * interval '1 hour' END,
                       planned_date = CASE WHEN s.planned_date IS NOT NULL
                                           THEN %(now)s - v.days * interval '1 day'
                                                + (s.sequence / 10.0 - 1) * 1.5 * interval '1 hour'
                                                + GREATEST(st.sla_hours, 1) * interval '1 hour' END
                  FROM (VALUES %(rows)s) AS v(order_id, days, pace), osb_step st
                 WHERE s.order_id = v.order_id AND st.id = s.step_id;
                UPDATE osb_order_step
                   SET breached = COALESCE(done_date > planned_date, planned_date < %(now)s, FALSE)
                 WHERE order_id = ANY(%(ids)s)
                """,
                now=now,
                rows=SQL(", ").join(rows),
                ids=orders.ids,
            )
        )
        self.invalidate_model()
        self._update_cycle_times(orders)


class _TargetPlanner:
    """Working time on the companies' calendars: targets (``plan``) and working hours
    between pairs of times (``working_hours``), from the calendar's work intervals
    (global leaves included, as ``resource.calendar.plan_hours`` counts them).

    The intervals come from ``resource.calendar._sales_work_intervals``, cached per
    process until the calendar changes, from the week of the earliest time asked to
    at least ``WINDOW_DAYS`` after the latest: the stamps and cycle times of every
    confirmation, delivery and invoice share them. A target beyond the window is
    planned by ``plan_hours``."""

    WINDOW_DAYS = 14

    def __init__(self, env):
        self.env = env

    def _intervals(self, calendar, low, high):
        """``(starts, ends, cumulated)`` of ``calendar``'s work intervals covering ``low``
        to ``high`` + ``WINDOW_DAYS`` (naive UTC); ``cumulated[i]``: the hours of the
        intervals before ``i``."""
        return calendar._sales_work_intervals(low, high, min_days=self.WINDOW_DAYS)

    def plan(self, company, start, hours):
        """The time ``hours`` working hours after ``start`` (naive UTC) on the company's calendar."""
        calendar = company.resource_calendar_id
        if not calendar:
            return start + timedelta(hours=hours)
        starts, ends, cumulated = self._intervals(calendar, start, start)
        wanted = _worked_until(start, starts, ends, cumulated) + hours
        if not starts or wanted > cumulated[-1]:
            return calendar.plan_hours(hours, start, compute_leaves=True) or start + timedelta(hours=hours)
        index = bisect_left(cumulated, wanted) - 1
        return starts[index] + timedelta(hours=wanted - cumulated[index])

    def working_hours(self, pairs):
        """``{key: (company, start, end)}`` (naive UTC) → ``{key: working hours}``."""
        result = {}
        by_calendar = {}
        for key, (company, start, end) in pairs.items():
            by_calendar.setdefault(company.resource_calendar_id, []).append((key, start, end))
        for calendar, items in by_calendar.items():
            if not calendar:
                for key, start, end in items:
                    result[key] = (end - start).total_seconds() / 3600
                continue
            low = min(start for _key, start, _end in items)
            high = max(end for _key, _start, end in items)
            starts, ends, cumulated = self._intervals(calendar, low, high)
            for key, start, end in items:
                result[key] = _worked_until(end, starts, ends, cumulated) - _worked_until(
                    start, starts, ends, cumulated
                )
        return result


def _worked_until(moment, starts, ends, cumulated):
    """Working hours from the first interval's start to ``moment``: ``cumulated[i]``
    holds the hours of the intervals before interval ``i``."""
    index = bisect_right(starts, moment)
    if not index:
        return 0.0
    partial = (min(moment, ends[index - 1]) - starts[index - 1]).total_seconds() / 3600
    return cumulated[index - 1] + partial
