# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import re
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_pay import SalesPayCommon


@tagged("post_install", "-at_install")
class TestSalesPayFormula(SalesPayCommon):
    def amounts(self, standard, completion, work):
        formula = self.env["sales.pay.formula"].new({"name": "x", "company_id": self.company.id})
        return {key: round(value[0], 2) for key, value in formula._pay_amounts(standard, completion, work).items()}

    def test_hand_computed(self):
        # At the gate: 10,000 x 50 % + 10,000 x 35 % x 80 % + 10,000 x 15 % x 60 %.
        self.assertEqual(self.amounts(10000, 80, 60), {"base": 5000, "completion": 2800, "work": 900})
        # Just below the gate: no completion pay.
        self.assertEqual(self.amounts(10000, 79.99, 60), {"base": 5000, "completion": 0, "work": 900})
        # Exactly at plan: no over-plan line.
        self.assertEqual(self.amounts(10000, 100, 100), {"base": 5000, "completion": 3500, "work": 1500})
        # Over plan: completion capped at 100 %, 30 points over: 10,000 x 35 % x 30 %.
        self.assertEqual(
            self.amounts(10000, 130, 100), {"base": 5000, "completion": 3500, "work": 1500, "over_plan": 1050}
        )
        # Over-plan capped at 150 %, work score capped at 100.
        self.assertEqual(
            self.amounts(10000, 200, 120), {"base": 5000, "completion": 3500, "work": 1500, "over_plan": 1750}
        )

    def test_run_reads_scorecards(self):
        self.generate()
        for line in self.card(self.r1).rubric_line_ids:
            line.rubric_score = line.points * 0.5  # daily-work score 50
        run, result = self.run_month()
        self.assertEqual(result["members"], 6)
        # UM: completion 90 (manual) on 20,000: 10,000 + 20,000 x 35 % x 90 % + 0 (no daily work).
        um = {line.line_type: line.amount for line in self.lines(run, self.um)}
        self.assertEqual(um, {"base": 10000, "completion": 6300, "work": 0})
        # UM2: completion 70, below the 80 % gate.
        self.assertEqual(self.lines(run, self.um2, "completion").amount, 0)
        self.assertIn("below the gate", self.lines(run, self.um2, "completion").name)
        # R1 (no completion line: 0 %): base 5,000 + work 10,000 x 15 % x 50 %.
        self.assertEqual(self.lines(run, self.r1, "work").amount, 750)
        self.assertEqual(self.lines(run, self.r1, "base").amount, 5000)

    def test_rerun_is_idempotent(self):
        self.generate()
        self._values(self.r1, date(2026, 3, 1), 5, 65000)
        run, first = self.run_month()
        before = sorted((line.user_id.id, line.line_type, line.rule_id.id, line.amount) for line in run.line_ids)
        run2, second = self.run_month()
        self.assertEqual(run2, run)
        self.assertEqual(first, second)
        after = sorted((line.user_id.id, line.line_type, line.rule_id.id, line.amount) for line in run.line_ids)
        self.assertEqual(before, after)
        self.assertEqual(self.env["sales.pay.run"].search_count([("month", "=", "2026-03-01")]), 1)

    def test_missing_standard_pay(self):
        self.generate()
        self.std_lead.unlink()
        with self.assertRaisesRegex(UserError, "Standard Pay: sc_t_um .*has no standard pay effective in 2026-03"):
            self.run_month()
        self.assertFalse(self.env["sales.pay.run"].search([("month", "=", "2026-03-01")]))


@tagged("post_install", "-at_install")
class TestSalesPayRules(SalesPayCommon):
    def apply(self, code, days=None, values=None, complaints=None):
        rule = self.rules[code]
        result = self.env["sales.pay.run"]._pay_apply_rule(rule, self.r1.id, values or {}, days or {}, complaints or {})
        if not result:
            return None
        occurrences, _value, _value2, detail = result
        amount, escalated = rule._pay_result(occurrences)
        return amount, escalated, detail

    def test_calls_boundary(self):
        day = date(2026, 3, 2)
        self.assertIsNone(self.apply("calls", {day: {"calls": 30, "call_minutes": 50}}))
        amount, _esc, detail = self.apply("calls", {day: {"calls": 29, "call_minutes": 80}})
        self.assertEqual(amount, -50)
        self.assertIn("2026-03-02", detail)
        self.assertEqual(self.apply("calls", {day: {"calls": 40, "call_minutes": 49}})[0], -50)
        two = {day: {"calls": 0, "call_minutes": 0}, date(2026, 3, 3): {"calls": 29, "call_minutes": 49}}
        self.assertEqual(self.apply("calls", two)[0], -100)

    def test_lateness_escalation(self):
        late = {"lateness": 1}
        days = {date(2026, 3, d): dict(late) for d in (2, 3)}
        self.assertEqual(self.apply("lateness", days)[:2], (-60, False))
        days[date(2026, 3, 4)] = dict(late)
        self.assertEqual(self.apply("lateness", days)[:2], (-150, True))
        # Late and early on one day: two occurrences.
        self.assertEqual(self.apply("lateness", {date(2026, 3, 2): {"lateness": 2}})[0], -60)
        self.assertIsNone(self.apply("lateness", {date(2026, 3, 2): {"lateness": 0}}))

    def test_units_premium(self):
        def values(units, premium):
            return {(self.kpi_units.id, self.r1.id): units, (self.kpi_premium.id, self.r1.id): premium}

        self.assertIsNone(self.apply("units_premium", values=values(10, 30000)))
        self.assertEqual(self.apply("units_premium", values=values(9, 30000))[0], -200)
        self.assertEqual(self.apply("units_premium", values=values(10, 29999.99))[0], -200)
        self.assertIsNone(self.apply("premium_bonus", values=values(10, 30000)))
        self.assertIsNone(self.apply("premium_bonus", values=values(10, 59999.99)))
        self.assertEqual(self.apply("premium_bonus", values=values(10, 60000))[0], 200)
        self.assertEqual(self.apply("premium_bonus", values=values(10, 95000))[0], 400)

    def test_language_complaint(self):
        self.assertIsNone(self.apply("language", complaints={(self.r1.id, "improper_language"): 0}))
        self.assertEqual(self.apply("language", complaints={(self.r1.id, "improper_language"): 2})[0], -200)

    def test_daily_figures_from_records(self):
        """The daily rules read the calls of sales.visit per day (and Monday to
        Friday as working days without an employee)."""
        partner = self.env["res.partner"].create({"name": "Pay customer"})
        Visit = self.env["sales.visit"].with_context(tracking_disable=True)
        Visit.create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": self.r1.id,
                    "visit_type": "call",
                    "planned_date": datetime(2026, 3, 2, 3, 0),
                    "done_date": datetime(2026, 3, 2, 3, minute),
                    "duration": 2,
                }
                for minute in range(29)
            ]
        )
        Run = self.env["sales.pay.run"]
        daily = Run._pay_daily_figures(self.company, [self.r1.id], date(2026, 3, 1), date(2026, 3, 31))
        self.assertEqual(len(daily[self.r1.id]), 22)
        self.assertEqual(daily[self.r1.id][date(2026, 3, 2)], {"calls": 29, "call_minutes": 58, "lateness": 0})
        self.generate()
        run, _result = self.run_month()
        calls = self.lines(run, self.r1).filtered(lambda line: line.rule_id == self.rules["calls"])
        self.assertEqual(calls.amount, -50 * 22)
        self.assertEqual(calls.occurrences, 22)
        # Rules of the REP role only.
        self.assertFalse(self.lines(run, self.um).filtered("rule_id"))


@tagged("post_install", "-at_install")
class TestSalesPayRun(SalesPayCommon):
    def test_review_snapshot_and_correction(self):
        self.generate()
        self._values(self.r1, date(2026, 3, 1), 12, 60000)
        run, _result = self.run_month()
        bonus = self.lines(run, self.r1, "bonus")
        self.assertEqual((bonus.amount, bonus.basis_value), (200, 60000))
        with self.assertRaisesRegex(UserError, "not locked yet"):
            run.with_user(self.payroll).action_submit()
        self.lock()
        run.with_user(self.payroll).action_submit()
        with self.assertRaises(AccessError):
            run.with_user(self.payroll).action_approval_approve()
        run.with_user(self.hr).action_approval_approve()
        self.assertEqual(run.state, "approved")
        snapshot = sorted((line.id, line.amount) for line in run.line_ids)
        # The engine's lock: the snapshot date its hook wrote, then nothing, superuser included.
        self.assertTrue(run.approved_date)
        locked = re.escape(f"{run.display_name} is approved: it is a snapshot and never changes; a correction goes")
        for writer in (run.with_user(self.payroll), run.sudo()):
            with self.assertRaisesRegex(UserError, locked):
                writer.write({"note": "later"})
        with self.assertRaisesRegex(UserError, locked):
            run.sudo().unlink()
        run.with_user(self.payroll).message_post(body="Sent to the bank.")
        with self.assertRaisesRegex(UserError, "snapshot"):
            self.run_month()
        with self.assertRaises(UserError):
            run.line_ids[0].sudo().write({"amount": 1})
        # A refund reaches March after the lock: premium 59,999 -> no bonus.
        self._values(self.r1, date(2026, 3, 1), 12, 59999)
        self.generate("2026-04")
        april, result = self.run_month("2026-04")
        corrections = april.line_ids.filtered(lambda line: line.line_type == "correction")
        self.assertEqual(len(corrections), 1)
        self.assertRecordValues(
            corrections,
            [
                {
                    "user_id": self.r1.id,
                    "amount": -200,
                    "correction_month": date(2026, 3, 1),
                    "correction_run_id": run.id,
                    "correction_type": "bonus",
                    "rule_id": self.rules["premium_bonus"].id,
                }
            ],
        )
        self.assertEqual(result["corrections"], 1)
        self.assertEqual(sorted((line.id, line.amount) for line in run.line_ids), snapshot)
        # Computed again: still one correction, not two.
        april2, _result = self.run_month("2026-04")
        self.assertEqual(len(april2.line_ids.filtered(lambda line: line.line_type == "correction")), 1)

    def test_only_hr_and_payroll_compute(self):
        self.generate()
        with self.assertRaises(AccessError):
            self.run_month(user=self.r1)
        with self.assertRaises(AccessError):
            self.run_month(user=self.planner)

    def test_rep_reads_own_lines(self):
        self.generate()
        run, _result = self.run_month()
        Line = self.env["sales.pay.line"]
        own = Line.with_user(self.r1).search([])
        self.assertTrue(own)
        self.assertEqual(own.user_id, self.r1)
        # A leader reads his own lines only, never his members' ...
        leader = Line.with_user(self.um).search([])
        self.assertEqual(leader.user_id, self.um)
        with self.assertRaises(AccessError):
            self.lines(run, self.r2).with_user(self.r1).read(["amount"])
        with self.assertRaises(AccessError):
            self.lines(run, self.r2).with_user(self.um).read(["amount"])
        # ... but the totals of the teams he leads and of those below them.
        Totals = self.env["sales.pay.team.report"]
        unit_lines = self.lines(run, self.r1) | self.lines(run, self.r2) | self.lines(run, self.r3)
        rows = Totals.with_user(self.um).search([("run_id", "=", run.id)])
        self.assertEqual(rows.team_id, self.unit)
        self.assertAlmostEqual(sum(rows.mapped("amount")), sum(unit_lines.mapped("amount")), places=2)
        self.assertEqual(sum(rows.mapped("line_count")), len(unit_lines))
        base = rows.filtered(lambda row: row.line_type == "base")
        self.assertEqual(base.member_count, 3)
        self.assertAlmostEqual(base.amount, 3 * 5000.0, places=2)  # 50 % of 10,000 each
        # The market's leader reads the market (his leaders' pay) and both units.
        market_rows = Totals.with_user(self.mm).search([("run_id", "=", run.id)])
        self.assertEqual(market_rows.team_id, self.market | self.unit | self.unit_v)
        # Another unit's leader reads nothing of unit U; a rep no totals at all.
        self.assertFalse(Totals.with_user(self.um2).search([("team_id", "=", self.unit.id)]))
        with self.assertRaises(AccessError):
            Totals.with_user(self.r1).search([])
        with self.assertRaises(UserError):
            own[0].with_user(self.r1).write({"amount": 1})

    def test_query_count_independent_of_members(self):
        self.generate()
        Run = self.env["sales.pay.run"].sudo()
        month = date(2026, 3, 1)
        Run._pay_compute(self.company, month)  # warm the caches

        def queries():
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            vals = Run._pay_compute(self.company, month)
            return self.cr.sql_log_count - before, vals

        # one query per KPI the rules read (the demo's rules add theirs), none per member
        few, _vals = queries()
        self.assertLessEqual(few, 30)
        self.env["crm.team.member"].create(
            [
                {
                    "crm_team_id": self.unit.id,
                    "user_id": self.env["res.users"].create({"name": f"Pay extra {i}", "login": f"pay_extra_{i}"}).id,
                    "role_id": self.role_rep.id,
                    "date_start": date(2026, 1, 1),
                }
                for i in range(5)
            ]
        )
        self.generate()
        Run._pay_compute(self.company, month)
        more, vals = queries()
        self.assertEqual(more, few, "the same queries for 11 members as for 6")
        self.assertEqual(len({v["member_id"] for v in vals}), 11)

    def test_export(self):
        self.generate()
        run, _result = self.run_month()
        export = run.with_user(self.payroll).export_payroll("csv")
        text = base64.b64decode(export["content"]).decode("utf-8-sig")
        self.assertIn("sc_t_um,", text)
        self.assertIn("16300.0", text)  # UM total: 10,000 + 6,300
        xlsx = run.with_user(self.payroll).export_payroll("xlsx")
        self.assertTrue(base64.b64decode(xlsx["content"]).startswith(b"PK"))
        with self.assertRaisesRegex(UserError, "Format"):
            run.with_user(self.payroll).export_payroll("pdf")

    def test_statement_pdf(self):
        self.generate()
        run, _result = self.run_month()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sales_kpi.report_sales_pay_statement", self.lines(run, self.um).ids)[0]
            .decode()
        )
        self.assertIn("Pay Statement", html)
        self.assertIn("16,300.00", html.replace("\xa0", " "))

    def test_statement_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "sales_kpi")])._update_translations(["zh_CN"])
        self.um.lang = "zh_CN"
        self.generate()
        run, _result = self.run_month()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sales_kpi.report_sales_pay_statement", self.lines(run, self.um).ids)[0]
            .decode()
        )
        self.assertIn("工资单", html)
        self.assertIn("底薪", html)
        self.assertIn("计划完成率考核工资", html)


@tagged("post_install", "-at_install")
class TestSalesPayBadInput(SalesPayCommon):
    def test_negative_standard_pay(self):
        count = self.env["sales.pay.standard"].search_count([])
        with self.assertRaises(ValidationError) as catcher:
            self.env["sales.pay.standard"].create(
                {"member_id": self.member[self.r1].id, "amount": -1, "date_from": date(2026, 1, 1)}
            )
        self.assertIn("Standard Pay: -1 is negative", str(catcher.exception))
        self.assertEqual(self.env["sales.pay.standard"].search_count([]), count)

    def test_overlapping_dates(self):
        Standard = self.env["sales.pay.standard"]
        count = Standard.search_count([])
        with self.assertRaises(ValidationError) as catcher:
            Standard.create({"role_id": self.role_rep.id, "amount": 12000, "date_from": date(2026, 6, 1)})
        self.assertRegex(str(catcher.exception), "Effective From: .*overlaps")
        self.assertEqual(Standard.search_count([]), count)
        self.std_rep.date_to = date(2026, 5, 31)
        Standard.create({"role_id": self.role_rep.id, "amount": 12000, "date_from": date(2026, 6, 1)})
        with self.assertRaises(ValidationError):
            self.std_rep.date_to = False
        self.assertEqual(self.std_rep.date_to, date(2026, 5, 31))

    def test_rule_unknown_kpi(self):
        Rule = self.env["sales.incentive.rule"]
        count = Rule.search_count([])
        with self.assertRaises(ValidationError) as catcher:
            Rule.create({"name": "x", "measure": "kpi", "amount": -10})
        self.assertIn("KPI: the rule x compares a KPI value", str(catcher.exception))
        with self.assertRaises(ValidationError):
            Rule.with_user(self.hr).create({"name": "x", "measure": "kpi", "kpi_id": 999999, "amount": -10})
        with self.assertRaises(ValidationError) as catcher:
            Rule.create({"name": "x", "period": "day", "measure": "kpi", "kpi_id": self.kpi_units.id, "amount": -1})
        self.assertIn("daily rule", str(catcher.exception))
        with self.assertRaises(ValidationError) as catcher:
            Rule.create({"name": "x", "measure": "calls", "amount_type": "per_step", "amount": 1})
        self.assertIn("Step:", str(catcher.exception))
        self.assertEqual(Rule.search_count([]), count)


@tagged("post_install", "-at_install")
class TestSalesPayRefund(SalesPayCommon):
    """A real credit note into an approved month (premium = invoiced revenue)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi_invoiced = cls.env["sales.kpi"].create(
            {"code": "PAYINV", "name": "Premium invoiced", "source": "invoiced", "unit": "amount"}
        )
        cls.rules["premium_bonus"].kpi_id = cls.kpi_invoiced
        cls.rules["units_premium"].unlink()
        cls.product = cls.env["product.product"].create(
            {"name": "Pay policy", "type": "service", "list_price": 1.0, "taxes_id": False}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Pay insured", "is_company": True})

    def invoice(self, move_type, when, amount):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.customer.id,
                "invoice_user_id": self.r1.id,
                "team_id": self.unit.id,
                "invoice_date": when,
                "date": when,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "quantity": 1, "price_unit": amount, "tax_ids": False}
                    )
                ],
            }
        )
        move.action_post()
        self.env["sales.kpi.fact"].rebuild("2026-03-01", "2026-04-30")
        return move

    def test_refund_after_lock(self):
        self.invoice("out_invoice", date(2026, 3, 10), 60000)
        self.generate()
        march, _result = self.run_month()
        self.assertEqual(self.lines(march, self.r1, "bonus").amount, 200)
        self.lock()
        march.with_user(self.payroll).action_submit()
        march.with_user(self.hr).action_approval_approve()
        snapshot = sorted((line.id, line.amount, line.basis_value) for line in march.line_ids)
        self.invoice("out_refund", date(2026, 3, 25), 1)
        self.generate("2026-04")
        april, _result = self.run_month("2026-04")
        corrections = april.line_ids.filtered(lambda line: line.line_type == "correction")
        self.assertRecordValues(
            corrections,
            [{"user_id": self.r1.id, "amount": -200, "correction_month": date(2026, 3, 1), "basis_value": 0}],
        )
        self.assertIn("Correction of 2026-03", corrections.name)
        self.assertEqual(sorted((line.id, line.amount, line.basis_value) for line in march.line_ids), snapshot)
        self.assertEqual(march.state, "approved")
