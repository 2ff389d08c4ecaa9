# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class OsbCreditExposureQueue(models.Model):
    """Customers whose stored exposure must be refreshed.

    Business events only insert rows here (inserts never conflict, so concurrent
    confirmations of one customer do not either); the refresh cron, every minute,
    recomputes the queued customers' stored records in its own transaction. No
    per-event wake-up: that would cost every confirmation a notification on a
    second database connection.

    The customer and company are plain ids, without foreign keys: a foreign key check
    locks the referenced customer row (``FOR KEY SHARE``) at every insert, that is at
    every confirmation of an order under credit control. The cron skips the ids of
    customers or companies deleted meanwhile."""

    _name = "osb.credit.exposure.queue"
    _description = "Credit Exposure Refresh Queue"
    _log_access = False

    partner_id = fields.Integer(string="Customer ID", required=True)
    company_id = fields.Integer(string="Company ID", required=True)

    @api.model
    def _enqueue(self, pairs):
        """Queue (partner_id, company_id) pairs for the refresh cron."""
        query = self._enqueue_query(pairs)
        if query:
            self.env.cr.execute(query)

    @api.model
    def _enqueue_query(self, pairs):
        """The insert of ``_enqueue`` (None without pairs)."""
        pairs = sorted(set(pairs))
        if not pairs:
            return None
        return SQL(
            "INSERT INTO osb_credit_exposure_queue (partner_id, company_id) VALUES %s",
            SQL(", ").join(SQL("(%s, %s)", pid, cid) for pid, cid in pairs),
        )

    @api.model
    def _cron_process(self, limit=2000):
        """Refresh the stored exposure of the oldest ``limit`` queued customers and
        take them off the queue, in one transaction: a run cut short leaves its
        batch queued for the next one, and a customer queued twice is refreshed
        once. Tells Odoo's cron runner how many remain (progress API), which runs
        the next batch after committing this one."""
        self.env.cr.execute(
            SQL(
                "SELECT id, partner_id, company_id FROM osb_credit_exposure_queue ORDER BY id LIMIT %s",
                limit,
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return True
        by_company = {}
        for _id, pid, cid in rows:
            by_company.setdefault(cid, set()).add(pid)
        Exposure = self.env["osb.credit.exposure"].sudo()
        for cid, pids in by_company.items():
            company = self.env["res.company"].browse(cid).exists()
            partners = self.env["res.partner"].browse(sorted(pids)).exists()
            if company and partners:
                Exposure._refresh(partners, company)
        self.env.cr.execute(SQL("DELETE FROM osb_credit_exposure_queue WHERE id = ANY(%s)", [row[0] for row in rows]))
        self.env.cr.execute("SELECT count(*) FROM osb_credit_exposure_queue")
        remaining = self.env.cr.fetchone()[0]
        _logger.info("Credit exposure refreshed for %s queued customers, %s left", len(rows), remaining)
        self.env["ir.cron"]._notify_progress(done=len(rows), remaining=remaining)
        return True
