# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import json
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Customers classified per run of the monthly cron (each batch committed).
CLASSIFY_BATCH = 5000


class ResPartner(models.Model):
    _inherit = "res.partner"

    sales_class_id = fields.Many2one(
        "sales.customer.class",
        string="Customer Class",
        company_dependent=True,
        readonly=True,
        help="Set each month from the last 12 months' confirmed sales, unless set by hand.",
    )
    sales_class_manual = fields.Boolean(
        string="Class Set by Hand",
        company_dependent=True,
        readonly=True,
        help="The monthly classification leaves this customer's class as it is.",
    )
    sales_visit_ids = fields.One2many("sales.visit", "partner_id", string="Visits")
    sales_visit_count = fields.Integer(compute="_compute_sales_visit_count", string="Visit Count")

    def _compute_sales_visit_count(self):
        counts = dict(
            self.env["sales.visit"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.sales_visit_count = counts.get(partner, 0)

    def action_view_sales_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_mgmt.action_sales_visit")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_sales_class_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_mgmt.action_sales_customer_class_history")
        action["domain"] = [("partner_id", "=", self.id), ("company_id", "=", self.env.company.id)]
        return action

    def action_sales_set_class(self, class_id, reason):
        """Set these customers' class by hand in the current company, with a
        reason (Sales Organisation managers and sales administrators)."""
        self.env["sales.customer.class"].check_access("write")
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Reason: say why the class is set by hand."))
        valid_id = type(class_id) is int and class_id > 0
        customer_class = self.env["sales.customer.class"].browse(class_id).exists() if valid_id else None
        if not customer_class or customer_class.company_id != self.env.company:
            raise UserError(
                self.env._(
                    "Class: %(class)r is not a customer class of %(company)s.",
                    company=self.env.company.name,
                    **{"class": class_id},
                )
            )
        self._sales_set_class(customer_class, reason.strip())
        return True

    def _sales_set_class(self, customer_class, reason):
        """Set these customers' class by hand in the current company (the monthly
        classification then leaves them), with the reason in their history."""
        company = self.env.company
        partners = self.with_company(company)
        changes = [(partner, customer_class, partner.sales_class_id, 0.0) for partner in partners]
        self._sales_apply_classes(company, changes, automatic=False, reason=reason)
        partners.sudo().write({"sales_class_manual": True})

    def action_sales_class_automatic(self):
        """Give the customers back to the monthly classification (set at its next run)."""
        self.env["sales.customer.class"].check_access("write")
        self.sudo().write({"sales_class_manual": False})
        changes = [(partner, partner.sales_class_id, partner.sales_class_id, 0.0) for partner in self]
        self._sales_log_classes(
            self.env.company, changes, automatic=False, reason=self.env._("Back to the monthly classification.")
        )
        return True

    # ------------------------------------------------------------------
    # Monthly classification
    # ------------------------------------------------------------------
    @api.model
    def _sales_classification_changes(self, company, today=None):
        """``[(partner, new class, previous class, sales)]`` of the customers of
        ``company`` whose class the trailing-12-month sales change: every customer
        with confirmed sales in the window, and every customer already classified
        (no sales: the lowest class); customers set by hand are left. A bounded
        number of queries whatever the number of customers."""
        today = today or fields.Date.context_today(self)
        classes = self.env["sales.customer.class"].sudo().search([("company_id", "=", company.id)])
        if not classes:
            return []
        # the confirmed orders' untaxed amounts in company currency, by customer
        # (the orders' own totals: the sale.report view would price every line)
        self.env["sale.order"].flush_model(["state", "company_id", "date_order", "amount_untaxed", "currency_rate"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            """
            SELECT p.commercial_partner_id, SUM(o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1))
              FROM sale_order o
              JOIN res_partner p ON p.id = o.partner_id
             WHERE o.state = 'sale' AND o.company_id = %s AND o.date_order >= %s
               AND p.commercial_partner_id IS NOT NULL
             GROUP BY p.commercial_partner_id
            """,
            [company.id, fields.Datetime.to_datetime(today - relativedelta(months=12))],
        )
        sales = {partner_id: float(amount or 0.0) for partner_id, amount in self.env.cr.fetchall()}
        Partner = self.sudo().with_company(company)
        partners = Partner.search_fetch(
            ["|", ("id", "in", list(sales)), ("sales_class_id", "!=", False)],
            ["sales_class_id", "sales_class_manual"],
            order="id",
        )
        ladder = classes._class_ladder()
        lowest = classes.browse()
        changes = []
        for partner in partners:
            if partner.sales_class_manual:
                continue
            amount = sales.get(partner.id, 0.0)
            new = next((c for threshold, c in ladder if threshold <= amount), lowest)
            if new != partner.sales_class_id:
                changes.append((partner, new, partner.sales_class_id, amount))
        return changes

    @api.model
    def _cron_sales_classify(self, limit=CLASSIFY_BATCH, today=None):
        """Monthly: classify the customers of every company with customer classes,
        ``limit`` customers per batch; a run cut short resumes with the customers
        not classified yet (classifying again changes nothing)."""
        Cron = self.env["ir.cron"]
        done = 0
        remaining = 0
        companies = [company for [company] in self.env["sales.customer.class"].sudo()._read_group([], ["company_id"])]
        for company in companies:
            changes = self._sales_classification_changes(company, today=today)
            batch, rest = changes[: max(limit - done, 0)], changes[max(limit - done, 0) :]
            self._sales_apply_classes(company, batch, automatic=True)
            done += len(batch)
            remaining += len(rest)
        _logger.info("sales_team_mgmt: %d customers classified, %d left for the next batch", done, remaining)
        Cron._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _sales_apply_classes(self, company, changes, automatic, reason=None):
        """Write the classes of ``changes`` (one write per class) and their history."""
        ids_by_class = {}
        for partner, new, _previous, _amount in changes:
            ids_by_class.setdefault(new, []).append(partner.id)  # not |= in a loop: quadratic
        by_class = {new: self.browse(ids) for new, ids in ids_by_class.items()}
        # one statement per class on the company-dependent column (res.partner.write
        # would run its address and commercial-field syncs for every customer)
        self.flush_model(["sales_class_id"])
        for new, partners in by_class.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE res_partner SET sales_class_id = COALESCE(sales_class_id, '{}'::jsonb) || %s::jsonb"
                    " WHERE id = ANY(%s)",
                    json.dumps({str(company.id): new.id or None}),
                    partners.ids,
                )
            )
            partners.invalidate_recordset(["sales_class_id"])
            partners.modified(["sales_class_id"])
        self._sales_log_classes(company, changes, automatic, reason)

    @api.model
    def _sales_log_classes(self, company, changes, automatic, reason=None):
        """The history rows of ``changes``, in one ``INSERT`` (a monthly run
        logs thousands: the ORM would convert each row's amount with its currency)."""
        if not changes:
            return
        History = self.env["sales.customer.class.history"]
        History.check_access("read")
        now = self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO sales_customer_class_history
                       (partner_id, company_id, class_id, previous_class_id, date, user_id, automatic, sales_12m,
                        reason, create_uid, create_date, write_uid, write_date)
                SELECT partner_id, %(company)s, NULLIF(class_id, 0), NULLIF(previous_id, 0), %(now)s, %(uid)s,
                       %(automatic)s, sales, %(reason)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(partners)s::int[], %(classes)s::int[], %(previous)s::int[], %(sales)s::numeric[])
                       AS t(partner_id, class_id, previous_id, sales)
                """,
                company=company.id,
                now=now,
                uid=self.env.uid,
                automatic=automatic,
                reason=reason,
                partners=[partner.id for partner, _new, _previous, _amount in changes],
                classes=[new.id or 0 for _partner, new, _previous, _amount in changes],
                previous=[previous.id or 0 for _partner, _new, previous, _amount in changes],
                sales=[round(amount or 0.0, 2) for _partner, _new, _previous, amount in changes],
            )
        )
        History.invalidate_model()
