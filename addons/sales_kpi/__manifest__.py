# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Sales KPIs and Targets",
    "summary": "Sales facts, KPI catalogue, target plans, scorecards and incentives",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Sales Management Contributors",
    "website": "https://github.com/sales-mgmt/sales-mgmt",
    "license": "LGPL-3",
    "maintainers": ["sales-mgmt"],
    "development_status": "Alpha",
    "depends": [
        "sales_team_mgmt",
        "sale_management",
        "account",
    ],
    "data": [
        "security/res_groups.xml",
        "security/ir.model.access.csv",
        "security/ir_rules.xml",
        "views/sales_kpi_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/sales_kpi_demo.xml",
    ],
    "installable": True,
    "application": False,
}
