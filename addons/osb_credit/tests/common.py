# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class OsbCreditCommon(AccountTestInvoicingCommon):
    """A company with a chart, credit policy, users and an OSB-ready customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # The test user configures credit: it is a credit manager.
        cls.env.user.groups_id += cls.env.ref("osb_credit.group_osb_credit_manager")
        cls.policy = cls.env["osb.credit.policy"]._get_policy(cls.company)
        cls.policy.enforce = True
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        groups_manager = "osb_credit.group_osb_credit_manager,sales_team.group_sale_salesman_all_leads"
        cls.credit_manager = new_test_user(
            cls.env, login="osb_t_credit_manager", groups=groups_manager, company_id=cls.company.id
        )
        cls.salesman = new_test_user(
            cls.env, login="osb_t_salesman", groups="sales_team.group_sale_salesman", company_id=cls.company.id
        )
        cls.slt_user = new_test_user(cls.env, login="osb_t_slt", groups="base.group_user", company_id=cls.company.id)
        cls.term_immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.tax_10 = cls.env["account.tax"].create(
            {"name": "OSB 10%", "amount": 10.0, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "OSB Service",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.goods = cls.env["product.product"].create(
            {
                "name": "OSB Goods",
                "type": "consu",
                "invoice_policy": "delivery",
                "list_price": 100.0,
                "taxes_id": [Command.set(cls.tax_10.ids)],
            }
        )
        cls.customer = cls._create_customer("OSB Customer", 10000.0)
        # Payments post a journal entry (outstanding receipts), so they touch receivables.
        method_line = cls.inbound_payment_method_line
        if not method_line.payment_account_id and not cls.company.account_journal_payment_debit_account_id:
            method_line.payment_account_id = cls.company_data["default_account_assets"]

    @classmethod
    def _create_customer(cls, name, limit, **vals):
        return cls.env["res.partner"].create(
            dict(
                {
                    "name": name,
                    "is_company": True,
                    "credit_limit": limit,
                    "property_payment_term_id": cls.term_immediate.id,
                    "user_id": cls.salesman.id,
                    "osb_slt_user_id": cls.slt_user.id,
                },
                **vals,
            )
        )

    @classmethod
    def _order(cls, partner, product=None, qty=1.0, price=None, **vals):
        product = product or cls.service
        line = {"product_id": product.id, "product_uom_qty": qty}
        if price is not None:
            line["price_unit"] = price
        return cls.env["sale.order"].create(
            dict({"partner_id": partner.id, "order_line": [Command.create(line)]}, **vals)
        )

    @classmethod
    def _invoice(cls, partner, amount, days_ago=0, due_days=0, post=True, company=None):
        """A customer invoice of ``amount`` (no tax) dated ``days_ago``, due ``due_days`` after."""
        date = cls.today - timedelta(days=days_ago)
        move = (
            cls.env["account.move"]
            .with_company(company or cls.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_date_due": date + timedelta(days=due_days),
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "OSB", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, date=None):
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": date or cls.today})
        )
        return wizard._create_payments()

    def _exposure(self, partner, company=None, orders=None):
        company = company or self.company
        return self.env["osb.credit.exposure"]._compute_exposure(partner.ids, company, orders=orders)[partner.id]
