# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Cursor flags: record ids marked for the rest of a step of this transaction.

A flag lives in the cursor's cache, not in the context: a client cannot send it,
and it dies with the transaction. The Confirm action flags the orders whose
checks it ran, so that its own write of the state does not run them again."""

from contextlib import contextmanager


def cursor_flagged(env, key):
    """The ids flagged under ``key`` in this transaction (a set, possibly empty)."""
    return env.cr.cache.get(key, frozenset())


@contextmanager
def cursor_flag(env, key, ids):
    """Flag ``ids`` under ``key`` for the duration of the ``with`` block."""
    flagged = env.cr.cache.setdefault(key, set())
    ids = set(ids) - flagged
    flagged.update(ids)
    try:
        yield
    finally:
        flagged.difference_update(ids)
