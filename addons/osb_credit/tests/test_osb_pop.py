# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

SSG_LEADER = "osb_credit.group_osb_ssg_leader"
HIERARCHY = "sales_team_mgmt.group_sales_team_mgmt_hierarchy"


class OsbPopCommon(BaseCommon):
    """Market East (leader mm) > Region Shanghai (rep); Market North (rep2); two POP
    products (a display at 350, a poster at 12.5) and a product that is not POP;
    an SSG leader; a customer of the rep (team Shanghai), one of rep2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.ssg = new_test_user(cls.env, login="osb_pop_ssg", groups=f"{SSG_LEADER},{HIERARCHY}", name="SSG")
        cls.rep = new_test_user(cls.env, login="osb_pop_rep", groups="sales_team.group_sale_salesman", name="Rep")
        cls.rep2 = new_test_user(cls.env, login="osb_pop_rep2", groups="sales_team.group_sale_salesman", name="Rep2")
        Team = cls.env["crm.team"]
        cls.market = Team.create({"name": "POP East", "code": "P-E", "team_type": "market"})
        cls.region = Team.create(
            {"name": "POP Shanghai", "code": "P-E-SH", "team_type": "region", "parent_id": cls.market.id}
        )
        cls.market2 = Team.create({"name": "POP North", "code": "P-N", "team_type": "market"})
        Member = cls.env["crm.team.member"]
        Member.create({"crm_team_id": cls.region.id, "user_id": cls.rep.id})
        Member.create({"crm_team_id": cls.market2.id, "user_id": cls.rep2.id})
        Product = cls.env["product.product"]
        cls.display = Product.create({"name": "POP Display", "type": "consu", "osb_pop": True, "standard_price": 350.0})
        cls.poster = Product.create({"name": "POP Poster", "type": "consu", "osb_pop": True, "standard_price": 12.5})
        cls.wine = Product.create({"name": "Wine", "type": "consu", "standard_price": 20.0})
        cls.customer = cls.env["res.partner"].create({"name": "POP Shop", "is_company": True, "user_id": cls.rep.id})
        cls.customer2 = cls.env["res.partner"].create(
            {"name": "POP North Shop", "is_company": True, "user_id": cls.rep2.id}
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.date_from = cls.today.replace(day=1)
        cls.date_to = (cls.date_from + timedelta(days=32)).replace(day=1) - timedelta(days=1)

    @contextmanager
    def assertRaisesRollback(self, exception, regex):
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    @classmethod
    def _budget(cls, amount, holder=None, **vals):
        holder = holder if holder is not None else cls.customer
        values = {"amount": amount, "date_from": cls.date_from, "date_to": cls.date_to}
        if holder._name == "crm.team":
            values.update(holder_type="team", holder_team_id=holder.id)
        else:
            values.update(holder_type="customer", partner_id=holder.id)
        values.update(vals)
        return cls.env["osb.pop.budget"].with_user(cls.ssg).create(values).sudo(False)

    def _issue(self, lines, holder=None, user=None):
        holder = holder if holder is not None else self.customer
        values = {"line_ids": [Command.create({"product_id": p.id, "quantity": q}) for p, q in lines]}
        if holder._name == "crm.team":
            values.update(holder_type="team", holder_team_id=holder.id)
        else:
            values.update(holder_type="customer", partner_id=holder.id)
        return self.env["osb.pop.issue"].with_user(user or self.rep).create(values)

    def _validate(self, issue, quantities=None):
        picking = issue.picking_id.sudo()
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids).button_validate()
        return picking


@tagged("post_install", "-at_install")
class TestOsbPop(OsbPopCommon):
    def test_commit_and_spend_at_cost(self):
        """Requested: 2 displays at 350 + 10 posters at 12.5 = 825 committed. The
        cost of the display changes to 400 before delivery; 2 displays and 8
        posters delivered: spent 2 × 400 + 8 × 12.5 = 900, the cost stored."""
        budget = self._budget(2000.0)
        issue = self._issue([(self.display, 2), (self.poster, 10)])
        self.assertEqual(issue.state, "draft")
        self.assertRecordValues(budget, [{"budget": 2000.0, "committed": 0.0, "spent": 0.0, "remaining": 2000.0}])
        issue.action_request()
        self.assertEqual(issue.state, "requested")
        self.assertEqual(issue.budget_id, budget)
        self.assertTrue(issue.picking_id.picking_type_id.osb_pop_issue)
        self.assertEqual(issue.picking_id.partner_id, self.customer)
        self.assertEqual(issue.amount_total, 825.0)
        budget.invalidate_recordset()
        self.assertRecordValues(budget, [{"committed": 825.0, "spent": 0.0, "remaining": 1175.0}])
        self.display.standard_price = 400.0
        self._validate(issue, {self.poster: 8})
        self.assertEqual(issue.state, "done")
        self.assertRecordValues(
            issue.line_ids.sorted(lambda line: line.product_id.id),
            [
                {"product_id": self.display.id, "quantity_done": 2.0, "unit_cost": 400.0, "amount": 800.0},
                {"product_id": self.poster.id, "quantity_done": 8.0, "unit_cost": 12.5, "amount": 100.0},
            ],
        )
        budget.invalidate_recordset()
        self.assertRecordValues(budget, [{"committed": 0.0, "spent": 900.0, "remaining": 1100.0}])

    def test_over_budget_refused_with_figures(self):
        budget = self._budget(1000.0)
        first = self._issue([(self.display, 2)])  # 700
        first.action_request()
        second = self._issue([(self.display, 1)])  # 350 > 300 remaining
        with self.assertRaisesRollback(ValidationError, r"requests .*350.*300.*budget .*1,000.*committed .*700.*spent"):
            second.action_request()
        self.assertRecordValues(second, [{"state": "draft", "picking_id": False}])
        self.assertEqual(second.line_ids.unit_cost, 0.0)
        budget.invalidate_recordset()
        self.assertRecordValues(budget, [{"committed": 700.0, "remaining": 300.0}])

    def test_cancel_releases_commitment(self):
        budget = self._budget(1000.0)
        issue = self._issue([(self.display, 2)])
        issue.action_request()
        issue.picking_id.sudo().action_cancel()
        self.assertEqual(issue.state, "cancelled")
        budget.invalidate_recordset()
        self.assertRecordValues(budget, [{"committed": 0.0, "remaining": 1000.0}])

    def test_transfer_moves_availability(self):
        east = self._budget(1000.0, self.market)
        north = self._budget(100.0, self.market2)
        transfer = (
            self.env["osb.pop.budget.transfer"]
            .with_user(self.ssg)
            .create({"from_budget_id": east.id, "to_budget_id": north.id, "amount": 400.0, "reason": "New shops"})
        )
        self.assertEqual(transfer.user_id, self.ssg)
        (east | north).invalidate_recordset()
        self.assertRecordValues(
            east | north, [{"budget": 600.0, "remaining": 600.0}, {"budget": 500.0, "remaining": 500.0}]
        )
        self.assertIn("New shops", east.message_ids[0].body)
        self.assertIn("New shops", north.message_ids[0].body)
        with self.assertRaisesRollback(ValidationError, r"Amount: .*700.*more than the .*600.*remaining"):
            self.env["osb.pop.budget.transfer"].with_user(self.ssg).create(
                {"from_budget_id": east.id, "to_budget_id": north.id, "amount": 700.0, "reason": "Too much"}
            )
        with self.assertRaises(AccessError):
            self.env["osb.pop.budget.transfer"].with_user(self.rep).create(
                {"from_budget_id": east.id, "to_budget_id": north.id, "amount": 1.0, "reason": "Rep"}
            )
        with self.assertRaises(AccessError):
            transfer.with_user(self.ssg).write({"amount": 1.0})
        # the north issue of 450 fits only thanks to the transfer
        issue = self._issue([(self.poster, 36)], holder=self.customer2, user=self.rep2)
        north.cover_customers = True
        issue.action_request()
        self.assertEqual(issue.budget_id, north)

    def test_team_budget_covers_customer(self):
        """The customer has no budget of its own; the East budget covers its
        sub-teams and their customers: the customer of Shanghai draws on it. Without
        cover_customers it does not."""
        east = self._budget(1000.0, self.market, cover_customers=False)
        issue = self._issue([(self.display, 1)])
        issue.action_request()
        self.assertFalse(issue.budget_id)  # nothing covers it: not checked
        east.with_user(self.ssg).cover_customers = True
        issue2 = self._issue([(self.display, 1)])
        issue2.action_request()
        self.assertEqual(issue2.budget_id, east)
        # the customer's own budget comes first
        own = self._budget(500.0)
        issue3 = self._issue([(self.display, 1)])
        issue3.action_request()
        self.assertEqual(issue3.budget_id, own)
        # a team issue to the region draws on the market's budget (sub-teams covered)
        issue4 = self._issue([(self.poster, 4)], holder=self.region)
        issue4.action_request()
        self.assertEqual(issue4.budget_id, east)
        east.invalidate_recordset()
        self.assertEqual(east.committed, 400.0)

    def test_bad_input(self):
        Budget = self.env["osb.pop.budget"].with_user(self.ssg)
        count = Budget.search_count([])
        cases = [
            ({"amount": -1.0}, "Allocated Amount"),
            ({"date_from": False, "date_to": False}, "date_from"),
            ({"date_to": self.date_from - timedelta(days=1)}, "Period"),
            ({"holder_type": "team", "partner_id": False}, "Team"),
        ]
        for values, field in cases:
            with self.subTest(field=field), self.assertRaisesRollback(ValidationError, field):
                Budget.create(
                    dict(
                        {
                            "holder_type": "customer",
                            "partner_id": self.customer.id,
                            "date_from": self.date_from,
                            "date_to": self.date_to,
                            "amount": 10.0,
                        },
                        **values,
                    )
                )
        self.assertEqual(Budget.search_count([]), count)
        Issue = self.env["osb.pop.issue"].with_user(self.rep)
        issues = Issue.search_count([])
        with self.assertRaisesRollback(ValidationError, "Product: Wine is not a POP material"):
            self._issue([(self.wine, 1)])
        with self.assertRaisesRollback(ValidationError, "Quantity"):
            self._issue([(self.poster, -2)])
        with self.assertRaisesRollback(ValidationError, "Customer"):
            Issue.create({"holder_type": "customer"})
        self.assertEqual(Issue.search_count([]), issues)
        with self.assertRaises(AccessError):
            self.env["osb.pop.budget"].with_user(self.rep).create(
                {
                    "partner_id": self.customer.id,
                    "holder_type": "customer",
                    "amount": 1.0,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                }
            )

    def test_visibility(self):
        budget = self._budget(1000.0)
        other = self._budget(1000.0, self.customer2)
        issue = self._issue([(self.poster, 1)])
        Budget = self.env["osb.pop.budget"].with_user(self.rep)
        self.assertEqual(Budget.search([("id", "in", (budget | other).ids)]), budget)
        self.assertFalse(self.env["osb.pop.issue"].with_user(self.rep2).search([("id", "=", issue.id)]))
        self.assertEqual(self.env["osb.pop.issue"].with_user(self.ssg).search([("id", "=", issue.id)]), issue)
        Line = self.env["osb.pop.issue.line"]
        self.assertFalse(Line.with_user(self.rep2).search([("issue_id", "=", issue.id)]))
        self.assertEqual(Line.with_user(self.rep).search([("issue_id", "=", issue.id)]), issue.line_ids)
        # the server's figures are not for the salesperson to write
        with self.assertRaisesRollback(UserError, "Unit Cost"):
            issue.line_ids.with_user(self.rep).write({"unit_cost": 0.01})
        with self.assertRaisesRollback(UserError, "through its buttons"):
            issue.with_user(self.rep).write({"state": "done"})
        with self.assertRaises(AccessError):
            issue.with_user(self.rep2).action_request()

    def test_figures_batch_queries(self):
        budgets = self.env["osb.pop.budget"].browse([self._budget(100.0 + n, self.customer).id for n in range(5)])
        budgets.invalidate_recordset()
        with self.assertQueryCount(5):
            budgets.mapped("remaining")

    def test_budget_report_figures(self):
        """POP budget vs spent, by hand: the customer's budget 1,000 + 200 moved
        from the team's = 1,200; 2 displays requested (2 × 350 = 700 committed);
        1 display cancelled (nothing). The team's (Shanghai) 2,000 − 200 = 1,800;
        10 posters requested, 8 delivered (8 × 12.5 = 100 spent). Remaining:
        1,200 − 700 = 500 (58.33 % used) and 1,800 − 100 = 1,700 (5.56 %)."""
        customer = self._budget(1000.0)
        team = self._budget(2000.0, self.region)
        self.env["osb.pop.budget.transfer"].with_user(self.ssg).create(
            {"from_budget_id": team.id, "to_budget_id": customer.id, "amount": 200.0, "reason": "Opening"}
        )
        self._issue([(self.display, 2)]).action_request()
        cancelled = self._issue([(self.display, 1)])
        cancelled.action_request()
        cancelled.action_cancel()
        posters = self._issue([(self.poster, 10)], holder=self.region)
        posters.action_request()
        self.assertEqual(posters.budget_id, team)
        self._validate(posters, {self.poster: 8})
        self.env.flush_all()
        Report = self.env["osb.pop.budget.report"].with_user(self.ssg)
        rows = Report.search([("budget_id", "in", (customer | team).ids)], order="id")
        self.assertRecordValues(
            rows,
            [
                {
                    "budget_id": customer.id,
                    "holder_type": "customer",
                    "partner_id": self.customer.id,
                    "holder_team_id": False,
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "budget": 1200.0,
                    "committed": 700.0,
                    "spent": 0.0,
                    "remaining": 500.0,
                },
                {
                    "budget_id": team.id,
                    "holder_type": "team",
                    "partner_id": False,
                    "holder_team_id": self.region.id,
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "budget": 1800.0,
                    "committed": 0.0,
                    "spent": 100.0,
                    "remaining": 1700.0,
                },
            ],
        )
        self.assertAlmostEqual(rows[0].used_percent, 700.0 / 12.0, places=2)
        self.assertAlmostEqual(rows[1].used_percent, 100.0 / 18.0, places=2)
        # the same figures as the budgets'
        for row in rows:
            budget = row.budget_id
            self.assertEqual(
                (row.budget, row.committed, row.spent, row.remaining),
                (budget.budget, budget.committed, budget.spent, budget.remaining),
            )
        # grouped by holder type: the pivot's totals
        groups = {
            holder: (total, committed, spent, remaining)
            for holder, total, committed, spent, remaining in Report._read_group(
                [("budget_id", "in", (customer | team).ids)],
                ["holder_type"],
                ["budget:sum", "committed:sum", "spent:sum", "remaining:sum"],
            )
        }
        self.assertEqual(groups, {"customer": (1200.0, 700.0, 0.0, 500.0), "team": (1800.0, 0.0, 100.0, 1700.0)})
        # the rows a user reads are those of the budgets he reads (team rules)
        for user in (self.rep, self.rep2, self.ssg):
            self.assertEqual(
                self.env["osb.pop.budget.report"]
                .with_user(user)
                .search([("budget_id", "in", (customer | team).ids)])
                .budget_id,
                self.env["osb.pop.budget"].with_user(user).search([("id", "in", (customer | team).ids)]),
                user.login,
            )
        self.assertFalse(
            self.env["osb.pop.budget.report"].with_user(self.rep2).search([("budget_id", "=", customer.id)])
        )
        # an archived budget leaves the report
        customer.with_user(self.ssg).active = False
        self.env.flush_all()
        self.assertFalse(Report.search([("budget_id", "=", customer.id)]))
