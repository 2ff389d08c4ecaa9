# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import functools
import reprlib
from collections import defaultdict
from datetime import date

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.models import NewId
from odoo.modules.module import get_manifest

ROOT_MODULE = "sales_team_mgmt"
INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
# Field types whose required column PostgreSQL keeps NOT NULL (False and 0 are
# values of booleans and numbers; many2many are not columns).
REQUIRED_TYPES = frozenset(("char", "text", "html", "selection", "date", "datetime", "many2one"))
_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 40
_repr.maxlist = 3


@functools.cache
def is_sales_module(name):
    """Whether the module is sales_team_mgmt or depends on it (directly or not)."""
    if not name:
        return False
    if name == ROOT_MODULE:
        return True
    return any(is_sales_module(dep) for dep in (get_manifest(name) or {}).get("depends", ()))


class Base(models.AbstractModel):
    """The input check of the addons' fields: a value of the wrong type, an id
    that does not exist, an unknown selection value or a malformed date, sent to
    ``create`` or ``write`` (by an integration, over XML-RPC), is refused with a
    ``ValidationError`` naming the field, before anything is written. Core Odoo
    answers them with a ``ValueError`` or lets them reach PostgreSQL (an internal
    server error for the client, or a misleading foreign-key message).

    It checks the fields of the models of sales_team_mgmt and of the addons
    depending on it, and the fields they add to core models (core fields keep
    core behaviour). A model's own ``create``/``write`` override that reads the
    values before ``super()`` calls ``_sales_check_input`` first."""

    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        if self._sales_input_fields():
            self._sales_check_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if self._sales_input_fields():
            self._sales_check_input([vals])
        return super().write(vals)

    @api.model
    @tools.ormcache()
    def _sales_input_fields(self):
        """Names of the fields the input check guards: every field of a model of
        the addons, and the fields the addons add to a core model."""
        ours = is_sales_module(self._original_module)
        return frozenset(
            name
            for name, field in self._fields.items()
            if ours or (field._modules and all(is_sales_module(module) for module in field._modules))
        )

    @api.model
    def _sales_check_input(self, vals_list):
        """Raise a ValidationError naming the first field whose value cannot be
        stored (see the class); the records a many2one or many2many names must
        exist, and a company must be one of the user's (superuser code excepted)."""
        guarded = self._sales_input_fields()
        if not guarded:
            return
        ours = is_sales_module(self._original_module)
        ids_by_field = defaultdict(set)
        for vals in vals_list:
            for name, value in vals.items():
                field = self._fields.get(name)
                if field is None:
                    if ours:
                        raise ValidationError(
                            self.env._(
                                "%(model)s has no field %(name)s.", model=self._description, name=_repr.repr(name)
                            )
                        )
                    continue
                if name in guarded:
                    problem = self._sales_input_problem(field, value, ids_by_field[field])
                    if problem:
                        raise ValidationError(problem)
        if self.env.su:
            return
        for field, ids in ids_by_field.items():
            if not ids:
                continue
            comodel = self.env[field.comodel_name]
            missing = ids - set(comodel.browse(ids).exists().ids)
            if missing:
                raise ValidationError(
                    self.env._(
                        "%(field)s: there is no %(model)s with the id %(ids)s (it does not exist or was deleted).",
                        field=self._sales_input_label(field),
                        model=comodel._description,
                        ids=", ".join(str(i) for i in sorted(missing)),
                    )
                )
            if field.comodel_name == "res.company":
                foreign = ids - set(self.env.user.company_ids.ids)
                if foreign:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: the company %(companies)s is not one of your companies.",
                            field=self._sales_input_label(field),
                            companies=", ".join(comodel.browse(sorted(foreign)).sudo().mapped("name")),
                        )
                    )

    def _sales_input_label(self, field):
        return f"{field._description_string(self.env)} ({field.name})"

    def _sales_input_problem(self, field, value, ids):
        """The message refusing ``value`` for ``field``, or None; adds the ids
        it names to ``ids`` (many2one, many2many), to be checked for existence."""
        if value is None or value is False:
            # an empty value for a required column: refused here rather than by
            # PostgreSQL (whose NOT NULL violation logs an error of the server)
            if field.required and field.type in REQUIRED_TYPES and not field.company_dependent:
                return self.env._("%(field)s is required.", field=self._sales_input_label(field))
            return None
        if isinstance(value, models.BaseModel | NewId):
            return None
        if field.type == "selection":
            allowed = [key for key, _label in field._description_selection(self.env)]
            if isinstance(value, str) and value in allowed:
                return None
            return self.env._(
                "%(field)s: %(value)s is not one of the allowed values (%(allowed)s).",
                field=self._sales_input_label(field),
                value=_repr.repr(value),
                allowed=", ".join(allowed),
            )
        valid = _VALID.get(field.type)
        if valid is None or valid(value, ids):
            if field.type == "one2many":
                ids.clear()  # the lines are checked by their own model
            return None
        return self._sales_input_message(field, value)

    def _sales_input_message(self, field, value):
        """The message refusing ``value``, of the wrong type for ``field``."""
        args = {"field": self._sales_input_label(field), "value": _repr.repr(value)}
        ftype = field.type
        if ftype == "many2one":
            return self.env._(
                "%(field)s expects the id of a record (%(model)s), not %(value)s.",
                model=self.env[field.comodel_name]._description,
                **args,
            )
        if ftype in ("integer", "many2one_reference"):
            return self.env._("%(field)s expects a whole number, not %(value)s.", **args)
        if ftype in ("float", "monetary"):
            return self.env._("%(field)s expects a number, not %(value)s.", **args)
        if ftype in ("char", "text", "html"):
            return self.env._("%(field)s expects a text, not %(value)s.", **args)
        if ftype == "boolean":
            return self.env._("%(field)s expects true or false, not %(value)s.", **args)
        if ftype == "date":
            return self.env._("%(field)s expects a date written YYYY-MM-DD, not %(value)s.", **args)
        if ftype == "datetime":
            return self.env._(
                "%(field)s expects a date and time written YYYY-MM-DD HH:MM:SS (UTC), not %(value)s.", **args
            )
        return self.env._("%(field)s expects a list of record ids or of commands, not %(value)s.", **args)


def _valid_many2one(value, ids):
    if type(value) is int:
        ids.add(value)
        return True
    return isinstance(value, dict)  # the values of a new record (onchange)


def _valid_integer(value, ids):
    # a number as text is refused too: the overrides reading values compare numbers
    if isinstance(value, bool) or (isinstance(value, int) and INT4_MIN <= value <= INT4_MAX):
        return True
    return isinstance(value, float) and _converts(int, value)


def _valid_date(value, ids):
    return isinstance(value, date) or (isinstance(value, str) and _converts(fields.Date.to_date, value))


def _valid_datetime(value, ids):
    return isinstance(value, date) or (isinstance(value, str) and _converts(fields.Datetime.to_datetime, value))


def _valid_x2many(value, ids):
    return isinstance(value, list | tuple) and all(_x2many_item(item, ids) for item in value)


# field type -> whether a value (not empty) can be stored; selections are checked
# against their values
_VALID = {
    "many2one": _valid_many2one,
    "integer": _valid_integer,
    "many2one_reference": _valid_integer,
    "float": lambda value, ids: isinstance(value, int | float),
    "monetary": lambda value, ids: isinstance(value, int | float),
    "char": lambda value, ids: isinstance(value, str | bytes | int | float) and value is not True,
    "text": lambda value, ids: isinstance(value, str | bytes | int | float) and value is not True,
    "html": lambda value, ids: isinstance(value, str | bytes | int | float) and value is not True,
    "boolean": lambda value, ids: isinstance(value, bool | int),
    "date": _valid_date,
    "datetime": _valid_datetime,
    "one2many": _valid_x2many,
    "many2many": _valid_x2many,
}


def _converts(convert, value):
    try:
        convert(value)
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def _x2many_item(item, ids):
    """Whether ``item`` is an id or a well-formed command; collects the ids it links."""
    if isinstance(item, models.BaseModel | NewId):
        return True
    if type(item) is int:
        ids.add(item)
        return True
    # Command is an IntEnum: its members are ints, booleans are not commands
    if not isinstance(item, list | tuple) or not item or not isinstance(item[0], int) or isinstance(item[0], bool):
        return False
    command, *args = item
    if command in (Command.CREATE, Command.CLEAR):
        return True
    if command in (Command.UPDATE, Command.DELETE, Command.UNLINK, Command.LINK):
        if not args or not isinstance(args[0], int | NewId) or isinstance(args[0], bool):
            return False
        if command == Command.LINK and type(args[0]) is int:
            ids.add(args[0])
        return True
    if command == Command.SET:
        if len(args) < 2 or not isinstance(args[1], list | tuple):
            return False
        if not all(type(i) is int or isinstance(i, NewId) for i in args[1]):
            return False
        ids.update(i for i in args[1] if type(i) is int)
        return True
    return False
