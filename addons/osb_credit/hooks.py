# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tools import SQL

# Partial indexes the addon adds to core tables for the exposure statement
# (osb.credit.exposure._query_components), created by sale.order.init().
EXPOSURE_INDEXES = (
    (
        "osb_credit_sale_order_open_idx",
        "sale_order",
        "(osb_credit_partner_id, company_id)",
        "state = 'sale' AND (invoice_status IS NULL OR invoice_status NOT IN ('invoiced', 'upselling'))",
    ),
    (
        "osb_credit_account_move_line_open_idx",
        "account_move_line",
        "(partner_id)",
        "amount_residual != 0 AND reconciled IS NOT TRUE AND parent_state = 'posted'",
    ),
)

# Partial indexes of the quota check (osb.quota._quota_lines_query), created by osb.quota.init():
# the confirmed lines of a product, and the confirmed orders of a team by date.
QUOTA_INDEXES = (
    ("osb_credit_sale_order_line_quota_idx", "sale_order_line", "(product_id, order_id)", "state = 'sale'"),
    ("osb_credit_sale_order_quota_idx", "sale_order", "(team_id, date_order)", "state = 'sale'"),
)


def create_partial_indexes(cr, indexes):
    """Create the partial indexes ``indexes`` (``(name, table, columns, where)``) on
    core tables when missing; ``uninstall_hook`` drops them."""
    for name, table, columns, where in indexes:
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s %s WHERE %s",
                SQL.identifier(name),
                SQL.identifier(table),
                SQL(columns),
                SQL(where),
            )
        )


def uninstall_hook(env):
    """Remove what the addon created outside its models: its indexes on core tables,
    and the per-company sequences of the OSB issue log (copies of its template)."""
    for name, _table, _columns, _where in EXPOSURE_INDEXES + QUOTA_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    env["ir.sequence"].sudo().search([("code", "=", "osb.issue")]).unlink()
    # The POP Issues operation types that delivered something stay (archived) with
    # their pickings: the uninstall would otherwise fail to delete the data one.
    pop_types = env["stock.picking.type"].sudo().with_context(active_test=False).search([("osb_pop_issue", "=", True)])
    used = env["stock.picking"].sudo()._read_group([("picking_type_id", "in", pop_types.ids)], ["picking_type_id"])
    used_types = env["stock.picking.type"].union(*(picking_type for (picking_type,) in used))
    if used_types:
        used_types.write({"active": False})
        env["ir.model.data"].sudo().search(
            [("module", "=", "osb_credit"), ("model", "=", "stock.picking.type"), ("res_id", "in", used_types.ids)]
        ).unlink()
