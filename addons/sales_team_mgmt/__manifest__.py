# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Sales Team Management",
    "summary": "Sales organisation tree, roles and authority, hierarchy visibility",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "author": "Sales Management Contributors",
    "website": "https://github.com/sales-mgmt/sales-mgmt",
    "license": "LGPL-3",
    "maintainers": ["sales-mgmt"],
    "development_status": "Alpha",
    "depends": [
        "sale_management",
        "crm",
        "web_hierarchy",
    ],
    "data": [
        "security/res_groups.xml",
        "security/ir.model.access.csv",
        "security/ir_rules.xml",
        "wizard/sales_approval_reject_views.xml",
        "views/sales_role_views.xml",
        "views/crm_team_views.xml",
        "views/sale_order_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/sales_role_demo.xml",
        "demo/res_users_demo.xml",
        "demo/crm_team_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/sale_order_demo.xml",
    ],
    "installable": True,
    "application": True,
}
