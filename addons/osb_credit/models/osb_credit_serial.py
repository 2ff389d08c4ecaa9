# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class OsbCreditSerial(models.Model):
    """Serial numbers of the credit checks of each customer: how a check knows that
    its transaction sees every check of the customer committed before it.

    A credit check takes the customer's advisory lock, then inserts the customer's next
    serial number: the highest one its transaction sees, plus one. Serials are unique
    per customer and company, and inserted only under the lock, so the insert fails
    exactly when another check committed after this transaction took its snapshot
    (PostgreSQL checks a unique key against every committed row, visible or not). Then,
    and only then, the check reads the exposure on a fresh cursor (see
    ``sale.order._osb_locked_components``). Serials older than a day are purged daily:
    no transaction lives that long.

    The customer and company are plain ids, without foreign keys: a foreign key check
    locks the referenced customer row (``FOR KEY SHARE``) at every check. The serials
    of a deleted customer are purged with the others."""

    _name = "osb.credit.serial"
    _description = "Credit Check Serial"
    _log_access = False
    _sql_constraints = [
        (
            "partner_company_serial_uniq",
            "UNIQUE(partner_id, company_id, serial)",
            "A credit check serial number is used once per customer and company.",
        ),
    ]

    partner_id = fields.Integer(string="Customer ID", required=True)
    company_id = fields.Integer(string="Company ID", required=True)
    serial = fields.Integer(required=True)
    checked_at = fields.Datetime(required=True, default=fields.Datetime.now)

    @api.model
    def _claim_query(self, partner_ids, company_id):
        """The insert of the next serial of each customer, as this transaction sees them.

        It fails with a unique violation, inserting nothing, when another check of one
        of these customers committed a serial this transaction cannot see: its snapshot
        is stale for them. The caller holds the customers' advisory locks and runs it
        inside a savepoint."""
        return SQL(
            """
            INSERT INTO osb_credit_serial (partner_id, company_id, serial, checked_at)
            SELECT p.id, %(company)s, %(next_serial)s, NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(pids)s::int[]) AS p(id)
            """,
            next_serial=self._next_serial_sql(company_id),
            company=company_id,
            pids=sorted(partner_ids),
        )

    @api.model
    def _next_serial_sql(self, company_id):
        """The next serial of customer ``p.id``: one step down the unique key's index."""
        return SQL(
            "COALESCE((SELECT MAX(s.serial) FROM osb_credit_serial s"
            " WHERE s.partner_id = p.id AND s.company_id = %s), 0) + 1",
            company_id,
        )

    @api.model
    def _claim_fresh(self, partner_ids, company_id, fresh_cr):
        """Insert the next serial of each customer as committed now, read on ``fresh_cr``
        (after ``_claim_query`` found this transaction's snapshot stale)."""
        fresh_cr.execute(
            SQL(
                """
                SELECT p.id, %(next_serial)s
                  FROM unnest(%(pids)s::int[]) AS p(id)
                """,
                next_serial=self._next_serial_sql(company_id),
                pids=sorted(partner_ids),
            )
        )
        rows = fresh_cr.fetchall()
        self.env.cr.execute(
            SQL(
                "INSERT INTO osb_credit_serial (partner_id, company_id, serial, checked_at) VALUES %s",
                SQL(", ").join(
                    SQL("(%s, %s, %s, NOW() AT TIME ZONE 'UTC')", pid, company_id, serial) for pid, serial in rows
                ),
            )
        )

    @api.autovacuum
    def _gc_serials(self):
        """Purge the serials older than a day, keeping the last one of each existing customer."""
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM osb_credit_serial s
                 WHERE s.checked_at < %(limit)s
                   AND (EXISTS (SELECT 1 FROM osb_credit_serial t
                                 WHERE t.partner_id = s.partner_id AND t.company_id = s.company_id
                                   AND t.serial > s.serial)
                        OR NOT EXISTS (SELECT 1 FROM res_partner p WHERE p.id = s.partner_id))
                """,
                limit=fields.Datetime.now() - timedelta(days=1),
            )
        )
