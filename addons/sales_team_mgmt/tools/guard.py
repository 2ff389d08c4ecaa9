# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The protected-field guard: fields that only an engine writes (under sudo)."""

from odoo.exceptions import AccessError


def check_guarded_fields(env, vals_list, field_names, message):
    """Refuse ``vals_list`` (a dict or a list of dicts about to be created or
    written) when one of them sets a field of ``field_names`` and ``env`` is not
    superuser: those fields are written by their engine only, under sudo. A
    context key cannot lift it; over XML-RPC the refusal is an access fault.

    :param message: callable returning the translated refusal (called only when refusing).
    """
    if env.su:
        return
    if isinstance(vals_list, dict):
        vals_list = [vals_list]
    names = frozenset(field_names)
    if any(not names.isdisjoint(vals) for vals in vals_list):
        raise AccessError(message())
