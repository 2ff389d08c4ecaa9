# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "OSB Credit Control",
    "summary": "Order-ship-bill: customer credit rating, limits, exposure and holds",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Sales Management Contributors",
    "website": "https://github.com/sales-mgmt/sales-mgmt",
    "license": "LGPL-3",
    "maintainers": ["sales-mgmt"],
    "development_status": "Alpha",
    "depends": [
        "sales_team_mgmt",
        "sale_stock",
        "account",
    ],
    "data": [
        "security/res_groups.xml",
        "security/ir.model.access.csv",
        "security/ir_rules.xml",
        "data/osb_credit_policy_data.xml",
        "views/osb_credit_policy_views.xml",
        "views/menus.xml",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
