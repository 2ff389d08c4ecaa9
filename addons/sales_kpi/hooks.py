# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).


def uninstall_hook(env):
    """Remove what the addon created outside its models: the fact watermark and tables."""
    env["ir.config_parameter"].sudo().search([("key", "=like", "sales_kpi.%")]).unlink()
    env.cr.execute(
        "DROP TABLE IF EXISTS sales_kpi_fact, sales_kpi_fact_user, sales_kpi_fact_stale, sales_kpi_target_actual"
        " CASCADE"
    )
