# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SalesTeamMgmtCommon
from .menu_check import open_menus


@tagged("post_install", "-at_install")
class TestCrmTeamTree(SalesTeamMgmtCommon):
    def test_complete_name_follows_the_tree(self):
        self.assertEqual(self.unit.complete_name, "SLT / East / Shanghai / Pudong")
        self.assertEqual(self.unit.display_name, "SLT / East / Shanghai / Pudong")
        self.region.name = "上海"
        self.assertEqual(self.unit.complete_name, "SLT / East / 上海 / Pudong")
        self.region.parent_id = self.market2
        self.assertEqual(self.unit.complete_name, "SLT / North / 上海 / Pudong")
        self.assertEqual(self.unit.parent_path, f"{self.slt.id}/{self.market2.id}/{self.region.id}/{self.unit.id}/")

    def test_child_of_uses_the_tree(self):
        Team = self.env["crm.team"]
        self.assertEqual(
            Team.search([("id", "child_of", self.market.id)]),
            self.market | self.region | self.region2 | self.unit,
        )
        self.assertEqual(self.market.child_count, 2)
        self.assertEqual(self.unit._sales_get_ancestors(), self.unit | self.region | self.market | self.slt)

    def test_cycle_refused(self):
        with self.assertRaisesRollback(ValidationError, "cannot form a cycle"):
            self.market.parent_id = self.unit
        self.assertEqual(self.market.parent_id, self.slt)
        with self.assertRaisesRollback(ValidationError, "cannot form a cycle"):
            self.market.write({"parent_id": self.market.id})

    def test_cross_company_parent_refused(self):
        other = self.env["res.company"].create({"name": "STM Other Company"})
        with self.assertRaisesRollback(ValidationError, "belongs to another company"):
            self.env["crm.team"].create(
                {"name": "Foreign", "company_id": other.id, "parent_id": self.market.id, "team_type": "region"}
            )
        with self.assertRaisesRollback(ValidationError, "sub-teams .* belong to another company"):
            self.slt.company_id = other

    def test_team_code_unique_per_company(self):
        with self.assertRaisesRollback(ValidationError, "T-E is already used"):
            self.env["crm.team"].create({"name": "Dup", "code": "T-E", "company_id": self.company.id})
        with self.assertRaisesRollback(ValidationError, "T-E is already used"):
            self.env["crm.team"].create({"name": "Dup", "code": "T-E"})
        other = self.env["res.company"].create({"name": "STM Code Company"})
        team = self.env["crm.team"].create({"name": "Same code elsewhere", "code": "T-E", "company_id": other.id})
        self.assertEqual(team.code, "T-E")

    def test_membership_dates(self):
        member = self.rep.crm_team_member_ids
        self.assertTrue(member.is_current)
        today = member._sales_today()
        with self.assertRaisesRollback(ValidationError, "cannot be before its start date"):
            member.write({"date_start": today, "date_end": today - timedelta(days=1)})
        member.write({"date_start": today - timedelta(days=30), "date_end": today - timedelta(days=1)})
        self.assertFalse(member.is_current)
        Member = self.env["crm.team.member"]
        self.assertNotIn(member, Member.search([("is_current", "=", True)]))
        self.assertIn(member, Member.search([("is_current", "=", False)]))

    def test_today_is_the_companys_for_everyone(self):
        """An administrator in Brussels creates a membership at 23:30 UTC (already
        tomorrow for him): it is in force at once for a user in UTC, and the role's
        authority applies to him (the start date and the check agree)."""
        self.company.partner_id.tz = False  # UTC
        admin = self.sales_admin
        admin.tz = "Europe/Brussels"
        self.rep2.tz = False
        with freeze_time("2026-12-01 23:30:00"):
            member = (
                self.env["crm.team.member"]
                .with_user(self.env.user)
                .with_context(tz="Europe/Brussels")
                .create({"crm_team_id": self.region.id, "user_id": self.rep2.id, "role_id": self.role_rep.id})
            )
            self.assertEqual(member.date_start, date(2026, 12, 1))
            self.assertTrue(member.with_user(self.rep2).is_current)
            self.assertIn(member, self.env["crm.team.member"].with_user(self.rep2).search([("is_current", "=", True)]))
            self.env.registry.clear_cache()
            authorities = self.rep2._sales_get_authorities(self.company)
            self.assertEqual(authorities[self.rep2.id][self.region.id].max_order_amount, 50000)
        # in Shanghai's company the date is Shanghai's
        self.company.partner_id.tz = "Asia/Shanghai"
        with freeze_time("2026-12-01 16:30:00"):
            self.assertEqual(self.env["crm.team.member"]._sales_today(), date(2026, 12, 2))

    def test_slt_membership(self):
        self.assertTrue(self.gm._sales_is_slt_member())
        self.assertTrue(self.director._sales_is_slt_member())
        self.assertFalse(self.mm._sales_is_slt_member())
        self.director.crm_team_member_ids.write(
            {"date_start": False, "date_end": self.env["crm.team.member"]._sales_today() - timedelta(days=1)}
        )
        self.assertFalse(self.director._sales_is_slt_member())

    def test_led_teams(self):
        self.assertEqual(self.director.sales_hierarchy_team_ids, self.market)
        self.assertEqual(self.mm.sales_hierarchy_team_ids, self.market)
        self.assertFalse(self.rep.sales_hierarchy_team_ids)

    def test_each_role_opens_its_menus(self):
        """Every Sales Management menu a user sees opens for that user: views,
        default filters and the records of its list."""
        self._create_order(120000, user=self.rep).action_confirm()  # over the rep's authority: to approve
        for user, expected in (
            # leaders and reps without Sales Management rights approve from Sales
            # everyone in sales has the daily work
            (
                self.gm,
                {
                    "menu_sale_order_to_approve_sales",
                    "menu_sales_visit",
                    "menu_sales_visit_compliance",
                    "menu_sales_complaint",
                    "menu_sales_work_report",
                    "menu_sales_work_report_to_review",
                    "menu_sales_expense",
                    "menu_sales_expense_to_approve",
                },
            ),
            (
                self.rep,
                {
                    "menu_sale_order_to_approve_sales",
                    "menu_sales_visit",
                    "menu_sales_visit_compliance",
                    "menu_sales_complaint",
                    "menu_sales_work_report",
                    "menu_sales_expense",
                },
            ),
            (
                self.sales_admin,
                {
                    "menu_sale_order_to_approve",
                    "menu_crm_team_hierarchy",
                    "menu_crm_team_member_hierarchy",
                    "menu_crm_team_member",
                    "menu_sales_role",
                    "menu_sale_order_to_approve_sales",
                    "menu_sales_visit",
                    "menu_sales_visit_compliance",
                    "menu_sales_complaint",
                    "menu_sales_work_report",
                    "menu_sales_work_report_to_review",
                    "menu_sales_expense",
                    "menu_sales_expense_to_approve",
                },
            ),
        ):
            opened = {name.split(".", 1)[1] for name in open_menus(self, user, "sales_team_mgmt")}
            self.assertEqual(opened, expected, user.login)
        # Sales Organisation / User (which every KPI user has) reads the organisation
        # but opens its menus to leaders only: a rep's menus stay his daily work.
        org_user = self.env.ref("sales_team_mgmt.group_sales_team_mgmt_user")
        for user in (self.rep, self.gm):
            user.groups_id += org_user
        rep_menus = {name.split(".", 1)[1] for name in open_menus(self, self.rep, "sales_team_mgmt")}
        self.assertEqual(
            rep_menus,
            {
                "menu_sale_order_to_approve_sales",
                "menu_sales_visit",
                "menu_sales_visit_compliance",
                "menu_sales_complaint",
                "menu_sales_work_report",
                "menu_sales_expense",
            },
        )
        leader_menus = {name.split(".", 1)[1] for name in open_menus(self, self.gm, "sales_team_mgmt")}
        self.assertLessEqual(
            {
                "menu_sale_order_to_approve",
                "menu_crm_team_hierarchy",
                "menu_crm_team_member_hierarchy",
                "menu_crm_team_member",
                "menu_sales_role",
            },
            leader_menus,
        )

    def test_team_smart_buttons(self):
        """Orders of the team with its sub-teams (as the user reads them) and the
        current members, each opening its records."""
        self._create_order(1000).action_confirm()  # Pudong, within the rep's authority
        self._create_order(2000, user=self.rep2, team=self.region2).action_confirm()  # Zhejiang
        self._create_order(1000)  # a quotation: not counted
        teams = self.slt | self.market | self.region | self.region2 | self.unit | self.market2
        teams.invalidate_recordset(["sales_order_count", "sales_member_count"])
        self.assertEqual(teams.mapped("sales_order_count"), [2, 2, 1, 1, 1, 0])
        self.assertEqual(teams.mapped("sales_member_count"), [1, 1, 1, 2, 2, 1])
        # a leader counts what he reads: the unit leader his unit only
        self.assertEqual(self.market.with_user(self.um).sales_order_count, 1)
        action = self.market.action_sales_view_orders()
        self.assertEqual(len(self.env["sale.order"].search(action["domain"])), 2)
        action = self.unit.action_sales_view_members()
        members = self.env["crm.team.member"].search(action["domain"])
        self.assertEqual(members.user_id, self.um | self.rep)
        self.assertEqual(action["context"]["default_crm_team_id"], self.unit.id)

    def test_people_report_to_their_leaders(self):
        """The org chart of people: a member under his team's leader, a leader under
        the nearest leader of a team above (shown by his membership there)."""
        Member = self.env["crm.team.member"]
        members = Member.search([("crm_team_id", "child_of", self.slt.id), ("is_current", "=", True)])
        of = {(m.crm_team_id, m.user_id): m for m in members}
        graph = {m: m.sales_reports_to_id for m in members}
        # the rep of Pudong reports to Pudong's leader, a member of Pudong
        self.assertEqual(graph[of[self.unit, self.rep]], of[self.unit, self.um])
        # Pudong's leader to Shanghai's, Shanghai's to East's, East's to the SLT's leader
        self.assertEqual(graph[of[self.unit, self.um]], of[self.region, self.rm])
        self.assertEqual(graph[of[self.region, self.rm]], of[self.market, self.mm])
        # East's leader reports to the SLT member in charge of East, the director
        self.assertEqual(graph[of[self.market, self.mm]], of[self.slt, self.director])
        # North has none: its leader reports to the SLT's leader (gm), who has no
        # membership to be shown by, so he is a root; so is the director
        self.assertFalse(self.gm.crm_team_member_ids)
        self.assertFalse(graph[of[self.market2, self.mm2]])
        self.assertFalse(graph[of[self.slt, self.director]])
        # rep2 of Zhejiang reports to its leader rm2
        self.assertEqual(graph[of[self.region2, self.rep2]], of[self.region2, self.rm2])
        # the children and the searches the hierarchy view runs
        self.assertEqual(of[self.unit, self.um].sales_report_ids, of[self.unit, self.rep])
        self.assertEqual(
            Member.search([("sales_reports_to_id", "=", of[self.region, self.rm].id)]), of[self.unit, self.um]
        )
        roots = Member.search([("sales_reports_to_id", "=", False), ("id", "in", members.ids)])
        self.assertIn(of[self.market2, self.mm2], roots)
        self.assertNotIn(of[self.unit, self.rep], roots)
        # the gm joins the SLT: East's leader now reports to him
        gm = Member.create({"crm_team_id": self.slt.id, "user_id": self.gm.id, "role_id": self.role_dir.id})
        members.invalidate_recordset(["sales_reports_to_id", "sales_report_ids"])  # computed at each read
        self.assertEqual(of[self.market2, self.mm2].sales_reports_to_id, gm)
        self.assertEqual(of[self.slt, self.director].sales_reports_to_id, gm)
        self.assertEqual(of[self.market, self.mm].sales_reports_to_id, of[self.slt, self.director])
        action = self.unit.action_sales_view_people_chart()
        self.assertEqual(action["context"]["hierarchy_res_id"], of[self.unit, self.um].id)
        self.assertEqual(set(self.env["crm.team.member"].get_views([(False, "hierarchy")])["views"]), {"hierarchy"})

    def test_team_form_shows_the_territory(self):
        """The territory is on the team form whatever the CRM settings: crm hides the
        form's right group (assignment rules) unless lead assignment is on, so the
        territory must sit elsewhere, with no invisible condition above it."""
        self.env["ir.config_parameter"].sudo().set_param("crm.lead.auto.assignment", False)
        self.assertFalse(self.env["crm.team"].new().assignment_enabled)
        arch = self.env["crm.team"].with_user(self.sales_admin).get_views([(False, "form")])["views"]["form"]["arch"]
        fields = etree.fromstring(arch).xpath("//field[@name='state_ids']")
        self.assertEqual(len(fields), 1, "the territory is on the team form")
        for node in (fields[0], *fields[0].iterancestors()):
            self.assertIn(node.get("invisible"), (None, "0", "False"), f"<{node.tag} name={node.get('name')}>")

    def test_views_render(self):
        views = self.env["crm.team"].get_views(
            [(False, "hierarchy"), (False, "form"), (False, "list"), (False, "search")]
        )["views"]
        self.assertIn('child_field="child_ids"', views["hierarchy"]["arch"])
        self.assertIn('name="parent_id"', views["form"]["arch"])
        action = self.env.ref("sales_team_mgmt.action_sale_order_to_approve")
        self.assertEqual(action.domain, "[('approval_state', '=', 'to_approve')]")
        order_views = self.env["sale.order"].get_views([(action.view_ids[0].view_id.id, "list"), (False, "form")])
        self.assertIn("action_approval_approve", order_views["views"]["form"]["arch"])
