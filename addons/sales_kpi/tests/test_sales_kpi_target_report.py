# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import SalesKpiCommon


@tagged("post_install", "-at_install")
class TestSalesKpiTargetReport(SalesKpiCommon):
    """Targets vs Actuals read as the pivot reads it (``_read_group``): every
    total is the plan's root target and the facts' sum, whatever the grouping."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["sales.kpi.target.plan"].create(
            {
                "name": "KPI report plan",
                "kpi_id": cls.kpis["sales"].id,
                "fiscal_year": 2025,
                "root_team_id": cls.top.id,
                "root_value": 1200.0,
                "owner_method": "equal",
                "period_method": "equal",
                "include_members": True,
            }
        )
        cls.plan.action_allocate()
        cls.env.flush_all()
        # Confirmed sales of company A in 2025, all in the Top subtree: O2 660 + O3 500 + O5 100.
        cls.facts_2025 = 1260.0

    def _totals(self, domain, groupby, model=None):
        Report = self.env["sales.kpi.target.report"] if model is None else model
        return {
            group[0] if groupby else None: (target, actual)
            for *group, target, actual in Report._read_group(domain, groupby, ["target:sum", "actual:sum"])
        }

    def test_totals_equal_the_root_target_and_the_facts(self):
        domain = [("plan_id", "=", self.plan.id)]
        ((target, actual),) = self._totals(domain, []).values()
        self.assertAlmostEqual(target, 1200.0, places=2)
        self.assertAlmostEqual(actual, self.facts_2025, places=2)
        for groupby in (["team_id"], ["user_id"], ["month:month"], ["owner_type"]):
            groups = self._totals(domain, groupby)
            self.assertAlmostEqual(sum(t for t, _a in groups.values()), 1200.0, places=2, msg=groupby)
            self.assertAlmostEqual(sum(a for _t, a in groups.values()), self.facts_2025, places=2, msg=groupby)
        # By month: each month is the root's month target and the month's facts.
        by_month = self._totals(domain, ["month:month"])
        march = [value for month, value in by_month.items() if month.month == 3][0]
        self.assertAlmostEqual(march[0], 100.0, places=2)
        self.assertAlmostEqual(march[1], self.facts_2025, places=2)
        # By team: East holds its members' rows and its own remainder, never its parents' figures.
        by_team = self._totals(domain + [("month", "=", "2025-03-01")], ["team_id"])
        self.assertAlmostEqual(by_team[self.east][1], 1260.0, places=2)
        self.assertAlmostEqual(by_team[self.north][1], 0.0, places=2)
        self.assertAlmostEqual(by_team[self.top][1], 0.0, places=2)
        # A row keeps the owner's whole figures for reference.
        north = self.env["sales.kpi.target.report"].search(
            domain + [("team_id", "=", self.north.id), ("owner_type", "=", "team"), ("month", "=", "2025-03-01")]
        )
        self.assertRecordValues(north, [{"owner_actual": 1260.0, "actual": 0.0, "is_leaf": False}])
        members = self.env["sales.kpi.target.report"].search(
            domain + [("owner_type", "=", "user"), ("month", "=", "2025-03-01")]
        )
        self.assertEqual(set(members.mapped("is_leaf")), {True})
        self.assertAlmostEqual(
            sum(members.filtered(lambda row: row.user_id == self.u1).mapped("actual")), 760.0, places=2
        )

    def test_member_default_view_shows_own_targets_and_actuals(self):
        """The action's default filters, applied as the search view does, leave a
        member their own rows."""
        action = self.env.ref("sales_kpi.action_sales_kpi_target_report")
        context = safe_eval(action.context or "{}")
        arch = self.env["sales.kpi.target.report"].get_view(action.search_view_id.id, "search")["arch"]
        search = etree.fromstring(arch)
        domain = [("plan_id", "=", self.plan.id)]
        for key, value in context.items():
            if key.startswith("search_default_") and value:
                node = search.xpath(f"//filter[@name='{key[len('search_default_') :]}']")[0]
                domain += safe_eval(node.get("domain", "[]"))
        self.kpis["sales"].role_ids = self.role_rep | self.role_csr
        self.plan.line_ids.write({"justification": "Test plan"})
        self.plan.action_publish()
        self.env.flush_all()
        Report = self.env["sales.kpi.target.report"].with_user(self.u1)
        rows = Report.search(domain)
        self.assertTrue(rows)
        self.assertEqual(rows.user_id, self.u1)
        ((target, actual),) = self._totals(domain, [], model=Report).values()
        own = self.plan.line_ids.filtered(lambda line: line.user_id == self.u1 and line.period_type == "year")
        self.assertAlmostEqual(target, own.target, places=2)
        self.assertAlmostEqual(actual, 760.0, places=2)

    def test_fiscal_year_shown_without_thousands_separator(self):
        """2026, not "2,026": the integer widget's option in Odoo 18 is enable_formatting."""
        Plan = self.env["sales.kpi.target.plan"]
        for view_type in ("list", "form"):
            arch = etree.fromstring(Plan.get_view(view_type=view_type)["arch"])
            (node,) = arch.xpath("//field[@name='fiscal_year']")
            self.assertEqual(safe_eval(node.get("options", "{}")), {"enable_formatting": False}, view_type)
