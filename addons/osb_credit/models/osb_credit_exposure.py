# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL, format_amount

from .osb_credit_policy import GRADES

_logger = logging.getLogger(__name__)

# Components of the exposure, in the order of the banner, with their sign.
COMPONENTS = (
    ("receivable_not_due", 1),
    ("receivable_overdue", 1),
    ("order_uninvoiced", 1),
    ("draft_invoice", 1),
    ("current_order", 1),
    ("unapplied_payment", -1),
    ("down_payment", -1),
)


class OsbCreditExposure(models.Model):
    """Stored credit exposure of one customer in one company.

    Serves lists, search and the credit manager's worklist. It is refreshed
    after the business events (order confirmed or cancelled, invoice posted,
    payment reconciled) and rebuilt nightly; the credit check never reads it,
    it always computes fresh (``_compute_exposure``)."""

    _name = "osb.credit.exposure"
    _description = "Customer Credit Exposure"
    _order = "exposure desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True
    _sql_constraints = [
        ("partner_company_uniq", "UNIQUE(partner_id, company_id)", "One exposure record per customer and company."),
    ]

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Salesperson (KAM)", index="btree_not_null")
    slt_user_id = fields.Many2one("res.users", string="Responsible SLT Member")
    credit_grade = fields.Selection(GRADES)
    blocked = fields.Boolean(string="Credit Blocked")
    credit_limit = fields.Monetary()
    receivable_not_due = fields.Monetary(string="Receivables Not Due")
    receivable_overdue = fields.Monetary(string="Receivables Overdue")
    order_uninvoiced = fields.Monetary(string="Confirmed Orders Not Invoiced")
    draft_invoice = fields.Monetary(string="Draft Invoices")
    unapplied_payment = fields.Monetary(string="Unapplied Payments")
    down_payment = fields.Monetary(string="Down Payments")
    exposure = fields.Monetary()
    available = fields.Monetary(help="Credit limit minus exposure.")
    over_limit = fields.Boolean(index=True)
    max_overdue_days = fields.Integer(string="Max Days Overdue")
    held_order_count = fields.Integer(string="Held Orders")
    refreshed_at = fields.Datetime(string="Refreshed")

    # ------------------------------------------------------------------
    # Engine: one aggregate statement for any number of customers
    # ------------------------------------------------------------------

    @api.model
    def _query_components(self, cr, partner_ids, company_id, exclude_order_ids=(), today=None):
        """Exposure components of commercial partners ``partner_ids`` in one company,
        read on cursor ``cr`` in one statement, whatever the volume.

        Returns ``{partner_id: {component: amount, "max_overdue_days": n}}``, amounts in
        company currency. Orders ``exclude_order_ids`` are left out of the order part."""
        if not partner_ids:
            return self._components_result([], partner_ids)
        cr.execute(self._components_query(partner_ids, company_id, exclude_order_ids, today))
        return self._components_result(cr.fetchall(), partner_ids)

    @api.model
    def _components_query(self, partner_ids, company_id, exclude_order_ids=(), today=None, columns=None):
        """The statement of ``_query_components``: one row per partner, followed by
        ``columns`` (SQL over the partner ``p``) if given.

        - Open receivables: residual of the posted, unreconciled receivable lines (read
          through a partial index on open lines); credits are unapplied payments.
        - Confirmed orders not fully invoiced: their stored amount not invoiced (quantity
          not invoiced x unit price incl. taxes, whatever the invoicing policy:
          undelivered lines count) and the down payments invoiced on them
          (``sale.order._compute_osb_credit_amounts``). A fully invoiced order (invoice
          status invoiced or upselling) has nothing left on either, so only open
          orders are read.
        - Draft customer invoices and credit notes. Odoo counts the quantities of a draft
          invoice as invoiced on its order lines, so each amount is counted once."""
        today = today or fields.Date.context_today(self)
        # One lateral aggregate per customer row: cheap to plan, and each reads an index.
        # Contacts and receivable accounts are arrays (ARRAY(subquery)), not semi-joins:
        # the same index reads, without join orders to weigh at every confirmation.
        return SQL(
            """
            SELECT p.id, r.not_due, r.overdue, r.unapplied, r.days, o.uninvoiced, o.down_payment, d.amount
                   %(columns)s
              FROM res_partner p
             CROSS JOIN LATERAL (
                SELECT SUM(aml.amount_residual) FILTER (
                           WHERE aml.amount_residual > 0 AND COALESCE(aml.date_maturity, aml.date) >= %(today)s
                       ) AS not_due,
                       SUM(aml.amount_residual) FILTER (
                           WHERE aml.amount_residual > 0 AND COALESCE(aml.date_maturity, aml.date) < %(today)s
                       ) AS overdue,
                       -SUM(aml.amount_residual) FILTER (WHERE aml.amount_residual < 0) AS unapplied,
                       MAX(%(today)s - COALESCE(aml.date_maturity, aml.date)) FILTER (
                           WHERE aml.amount_residual > 0 AND COALESCE(aml.date_maturity, aml.date) < %(today)s
                       ) AS days
                  FROM account_move_line aml
                 WHERE aml.partner_id = ANY(ARRAY(SELECT c.id FROM res_partner c WHERE c.commercial_partner_id = p.id))
                   AND %(open_receivable)s
                   AND aml.company_id = %(company)s
             ) AS r
             CROSS JOIN LATERAL (
                SELECT SUM(so.osb_credit_uninvoiced_amount / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS uninvoiced,
                       SUM(so.osb_credit_down_payment_amount) AS down_payment
                  FROM sale_order so
                 WHERE so.osb_credit_partner_id = p.id
                   AND so.state = 'sale'
                   AND (so.invoice_status IS NULL OR so.invoice_status NOT IN ('invoiced', 'upselling'))
                   AND so.company_id = %(company)s
                   AND so.id != ALL(%(exclude)s)
             ) AS o
             CROSS JOIN LATERAL (
                SELECT SUM(am.amount_total_signed) AS amount
                  FROM account_move am
                 WHERE am.commercial_partner_id = p.id
                   AND am.state = 'draft'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.company_id = %(company)s
             ) AS d
             WHERE p.id = ANY(%(pids)s)
            """,
            columns=SQL(", %s", columns) if columns else SQL(),
            open_receivable=self._open_receivable_sql("aml"),
            today=today,
            company=company_id,
            pids=list(partner_ids),
            exclude=list(exclude_order_ids),
        )

    @api.model
    def _open_receivable_sql(self, alias):
        """The open receivable, one definition for the exposure, the rating and the
        aging: the posted, unreconciled receivable lines with a residual (the line
        table under ``alias``). The receivable accounts are an array, not a join:
        the same index reads (the partial indexes of hooks.EXPOSURE_INDEXES),
        without join orders to weigh."""
        aml = SQL.identifier(alias)
        return SQL(
            """%(aml)s.account_id = ANY(ARRAY(SELECT a.id FROM account_account a
                                               WHERE a.account_type = 'asset_receivable'))
                   AND %(aml)s.reconciled IS NOT TRUE
                   AND %(aml)s.parent_state = 'posted'
                   AND %(aml)s.amount_residual != 0""",
            aml=aml,
        )

    @api.model
    def _components_result(self, rows, partner_ids):
        """``_query_components``' result from the rows of ``_components_query``."""
        result = {pid: dict({name: 0.0 for name, _sign in COMPONENTS}, max_overdue_days=0) for pid in partner_ids}
        for pid, not_due, overdue, unapplied, days, uninvoiced, down_payment, draft in rows:
            result[pid].update(
                receivable_not_due=not_due or 0.0,
                receivable_overdue=overdue or 0.0,
                unapplied_payment=unapplied or 0.0,
                max_overdue_days=days or 0,
                order_uninvoiced=uninvoiced or 0.0,
                down_payment=down_payment or 0.0,
                draft_invoice=draft or 0.0,
            )
        return result

    @api.model
    def _flush_sources(self):
        for model, fnames in (
            ("account.move.line", ["amount_residual", "reconciled", "parent_state", "date_maturity", "partner_id"]),
            ("account.move", ["state", "amount_total_signed", "commercial_partner_id", "invoice_currency_rate"]),
            (
                "sale.order",
                [
                    "state",
                    "osb_credit_partner_id",
                    "invoice_status",
                    "company_id",
                    "osb_credit_uninvoiced_amount",
                    "osb_credit_down_payment_amount",
                    "currency_rate",
                ],
            ),
            ("res.partner", ["commercial_partner_id"]),
        ):
            self.env[model].flush_model(fnames)

    @api.model
    def _total(self, values):
        return sum(values[name] * sign for name, sign in COMPONENTS)

    @api.model
    def _compute_exposure(self, partner_ids, company, orders=None):
        """Fresh exposure of commercial partners in ``company`` on the current cursor,
        under sudo. With ``orders`` (draft orders being looked at), each partner's
        order being checked counts in ``current_order``."""
        self._flush_sources()
        orders = orders or self.env["sale.order"]
        confirmed = orders.filtered(lambda o: o.state == "sale")
        data = self._query_components(self.env.cr, partner_ids, company.id, exclude_order_ids=confirmed.ids)
        for order in orders:
            pid = order.osb_credit_partner_id.id
            if pid in data:
                data[pid]["current_order"] += order._osb_amount_company()
        tolerances = dict(self.env["osb.credit.policy"]._overdue_tolerances(company.id))
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        master = partners._osb_credit_master_data(company)
        for pid, values in data.items():
            values.update(master[pid], partner=partners.browse(pid))
            values["exposure"] = self._total(values)
            values["available"] = values["credit_limit"] - values["exposure"]
            values["tolerance"] = tolerances[values["credit_grade"] or "E"]
        return data

    # ------------------------------------------------------------------
    # Stored record: refresh on events, nightly rebuild
    # ------------------------------------------------------------------

    @api.model
    def _refresh(self, partners, company):
        """Recompute and store the exposure of ``partners`` (commercial) in ``company``."""
        self = self.sudo()
        partners = partners.commercial_partner_id
        data = self._compute_exposure(partners.ids, company)
        held = dict(
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("credit_hold", "=", True),
                    ("company_id", "=", company.id),
                    ("osb_credit_partner_id", "in", partners.ids),
                ],
                ["osb_credit_partner_id"],
                ["__count"],
            )
        )
        existing = {
            rec.partner_id.id: rec
            for rec in self.search([("partner_id", "in", partners.ids), ("company_id", "=", company.id)])
        }
        now = fields.Datetime.now()
        to_create = []
        result = self.browse()
        for partner in partners:
            values = data[partner.id]
            vals = {
                "user_id": partner.user_id.id,
                "slt_user_id": partner.osb_slt_user_id.id,
                "credit_grade": values["credit_grade"],
                "blocked": values["blocked"],
                "credit_limit": values["credit_limit"],
                "receivable_not_due": values["receivable_not_due"],
                "receivable_overdue": values["receivable_overdue"],
                "order_uninvoiced": values["order_uninvoiced"],
                "draft_invoice": values["draft_invoice"],
                "unapplied_payment": values["unapplied_payment"],
                "down_payment": values["down_payment"],
                "exposure": values["exposure"],
                "available": values["available"],
                "over_limit": self._is_over_limit(values, company.currency_id),
                "max_overdue_days": values["max_overdue_days"],
                "held_order_count": held.get(partner, 0),
                "refreshed_at": now,
            }
            if partner.id in existing:
                existing[partner.id].write(vals)
                result |= existing[partner.id]
            else:
                to_create.append(dict(vals, partner_id=partner.id, company_id=company.id))
        return result | self.create(to_create)

    @api.model
    def _schedule_refresh(self, partners, companies):
        """Queue the refresh of the stored records of ``partners``: the refresh cron
        recomputes them in its own transaction (so concurrent confirmations never
        conflict on these rows and the confirmation itself stays fast)."""
        # Read the commercial partner alone, not every field of the customers.
        commercial = partners.with_context(prefetch_fields=False).commercial_partner_id
        pairs = {(pid, cid) for pid in commercial.ids for cid in companies.ids if pid and cid}
        self.env["osb.credit.exposure.queue"]._enqueue(pairs)

    @api.model
    def _cron_rebuild(self):
        """Nightly: queue every customer with activity (open orders, open
        receivables, a stored exposure) in each company under credit control, once
        (customers already queued are not queued again), and wake the refresh cron,
        which recomputes them in committed batches (a run cut short resumes where
        it stopped). Returns the number of customers queued."""
        self = self.sudo()
        companies = self.env["osb.credit.policy"].search([("enforce", "=", True)]).company_id
        if not companies:
            return 0
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO osb_credit_exposure_queue (partner_id, company_id)
                SELECT DISTINCT active.partner_id, active.company_id FROM (
                    SELECT p.commercial_partner_id AS partner_id, so.company_id FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_invoice_id
                     WHERE so.company_id = ANY(%(companies)s) AND so.state IN ('draft', 'sent', 'sale')
                    UNION
                    SELECT p.commercial_partner_id, aml.company_id FROM account_move_line aml
                      JOIN res_partner p ON p.id = aml.partner_id
                     WHERE aml.company_id = ANY(%(companies)s) AND %(open_receivable)s
                    UNION
                    SELECT partner_id, company_id FROM osb_credit_exposure WHERE company_id = ANY(%(companies)s)
                ) active
                 WHERE active.partner_id IS NOT NULL
                   AND NOT EXISTS (
                       SELECT 1 FROM osb_credit_exposure_queue q
                        WHERE q.partner_id = active.partner_id AND q.company_id = active.company_id
                   )
                """,
                companies=companies.ids,
                open_receivable=self._open_receivable_sql("aml"),
            )
        )
        queued = self.env.cr.rowcount
        _logger.info("Credit exposure rebuild: %s customers queued for the refresh", queued)
        self.env.ref("osb_credit.ir_cron_osb_credit_exposure_refresh")._trigger()
        return queued

    # ------------------------------------------------------------------
    # Banner
    # ------------------------------------------------------------------

    @api.model
    def _component_labels(self):
        return {
            "receivable_not_due": self.env._("Open receivables, not due"),
            "receivable_overdue": self.env._("Open receivables, overdue"),
            "order_uninvoiced": self.env._("Confirmed orders not invoiced"),
            "draft_invoice": self.env._("Draft invoices"),
            "current_order": self.env._("This order"),
            "unapplied_payment": self.env._("Unapplied payments"),
            "down_payment": self.env._("Down payments"),
        }

    @api.model
    def _is_over_limit(self, values, currency):
        """The limit rule, one comparison for the credit hold and the stored flag:
        exposure above the credit limit once both are rounded to the currency (at the
        limit exactly is not over)."""
        return currency.compare_amounts(values["exposure"], values["credit_limit"]) > 0

    @api.model
    def _credit_rules(self, values, currency, checks=("blocked", "grade_e", "overdue", "limit")):
        """The credit rules that fire for exposure ``values`` (of ``_compute_exposure``,
        with ``partner``), amounts in ``currency``: ``[(code, message)]``. The one
        definition of the rules: the confirmation check, the delivery check and the
        banners of the customer and of the orders all read it."""
        partner = values["partner"]
        rules = []

        def fmt(amount):
            return format_amount(self.env, amount, currency)

        if "blocked" in checks and values["blocked"]:
            block_reason = ": " + values["block_reason"] if values["block_reason"] else ""
            rules.append(
                (
                    "blocked",
                    self.env._(
                        "Customer %(customer)s is blocked by credit control%(reason)s.",
                        customer=partner.display_name,
                        reason=block_reason,
                    ),
                )
            )
        if "grade_e" in checks and values["credit_grade"] == "E":
            rules.append(
                ("grade_e", self.env._("Customer %(customer)s has credit grade E.", customer=partner.display_name))
            )
        if "overdue" in checks and values["max_overdue_days"] > values["tolerance"]:
            rules.append(
                (
                    "overdue",
                    self.env._(
                        "An invoice is overdue %(days)s days, beyond the tolerance of %(tolerance)s days "
                        "of grade %(grade)s (overdue receivables %(amount)s).",
                        days=values["max_overdue_days"],
                        tolerance=values["tolerance"],
                        grade=values["credit_grade"] or "-",
                        amount=fmt(values["receivable_overdue"]),
                    ),
                )
            )
        if "limit" in checks and self._is_over_limit(values, currency):
            amounts = {
                "exposure": fmt(values["exposure"]),
                "limit": fmt(values["credit_limit"]),
                "excess": fmt(values["exposure"] - values["credit_limit"]),
            }
            if values["current_order"]:
                message = self.env._(
                    "Exposure %(exposure)s (this order %(order)s) exceeds the credit limit %(limit)s by %(excess)s.",
                    order=fmt(values["current_order"]),
                    **amounts,
                )
            else:
                message = self.env._(
                    "Exposure %(exposure)s exceeds the credit limit %(limit)s by %(excess)s.", **amounts
                )
            rules.append(("limit", message))
        return rules

    @api.model
    def _render_banner(self, values, company, rules=None, head=None, note=None):
        """One explainable banner: breakdown, limit, and the rules that fire
        (``_credit_rules``), introduced by ``head`` (default: "Credit hold:").
        ``note``: a sentence shown first (the release covering an order)."""
        currency = company.currency_id

        def fmt(amount):
            return format_amount(self.env, amount, currency)

        rows = Markup("").join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>") % (label, fmt(values[name] * sign))
            for (name, sign), label in zip(COMPONENTS, self._component_labels().values(), strict=True)
            if values[name]
        )
        rows += Markup("<tr class='fw-bold'><td>%s</td><td class='text-end'>%s</td></tr>") % (
            self.env._("Exposure"),
            fmt(values["exposure"]),
        )
        rows += Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>") % (
            self.env._("Credit limit"),
            fmt(values["credit_limit"]),
        )
        rows += Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>") % (
            self.env._("Available"),
            fmt(values["available"]),
        )
        grade = values["credit_grade"] or "-"
        info = self.env._(
            "Grade %(grade)s, overdue tolerance %(tolerance)s days, oldest overdue %(days)s days.",
            grade=grade,
            tolerance=values["tolerance"],
            days=values["max_overdue_days"],
        )
        if rules:
            cls = "alert-warning" if note else "alert-danger"
            head = Markup("<strong>%s</strong><ul class='mb-1'>%s</ul>") % (
                head or self.env._("Credit hold:"),
                Markup("").join(Markup("<li>%s</li>") % message for _code, message in rules),
            )
        else:
            cls = "alert-info"
            head = Markup("<strong>%s</strong>") % self.env._("Credit check passes.")
        if note:
            head = Markup("<p class='mb-1'><strong>%s</strong></p>%s") % (note, head)
        return Markup(
            "<div class='alert %s mb-0' role='status'>%s<table class='table table-sm mb-1'>%s</table>"
            "<small>%s</small></div>"
        ) % (cls, head, rows, escape(info))
