"""Uninstall one addon from a database, then prove the database still works.

Run in its own process (the uninstall reloads the registry):
    python tests/uninstall_check.py -c odoo.conf --addons-path=... -d DB MODULE
Prints one JSON object with what it found; exits non-zero if a check fails.
"""

import json
import sys

import odoo
from odoo import api
from odoo.modules.registry import Registry


def owned(env, modules, model):
    """Ids of ``model`` records whose only xml ids belong to ``modules`` (a module
    and the installed modules that depend on it, which its uninstall removes too)."""
    env.cr.execute(
        """SELECT res_id FROM ir_model_data WHERE model = %s GROUP BY res_id
           HAVING bool_and(module = ANY(%s)) AND bool_or(module = %s)""",
        [model, modules, modules[0]],
    )
    return [row[0] for row in env.cr.fetchall()]


def main():
    *options, module = sys.argv[1:]
    odoo.tools.config.parse_config(options)
    db = odoo.tools.config["db_name"]
    report = {"module": module}
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        mod = env["ir.module.module"].search([("name", "=", module)])
        removed = [module, *mod.downstream_dependencies().mapped("name")]
        # Models and fields the module alone declares (every module that extends
        # a model also owns an xml id of it, so count only sole ownership).
        report["models"] = sorted(env["ir.model"].browse(owned(env, removed, "ir.model")).mapped("model"))
        report["tables"] = sorted(env[m]._table for m in report["models"] if env[m]._auto)
        fields = env["ir.model.fields"].browse(owned(env, removed, "ir.model.fields"))
        report["fields"] = sorted(f"{f.model}.{f.name}" for f in fields if f.model not in report["models"])
        mod.button_immediate_uninstall()
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        report["state"] = env["ir.module.module"].search([("name", "=", module)]).state
        report["models_left"] = [m for m in report["models"] if m in env]
        report["fields_left"] = [f for f in report["fields"] if f.rsplit(".", 1)[1] in env[f.rsplit(".", 1)[0]]._fields]
        cr.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'", [report["tables"]])
        report["tables_left"] = [r[0] for r in cr.fetchall()]
        # Views of the documents the addons extend still render.
        for model in ("sale.order", "crm.team", "res.partner", "account.move"):
            env[model].get_views([(False, "form"), (False, "list"), (False, "search")])
            env[model].search_read([], limit=5)
        # The plain sales flow still works.
        partner = env["res.partner"].create({"name": "After uninstall customer"})
        product = env["product.product"].create({"name": "After uninstall product", "list_price": 10.0})
        order = env["sale.order"].create(
            {"partner_id": partner.id, "order_line": [odoo.Command.create({"product_id": product.id})]}
        )
        order.action_confirm()
        report["order_state"] = order.state
        cr.rollback()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
