# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import zlib

from odoo import api, models
from odoo.tools import SQL


class SalesLock(models.AbstractModel):
    """The lock primitive of the confirmation checks: serialise, across workers, the
    transactions that check one thing (a customer's credit, a quota allocation, a
    POP budget), and read what others committed meanwhile.

    A lock is keyed by ``(namespace, key)``: the namespace is a name (for example
    ``"osb_credit.partner"``), the key a record id. Locks are PostgreSQL
    transaction-level advisory locks: held until the transaction ends, invisible to
    anything that does not take them, taken in a fixed order so that two batches of
    the same keys cannot deadlock.

    The usual pattern of a check: ``_lock(namespace, ids)``, then read with
    ``_read_committed(reader)`` what may have been committed since this
    transaction's snapshot (REPEATABLE READ does not see it), merged with this
    transaction's own uncommitted work."""

    _name = "sales.lock"
    _description = "Sales Lock Primitive"

    @api.model
    def _namespace_key(self, namespace):
        """The 32-bit signed integer of a namespace name (stable across workers)."""
        value = zlib.crc32(namespace.encode())
        return value - (1 << 32) if value >= (1 << 31) else value

    @api.model
    def _lock_query(self, namespace, keys):
        """The statement taking the locks of ``keys`` in ``namespace`` (to send with
        other statements in one round trip); the keys are sorted (unnest keeps the
        order), so concurrent batches take them in the same order."""
        return SQL(
            "SELECT pg_advisory_xact_lock(%s, k.id) FROM unnest(%s::int[]) AS k(id)",
            self._namespace_key(namespace),
            sorted(set(keys)),
        )

    @api.model
    def _lock(self, namespace, keys):
        """Take the locks of ``keys`` in ``namespace`` until the transaction ends
        (waits for the transactions holding them)."""
        if keys:
            self.env.cr.execute(self._lock_query(namespace, keys))

    @api.model
    def _read_committed(self, reader):
        """``reader(cr)`` on a fresh cursor: what is committed now, including what
        other transactions committed after this one took its snapshot. Call it after
        ``_lock``: the locks guarantee that nothing of the locked keys changes
        between that read and the end of this transaction. It never waits more than
        10 seconds on a row lock (e.g. one held by this very transaction)."""
        cr = self.env.registry.cursor()
        try:
            cr.execute("SET LOCAL lock_timeout = '10s'")
            return reader(cr)
        finally:
            cr.close()
