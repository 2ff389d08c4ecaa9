# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.tools import SQL


class OsbPopBudgetReport(models.Model):
    """POP budget vs committed vs spent: one row per active POP budget, its budget
    in effect (the allocated amount plus the transfers in, minus the transfers
    out), what its requested issues commit and its done issues spent, and what
    remains, computed at each read by one query over the budgets, transfers and
    issue lines (the figures of ``osb.pop.budget._pop_figures``): never a stored
    counter. Lists, pivots and graphs group it by holder, period and company."""

    _name = "osb.pop.budget.report"
    _description = "POP Budget vs Committed vs Spent"
    _auto = False
    _order = "date_from desc, budget_id desc"
    _rec_name = "budget_id"
    _depends = {
        "osb.pop.budget": [
            "holder_type",
            "holder_team_id",
            "partner_id",
            "date_from",
            "date_to",
            "amount",
            "company_id",
            "user_id",
            "team_id",
            "active",
        ],
        "osb.pop.budget.transfer": ["from_budget_id", "to_budget_id", "amount"],
        "osb.pop.issue.line": ["budget_id", "state", "amount"],
    }

    budget_id = fields.Many2one("osb.pop.budget", string="POP Budget", readonly=True)
    holder_type = fields.Selection([("team", "Team"), ("customer", "Customer")], string="Holder", readonly=True)
    holder_team_id = fields.Many2one("crm.team", string="Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    team_id = fields.Many2one("crm.team", string="Visible to Team", readonly=True)
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    budget = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Budget in effect: the allocated amount plus the transfers in, minus the transfers out.",
    )
    committed = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Value of the lines of the requested POP issues (quantity at the product's cost when requested).",
    )
    spent = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Cost of the delivered lines of the done POP issues (the product's cost at validation).",
    )
    remaining = fields.Monetary(
        currency_field="currency_id", readonly=True, help="Budget in effect minus committed minus spent."
    )
    used_percent = fields.Float(
        string="Used (%)",
        readonly=True,
        aggregator="avg",
        help="Committed and spent, as a share of the budget in effect.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT b.id AS id, b.id AS budget_id, b.holder_type, b.holder_team_id, b.partner_id, b.user_id,
                   b.team_id, b.date_from, b.date_to, b.company_id, c.currency_id,
                   f.budget, f.committed, f.spent, f.budget - f.committed - f.spent AS remaining,
                   CASE WHEN f.budget > 0 THEN 100.0 * (f.committed + f.spent) / f.budget
                        WHEN f.committed + f.spent > 0 THEN 100.0 ELSE 0.0 END AS used_percent
              FROM osb_pop_budget b
              JOIN res_company c ON c.id = b.company_id
              JOIN (
                  SELECT b.id,
                         b.amount + COALESCE(tin.amount, 0) - COALESCE(tout.amount, 0) AS budget,
                         COALESCE(u.committed, 0) AS committed,
                         COALESCE(u.spent, 0) AS spent
                    FROM osb_pop_budget b
                    LEFT JOIN (SELECT to_budget_id AS budget_id, SUM(amount) AS amount
                                 FROM osb_pop_budget_transfer GROUP BY to_budget_id) tin ON tin.budget_id = b.id
                    LEFT JOIN (SELECT from_budget_id AS budget_id, SUM(amount) AS amount
                                 FROM osb_pop_budget_transfer GROUP BY from_budget_id) tout ON tout.budget_id = b.id
                    LEFT JOIN (SELECT budget_id,
                                      SUM(amount) FILTER (WHERE state = 'requested') AS committed,
                                      SUM(amount) FILTER (WHERE state = 'done') AS spent
                                 FROM osb_pop_issue_line
                                WHERE budget_id IS NOT NULL AND state IN ('requested', 'done')
                                GROUP BY budget_id) u ON u.budget_id = b.id
              ) f ON f.id = b.id
             WHERE b.active
            """
        )
