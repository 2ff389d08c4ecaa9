# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class SalesKpiCommon(BaseCommon):
    """A small, fully hand-computable dataset (see the docstring of each
    fixture) in two companies, over 2024 and 2025.

    Team tree of company A: Top -> North -> (East, West), Top -> South.
    Members: u1, u2 in East; u3 in West; u4 in South.

    Confirmed orders (company A, untaxed, company currency):
      O1 u1/East C1 2024-03-10: P1 10 x 90 = 900 (list 1,000)
      O2 u1/East C1 2025-03-05: P1 5 x 100 + P2 4 x 40 = 660 (list 700)
      O3 u2/East C2 2025-03-20: P2 10 x 50 = 500 (list 500), C2's first order
      O4 u3/West C3 2024-05-15: P1 2 x 100 = 200 (list 200), C3 never orders again
      O5 u1/East C4 2025-03-12: P1 1 x 200 EUR at 2 EUR per unit = 100 (list 100)
    Company B: u1 orders 3 x 1,000 in 2025-03 (must never show in company A).
    A draft order of u1 in 2025-03 (ignored).

    Invoices (company A, no taxes), all u1/East/C1:
      I0 2025-02-10: P2 2 x 50 = 100 (open)
      I1 2025-03-10: P1 5 x 100 = 500, paid 300 on 2025-03-28 (partial)
      R1 2025-03-25: credit note P1 1 x 100 = 100
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "KPI Company B"})
        cls.env.user.company_ids = [Command.link(cls.company_b.id)]
        cls.currency = cls.company_a.currency_id
        cls.eur = cls._get_foreign_currency()
        cls.env["res.currency.rate"].create(
            {"name": date(2024, 1, 1), "rate": 2.0, "currency_id": cls.eur.id, "company_id": cls.company_a.id}
        )
        cls.pricelist_eur = cls.env["product.pricelist"].create(
            {"name": "KPI EUR", "currency_id": cls.eur.id, "company_id": cls.company_a.id}
        )
        groups = "sales_team.group_sale_salesman,sales_kpi.group_sales_kpi_user"
        cls.u1 = new_test_user(
            cls.env, login="kpi_t_u1", groups=groups, company_ids=[Command.set([cls.company_a.id, cls.company_b.id])]
        )
        cls.u2 = new_test_user(cls.env, login="kpi_t_u2", groups=groups)
        cls.u3 = new_test_user(cls.env, login="kpi_t_u3", groups=groups)
        cls.u4 = new_test_user(cls.env, login="kpi_t_u4", groups=groups)
        cls.kpi_manager = new_test_user(
            cls.env, login="kpi_t_manager", groups="sales_team.group_sale_salesman,sales_kpi.group_sales_kpi_manager"
        )
        Team = cls.env["crm.team"]
        cls.top = Team.create({"name": "KPI Top", "company_id": cls.company_a.id})
        cls.north = Team.create({"name": "KPI North", "parent_id": cls.top.id, "company_id": cls.company_a.id})
        cls.south = Team.create({"name": "KPI South", "parent_id": cls.top.id, "company_id": cls.company_a.id})
        cls.east = Team.create({"name": "KPI East", "parent_id": cls.north.id, "company_id": cls.company_a.id})
        cls.west = Team.create({"name": "KPI West", "parent_id": cls.north.id, "company_id": cls.company_a.id})
        cls.team_b = Team.create({"name": "KPI B Team", "company_id": cls.company_b.id})
        cls.role_rep = cls.env["sales.role"].create({"name": "KPI Rep", "code": "KPIREP", "unlimited_authority": True})
        cls.role_csr = cls.env["sales.role"].create({"name": "KPI CSR", "code": "KPICSR", "unlimited_authority": True})
        Member = cls.env["crm.team.member"]
        cls.members = Member.create(
            [
                {
                    "crm_team_id": team.id,
                    "user_id": user.id,
                    "date_start": date(2024, 1, 1),
                    "role_id": role.id,
                }
                for team, user, role in (
                    (cls.east, cls.u1, cls.role_rep),
                    (cls.east, cls.u2, cls.role_rep),
                    (cls.west, cls.u3, cls.role_rep),
                    (cls.south, cls.u4, cls.role_csr),
                )
            ]
        )
        categ = cls.env["product.category"]
        cls.categ1 = categ.create({"name": "KPI Cat 1"})
        cls.categ2 = categ.create({"name": "KPI Cat 2"})
        cls.p1 = cls.env["product.product"].create(
            {"name": "KPI P1", "type": "service", "list_price": 100.0, "categ_id": cls.categ1.id, "taxes_id": False}
        )
        cls.p2 = cls.env["product.product"].create(
            {"name": "KPI P2", "type": "service", "list_price": 50.0, "categ_id": cls.categ2.id, "taxes_id": False}
        )
        Partner = cls.env["res.partner"]
        cls.c1 = Partner.create({"name": "KPI C1", "is_company": True})
        cls.c1_contact = Partner.create({"name": "KPI C1 buyer", "parent_id": cls.c1.id})
        cls.c2 = Partner.create({"name": "KPI C2", "is_company": True})
        cls.c3 = Partner.create({"name": "KPI C3", "is_company": True})
        cls.c4 = Partner.create({"name": "KPI C4", "is_company": True})
        cls._order(cls.u1, cls.east, cls.c1_contact, datetime(2024, 3, 10, 10), [(cls.p1, 10, 90)])
        cls._order(cls.u1, cls.east, cls.c1, datetime(2025, 3, 5, 10), [(cls.p1, 5, 100), (cls.p2, 4, 40)])
        cls._order(cls.u2, cls.east, cls.c2, datetime(2025, 3, 20, 10), [(cls.p2, 10, 50)])
        cls._order(cls.u3, cls.west, cls.c3, datetime(2024, 5, 15, 10), [(cls.p1, 2, 100)])
        cls._order(cls.u1, cls.east, cls.c4, datetime(2025, 3, 12, 10), [(cls.p1, 1, 200)], pricelist=cls.pricelist_eur)
        cls._order(cls.u1, cls.team_b, cls.c1, datetime(2025, 3, 7, 10), [(cls.p1, 3, 1000)], company=cls.company_b)
        cls._order(cls.u1, cls.east, cls.c1, datetime(2025, 3, 8, 10), [(cls.p1, 50, 100)], state="draft")
        cls.i0 = cls._invoice("out_invoice", date(2025, 2, 10), [(cls.p2, 2, 50)])
        cls.i1 = cls._invoice("out_invoice", date(2025, 3, 10), [(cls.p1, 5, 100)])
        cls.r1 = cls._invoice("out_refund", date(2025, 3, 25), [(cls.p1, 1, 100)])
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=cls.i1.ids).create(
            {"amount": 300.0, "payment_date": date(2025, 3, 28)}
        )._create_payments()
        cls.env["sales.kpi.fact"].rebuild("2024-01-01", "2025-12-31")
        Kpi = cls.env["sales.kpi"]
        cls.kpis = {}
        for source, unit in (
            ("sales", "amount"),
            ("invoiced", "amount"),
            ("units", "quantity"),
            ("orders", "count"),
            ("price_maintenance", "percent"),
            ("collection_rate", "percent"),
            ("new_customers", "count"),
            ("lost_customers", "count"),
            ("retention", "percent"),
        ):
            cls.kpis[source] = Kpi.create(
                {"code": f"KPIT_{source.upper()}", "name": source, "source": source, "unit": unit}
            )
        cls.kpis["growth"] = Kpi.create(
            {
                "code": "KPIT_GROWTH",
                "name": "growth",
                "source": "growth",
                "unit": "percent",
                "base_kpi_id": cls.kpis["sales"].id,
            }
        )

    @classmethod
    def _get_foreign_currency(cls):
        eur = cls.env.ref("base.EUR")
        if eur == cls.company_a.currency_id:
            eur = cls.env.ref("base.USD")
        eur.active = True
        return eur

    @classmethod
    def _order(cls, user, team, partner, when, lines, pricelist=None, company=None, state="sale"):
        company = company or cls.company_a
        vals = {
            "partner_id": partner.id,
            "user_id": user.id,
            "team_id": team.id,
            "company_id": company.id,
            "date_order": when,
            "state": state,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": price, "tax_id": False})
                for product, qty, price in lines
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        return cls.env["sale.order"].with_company(company).create(vals)

    @classmethod
    def _invoice(cls, move_type, invoice_date, lines, user=None, partner=None):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.c1).id,
                "invoice_user_id": (user or cls.u1).id,
                "team_id": cls.east.id,
                "invoice_date": invoice_date,
                "date": invoice_date,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": qty, "price_unit": price, "tax_ids": False})
                    for product, qty, price in lines
                ],
            }
        )
        move.action_post()
        return move

    def values(self, kpi, owner_type, owners, periods):
        result = kpi.compute_values(owner_type, [o.id for o in owners], periods)
        return {(row["owner_id"], row["period"]): row["value"] for row in result}
