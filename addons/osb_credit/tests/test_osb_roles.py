# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.sales_team_mgmt.tests.menu_check import open_menus


class OsbRolesCommon(BaseCommon):
    """A company of its own (the demo rules of the main company stay out), a team
    tree market M > region R > units U and U2, a team X, a customer class and
    users in the three roles."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        return cls._create_company(name="OSB Roles Company")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company

        def user(login, groups):
            return new_test_user(cls.env, login=login, groups=groups, company_id=company.id)

        cls.rep = user("osb_r_rep", "sales_team.group_sale_salesman")
        cls.rep_other = user("osb_r_rep_other", "sales_team.group_sale_salesman")
        cls.csr_default = user("osb_r_csr_default", "osb_credit.group_osb_csr")
        cls.csr_market = user("osb_r_csr_market", "osb_credit.group_osb_csr")
        cls.csr_region = user("osb_r_csr_region", "osb_credit.group_osb_csr")
        cls.csr_unit = user("osb_r_csr_unit", "osb_credit.group_osb_csr")
        cls.csr_class = user("osb_r_csr_class", "osb_credit.group_osb_csr")
        cls.csr_customer = user("osb_r_csr_customer", "osb_credit.group_osb_csr")
        cls.scr = user("osb_r_scr", "osb_credit.group_osb_scr")
        cls.bcr = user("osb_r_bcr", "osb_credit.group_osb_bcr")
        cls.leader = user("osb_r_leader", "osb_credit.group_osb_ssg_leader")
        Team = cls.env["crm.team"]
        cls.market = Team.create({"name": "OSB Market M", "company_id": company.id})
        cls.region = Team.create({"name": "OSB Region R", "company_id": company.id, "parent_id": cls.market.id})
        cls.unit = Team.create({"name": "OSB Unit U", "company_id": company.id, "parent_id": cls.region.id})
        cls.unit2 = Team.create({"name": "OSB Unit U2", "company_id": company.id, "parent_id": cls.region.id})
        cls.team_x = Team.create({"name": "OSB Team X", "company_id": company.id})
        cls.vip = cls.env["sales.customer.class"].create({"name": "VIP", "code": "OSBVIP", "company_id": company.id})
        Partner = cls.env["res.partner"]
        cls.plain = Partner.create({"name": "OSB Plain Customer", "is_company": True})
        cls.plain_contact = Partner.create({"name": "OSB Plain Buyer", "parent_id": cls.plain.id})
        cls.vip_customer = Partner.create({"name": "OSB VIP Customer", "is_company": True})
        cls.vip_customer.with_company(company).sudo().sales_class_id = cls.vip
        cls.key_customer = Partner.create({"name": "OSB Key Customer", "is_company": True})
        cls.key_customer.with_company(company).sudo().sales_class_id = cls.vip
        cls.product = cls.env["product.product"].create({"name": "OSB Roles Service", "type": "service"})
        Rule = cls.env["osb.role.rule"]
        cls.rule_csr_default = Rule.create({"role": "csr", "user_id": cls.csr_default.id})
        cls.rule_csr_market = Rule.create({"role": "csr", "team_id": cls.market.id, "user_id": cls.csr_market.id})
        cls.rule_csr_unit = Rule.create(
            {"role": "csr", "team_id": cls.unit.id, "include_subteams": False, "user_id": cls.csr_unit.id}
        )
        cls.rule_csr_class = Rule.create({"role": "csr", "customer_class_id": cls.vip.id, "user_id": cls.csr_class.id})
        cls.rule_csr_customer = Rule.create(
            {"role": "csr", "partner_id": cls.key_customer.id, "user_id": cls.csr_customer.id}
        )
        cls.rule_scr_default = Rule.create({"role": "scr", "user_id": cls.scr.id})
        cls.rule_bcr_default = Rule.create({"role": "bcr", "user_id": cls.bcr.id})

    @classmethod
    def _order(cls, partner, team, user=None, **vals):
        return cls.env["sale.order"].create(
            dict(
                {
                    "partner_id": partner.id,
                    "team_id": team.id if team else False,
                    "user_id": (user or cls.rep).id,
                    "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1.0})],
                },
                **vals,
            )
        )


@tagged("post_install", "-at_install")
class TestOsbRoleResolution(OsbRolesCommon):
    def test_most_specific_rule_wins(self):
        cases = [
            (self.key_customer, self.unit, self.csr_customer),  # customer beats class and team
            (self.vip_customer, self.unit, self.csr_class),  # class beats the exact team
            (self.plain, self.unit, self.csr_unit),  # exact team beats the market's subtree
            (self.plain_contact, self.unit2, self.csr_market),  # the market's subtree; contact -> company
            (self.plain, self.team_x, self.csr_default),  # no team rule: company default
            (self.plain, False, self.csr_default),
        ]
        for partner, team, csr in cases:
            with self.subTest(partner=partner.name, team=team and team.name):
                order = self._order(partner, team)
                self.assertRecordValues(
                    order, [{"osb_csr_id": csr.id, "osb_scr_id": self.scr.id, "osb_bcr_id": self.bcr.id}]
                )

    def test_nearest_ancestor_with_subteams(self):
        self.env["osb.role.rule"].create({"role": "csr", "team_id": self.region.id, "user_id": self.csr_region.id})
        self.assertEqual(self._order(self.plain, self.unit2).osb_csr_id, self.csr_region)
        # the unit's exact rule still beats its region
        self.assertEqual(self._order(self.plain, self.unit).osb_csr_id, self.csr_unit)
        # a rule without sub-teams covers its own team only
        self.rule_csr_unit.team_id = self.region
        self.env["osb.role.rule"].search([("user_id", "=", self.csr_region.id)]).unlink()
        self.assertEqual(self._order(self.plain, self.unit2).osb_csr_id, self.csr_market)
        self.assertEqual(self._order(self.plain, self.region).osb_csr_id, self.csr_unit)

    def test_sequence_breaks_ties_and_archived_rules_do_not_count(self):
        other = self.env["osb.role.rule"].create(
            {"role": "csr", "user_id": self.csr_region.id, "sequence": self.rule_csr_default.sequence - 1}
        )
        self.assertEqual(self._order(self.plain, self.team_x).osb_csr_id, self.csr_region)
        other.active = False
        self.assertEqual(self._order(self.plain, self.team_x).osb_csr_id, self.csr_default)

    def test_leader_sets_roles_at_creation(self):
        order = self._order(self.plain, self.unit).with_user(self.leader)
        leader_order = (
            self.env["sale.order"]
            .with_user(self.leader)
            .create({"partner_id": self.plain.id, "team_id": self.unit.id, "osb_csr_id": self.csr_region.id})
        )
        self.assertEqual(leader_order.osb_csr_id, self.csr_region)
        self.assertEqual(leader_order.osb_scr_id, self.scr)  # the other roles come from the rules
        self.assertEqual(order.osb_csr_id, self.csr_unit)

    def test_nobody_found_names_the_role(self):
        self.rule_scr_default.active = False
        count = self.env["sale.order"].search_count([])
        with self.assertRaises(UserError) as error:
            self._order(self.plain, self.team_x)
        message = str(error.exception)
        self.assertIn("SCR (Shipping Coordinator)", message)
        self.assertIn("OSB Team X", message)
        self.assertIn("OSB Plain Customer", message)
        self.assertNotIn("CSR", message)
        self.assertEqual(self.env["sale.order"].search_count([]), count, "nothing is created")

    def test_company_without_rules_is_left_alone(self):
        company = self._create_company(name="OSB No Rules Company")
        order = (
            self.env["sale.order"].with_company(company).create({"partner_id": self.plain.id, "company_id": company.id})
        )
        self.assertRecordValues(order, [{"osb_csr_id": False, "osb_scr_id": False, "osb_bcr_id": False}])

    def test_resolution_is_set_based(self):
        partners = [self.key_customer, self.vip_customer, self.plain, self.plain_contact]
        teams = [self.unit, self.unit2, self.team_x, self.region, self.market]
        orders = self.env["sale.order"].create(
            [{"partner_id": partners[i % 4].id, "team_id": teams[i % 5].id, "user_id": self.rep.id} for i in range(50)]
        )
        self.assertEqual(len(orders.osb_csr_id), 5)
        # rules, orders, customers, teams, customer classes: the same queries for 1 and 50 orders
        for batch in (orders[:1], orders):
            self.env.invalidate_all()
            with self.assertQueryCount(5):
                assignments, missing, companies = batch._osb_resolve_roles()
            self.assertEqual(len(assignments), len(batch))
            self.assertFalse(missing)
            self.assertEqual(companies, self.company)


@tagged("post_install", "-at_install")
class TestOsbRoleRuleBadInput(OsbRolesCommon):
    def test_rule_without_user(self):
        Rule = self.env["osb.role.rule"]
        count = Rule.search_count([])
        with self.assertRaises(ValidationError) as error:
            Rule.create({"role": "csr", "team_id": self.unit.id})
        self.assertIn("User", str(error.exception))
        with self.assertRaises(ValidationError):
            self.rule_csr_unit.write({"user_id": False})
        self.assertEqual(Rule.search_count([]), count)
        self.assertEqual(self.rule_csr_unit.user_id, self.csr_unit)

    def test_user_without_the_role_group(self):
        Rule = self.env["osb.role.rule"]
        count = Rule.search_count([])
        with self.assertRaises(ValidationError) as error:
            Rule.create({"role": "bcr", "user_id": self.csr_unit.id})
        message = str(error.exception)
        self.assertIn("User:", message)
        self.assertIn("osb_r_csr_unit", message)
        self.assertIn("BCR", message)
        self.assertEqual(Rule.search_count([]), count)
        # the SSG leader holds every role
        self.assertTrue(Rule.create({"role": "bcr", "user_id": self.leader.id}))

    def test_customer_is_a_company(self):
        with self.assertRaises(ValidationError) as error:
            self.env["osb.role.rule"].create(
                {"role": "csr", "partner_id": self.plain_contact.id, "user_id": self.csr_unit.id}
            )
        self.assertIn("Customer:", str(error.exception))


@tagged("post_install", "-at_install")
class TestOsbRoleSecurity(OsbRolesCommon):
    def test_only_the_ssg_leader_changes_roles(self):
        order = self._order(self.plain, self.unit, user=self.csr_unit)
        self.assertEqual(order.osb_csr_id, self.csr_unit)
        # the CSR edits the order, but not its roles
        order.with_user(self.csr_unit).client_order_ref = "PO-1"
        with self.assertRaises(AccessError):
            order.with_user(self.csr_unit).write({"osb_csr_id": self.csr_default.id})
        with self.assertRaises(AccessError):
            order.with_user(self.csr_unit).write({"osb_bcr_id": False})
        # nor the salesperson, nor at creation
        with self.assertRaises(AccessError):
            order.with_user(self.rep).write({"osb_scr_id": self.leader.id})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.rep).create(
                {"partner_id": self.plain.id, "osb_csr_id": self.csr_unit.id}
            )
        self.assertRecordValues(order, [{"osb_csr_id": self.csr_unit.id, "osb_bcr_id": self.bcr.id}])
        self.assertFalse(order.with_user(self.csr_unit).osb_roles_editable)
        # the leader does, tracked
        leader_order = order.with_user(self.leader).with_context(tracking_disable=False, mail_notrack=False)
        self.assertTrue(leader_order.osb_roles_editable)
        leader_order.write({"osb_csr_id": self.csr_default.id})
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(order.osb_csr_id, self.csr_default)
        tracked = order.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "osb_csr_id")
        self.assertEqual(tracked.old_value_integer, self.csr_unit.id)
        self.assertEqual(tracked.new_value_integer, self.csr_default.id)

    def test_each_role_reads_the_orders_it_owns(self):
        mine = self._order(self.plain, self.unit)  # CSR csr_unit, sold by rep
        other = self._order(self.plain, self.team_x)  # CSR csr_default
        Order = self.env["sale.order"]
        as_csr = Order.with_user(self.csr_unit)
        self.assertEqual(as_csr.search([("id", "in", (mine + other).ids)]), mine)
        with self.assertRaises(AccessError):
            other.with_user(self.csr_unit).read(["name"])
        self.assertEqual(mine.order_line.with_user(self.csr_unit).read(["name"])[0]["id"], mine.order_line.id)
        # the SCR and the BCR read their orders, without changing them
        for user in (self.scr, self.bcr):
            self.assertEqual(Order.with_user(user).search([("id", "in", (mine + other).ids)]), mine + other)
            with self.assertRaises(AccessError):
                mine.with_user(user).write({"client_order_ref": "NO"})
        # the SSG leader reads every order of the company
        self.assertEqual(Order.with_user(self.leader).search([("id", "in", (mine + other).ids)]), mine + other)

    def test_rep_who_is_also_csr(self):
        rep_csr = new_test_user(
            self.env,
            login="osb_r_rep_csr",
            groups="sales_team.group_sale_salesman,osb_credit.group_osb_csr",
            company_id=self.company.id,
        )
        self.env["osb.role.rule"].create({"role": "csr", "team_id": self.unit2.id, "user_id": rep_csr.id})
        own = self._order(self.plain, self.team_x, user=rep_csr)  # sold by them, CSR someone else
        as_csr = self._order(self.plain, self.unit2, user=self.rep_other)  # CSR: them
        neither = self._order(self.plain, self.unit, user=self.rep_other)
        visible = self.env["sale.order"].with_user(rep_csr).search([("id", "in", (own + as_csr + neither).ids)])
        self.assertEqual(visible, own + as_csr)


@tagged("post_install", "-at_install")
class TestOsbRoleReassign(OsbRolesCommon):
    def test_preview_then_apply(self):
        order_u2 = self._order(self.plain, self.unit2)  # CSR: market
        order_x = self._order(self.plain, self.team_x)  # CSR: default
        cancelled = self._order(self.plain, self.unit2)
        cancelled._action_cancel()
        # the rules change: the region gets its own CSR, the default BCR changes
        self.env["osb.role.rule"].create({"role": "csr", "team_id": self.region.id, "user_id": self.csr_region.id})
        self.rule_bcr_default.user_id = self.leader
        orders = (order_u2 + order_x + cancelled).with_user(self.leader)
        action = orders.action_osb_reassign_roles()
        wizard = self.env["osb.role.reassign"].with_user(self.leader).browse(action["res_id"])
        self.assertEqual(wizard.skipped_count, 1)
        self.assertEqual(wizard.order_ids, order_u2 + order_x)
        self.assertEqual(
            sorted(
                (line.order_id.id, line.role, line.current_user_id.id, line.new_user_id.id) for line in wizard.line_ids
            ),
            sorted(
                [
                    (order_u2.id, "csr", self.csr_market.id, self.csr_region.id),
                    (order_u2.id, "bcr", self.bcr.id, self.leader.id),
                    (order_x.id, "bcr", self.bcr.id, self.leader.id),
                ]
            ),
        )
        # nothing changes before Apply
        self.assertEqual(order_u2.osb_csr_id, self.csr_market)
        wizard.action_apply()
        self.assertRecordValues(
            order_u2 + order_x + cancelled,
            [
                {"osb_csr_id": self.csr_region.id, "osb_bcr_id": self.leader.id},
                {"osb_csr_id": self.csr_default.id, "osb_bcr_id": self.leader.id},
                {"osb_csr_id": self.csr_market.id, "osb_bcr_id": self.bcr.id},
            ],
        )

    def test_preview_names_a_role_nobody_takes(self):
        order = self._order(self.plain, self.team_x)
        self.rule_csr_default.active = False
        with self.assertRaises(UserError) as error:
            order.with_user(self.leader).action_osb_reassign_roles()
        self.assertIn("CSR (Customer Service Representative)", str(error.exception))

    def test_only_the_leader_reassigns(self):
        order = self._order(self.plain, self.unit, user=self.csr_unit)
        with self.assertRaises(AccessError):
            order.with_user(self.csr_unit).action_osb_reassign_roles()


@tagged("post_install", "-at_install")
class TestOsbRoleMenus(OsbRolesCommon):
    def test_each_role_opens_its_worklist(self):
        self._order(self.plain, self.unit)
        worklists = {
            "osb_credit.menu_osb_orders_csr",
            "osb_credit.menu_osb_orders_scr",
            "osb_credit.menu_osb_orders_bcr",
        }
        sales = {"osb_credit.menu_osb_credit_aging_sales", "osb_credit.menu_osb_credit_rating_line_sales"}
        # every salesperson reads the quotas the team rules show him; the SSG leader also the holds
        sales |= {"osb_credit.menu_osb_quota", "osb_credit.menu_osb_quota_report"}
        # its transfers and releases are the SSG leader's ledger
        ledger = {"osb_credit.menu_osb_quota_transfer", "osb_credit.menu_osb_quota_release"}
        # customer returns and POP issues and budgets, for every salesperson; POP transfers, a ledger
        sales |= {"osb_credit.menu_osb_return", "osb_credit.menu_osb_return_line"}
        sales |= {
            "osb_credit.menu_osb_pop_issue",
            "osb_credit.menu_osb_pop_budget",
            "osb_credit.menu_osb_pop_budget_report",
            "osb_credit.menu_osb_pop_product",
        }
        ledger |= {"osb_credit.menu_osb_pop_budget_transfer"}
        reports = {"osb_credit.menu_osb_credit_rating_line", "osb_credit.menu_osb_credit_aging"}
        issues = {"osb_credit.menu_osb_issue"}  # the OSB issue log, read by everyone of the OSB menu
        # the replenishment records, read by every salesperson (their customers) as the aging
        sales |= {
            "osb_credit.menu_osb_replenishment",
            "osb_credit.menu_osb_replenishment_line",
            "osb_credit.menu_osb_replenishment_sales",
        }
        # the CSR keeps every customer's replenishment record
        overdue = {"osb_credit.menu_osb_replenishment_overdue"}
        # The OSB timeline's worklist, breach list and cycle times, for every role.
        timeline = {
            "osb_credit.menu_osb_order_step_mine",
            "osb_credit.menu_osb_order_step_breach",
            "osb_credit.menu_osb_cycle_times",
        }
        leader = {
            "osb_credit.menu_osb_orders_all",
            "osb_credit.menu_osb_role_rule",
            "osb_credit.menu_osb_issue_department",
            "osb_credit.menu_osb_step",
        }
        for user, expected in (
            (self.csr_unit, {"osb_credit.menu_osb_orders_csr"} | issues | overdue | timeline),
            (self.scr, {"osb_credit.menu_osb_orders_scr"} | issues | timeline),
            (self.bcr, {"osb_credit.menu_osb_orders_bcr"} | issues | timeline),
            (
                self.leader,
                worklists | issues | overdue | leader | timeline | ledger | {"osb_credit.menu_osb_quota_hold"},
            ),
            # the OSB menu is open to every salesperson: the issue log and the timeline's lists too
            (self.rep, issues | timeline),
        ):
            self.assertEqual(set(open_menus(self, user, "osb_credit")), expected | sales | reports, user.login)
