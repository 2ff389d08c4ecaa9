# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Sales Management: Seams Test",
    "summary": "Test module: plugs a confirmation check, a KPI source, a team scope and approvals into the engines",
    "version": "18.0.1.1.0",
    "category": "Hidden/Tests",
    "author": "Sales Management Contributors",
    "website": "https://github.com/sales-mgmt/sales-mgmt",
    "license": "LGPL-3",
    "maintainers": ["sales-mgmt"],
    "development_status": "Alpha",
    "depends": ["osb_credit", "sales_kpi"],
    "data": ["security/ir.model.access.csv", "security/ir_rules.xml"],
    "installable": True,
    "application": False,
}
