# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_team_mgmt.tests.menu_check import open_menus

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditMenus(OsbCreditCommon):
    """Every Credit Control menu a user sees opens for that user: views, default
    filters and the records of its list, pivot or graph."""

    def test_each_role_opens_its_menus(self):
        credit_user = new_test_user(
            self.env,
            login="osb_t_credit_user",
            groups="osb_credit.group_osb_credit_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        slt_manager = new_test_user(
            self.env, login="osb_t_slt_manager", groups="sales_team.group_sale_manager", company_id=self.company.id
        )
        # a held order, so that the worklist and the customer lists have rows to read
        order = self._order(self.customer, qty=20.0)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        everything = {
            "osb_credit.menu_osb_credit_hold",
            "osb_credit.menu_osb_credit_exposure",
            "osb_credit.menu_osb_credit_review",
            "osb_credit.menu_osb_credit_adjustment",
            "osb_credit.menu_osb_credit_release",
            "osb_credit.menu_osb_credit_rating",
            "osb_credit.menu_osb_credit_rating_line",
            "osb_credit.menu_osb_credit_aging",
            "osb_credit.menu_osb_credit_policy",
        }
        sales = {"osb_credit.menu_osb_credit_aging_sales", "osb_credit.menu_osb_credit_rating_line_sales"}
        # the replenishment records, read by every salesperson (their customers) as the aging
        replenishment = {
            "osb_credit.menu_osb_replenishment",
            "osb_credit.menu_osb_replenishment_line",
            "osb_credit.menu_osb_replenishment_sales",
        }
        everything |= replenishment
        sales |= replenishment
        # every salesperson reads the quotas (配额) the team rules show him
        quota = {
            "osb_credit.menu_osb_quota",
            "osb_credit.menu_osb_quota_report",
            "osb_credit.menu_osb_quota_transfer",
            "osb_credit.menu_osb_quota_release",
        }
        # the quota transfers and releases are the SSG leader's ledger: the menus are
        # for him, team leaders and All Documents salespeople
        ledger = {"osb_credit.menu_osb_quota_transfer", "osb_credit.menu_osb_quota_release"}
        everything |= quota - ledger
        sales |= quota - ledger
        # the OSB issue log and the timeline's worklist, late steps and cycle times:
        # every salesperson reads those of the orders he sees
        osb = {
            "osb_credit.menu_osb_issue",
            "osb_credit.menu_osb_order_step_mine",
            "osb_credit.menu_osb_order_step_breach",
            "osb_credit.menu_osb_cycle_times",
        }
        everything |= osb
        sales |= osb
        # customer returns (退货): every salesperson makes and reads those the team rules show him
        returns = {"osb_credit.menu_osb_return", "osb_credit.menu_osb_return_line"}
        everything |= returns
        sales |= returns
        # POP materials (POP 物料): every salesperson issues and reads the budgets the
        # team rules show him; the transfers are the SSG leader's ledger
        pop = {
            "osb_credit.menu_osb_pop_issue",
            "osb_credit.menu_osb_pop_budget",
            "osb_credit.menu_osb_pop_budget_report",
            "osb_credit.menu_osb_pop_product",
        }
        everything |= pop
        sales |= pop
        ledger |= {"osb_credit.menu_osb_pop_budget_transfer"}
        for user, expected in (
            # the credit manager reads all orders (All Documents): the quota ledger too
            (self.credit_manager, everything | sales | ledger),
            (credit_user, everything - {"osb_credit.menu_osb_credit_policy"} | sales),
            # a salesperson finds the reports in Sales > Orders, and in the Sales
            # Management app (open to every salesperson for the daily work)
            (
                self.salesman,
                sales | {"osb_credit.menu_osb_credit_rating_line", "osb_credit.menu_osb_credit_aging"},
            ),
            # a Sales administrator (SLT) approves reviews and reads the credit reports
            (
                slt_manager,
                sales
                | ledger
                | {
                    "osb_credit.menu_osb_credit_review",
                    "osb_credit.menu_osb_credit_rating_line",
                    "osb_credit.menu_osb_credit_aging",
                },
            ),
        ):
            self.assertEqual(set(open_menus(self, user, "osb_credit")), expected, user.login)
