# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditAging(OsbCreditCommon):
    def _aging(self, invoice, tz):
        # Each request reads afresh (the buckets depend on the reader's today).
        self.env.invalidate_all()
        Aging = self.env["osb.credit.aging"].with_context(tz=tz)
        return Aging.search_read(
            [("move_id", "=", invoice.id)],
            ["days_overdue", "amount_not_due", "amount_0_30", "residual"],
        )

    @freeze_time("2026-12-01 20:00:00")
    def test_buckets_count_from_the_users_today(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": date(2026, 11, 1),
                "invoice_date_due": date(2026, 12, 1),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [(0, 0, {"name": "OSB", "quantity": 1, "price_unit": 700.0, "tax_ids": []})],
            }
        )
        invoice.action_post()
        # 20:00 UTC on 1 December is 04:00 on 2 December in Shanghai: one day overdue
        # there; in UTC, due today (not overdue).
        self.assertEqual(
            self._aging(invoice, "UTC"),
            [
                {
                    "id": invoice.line_ids.filtered("date_maturity").id,
                    "days_overdue": 0,
                    "amount_not_due": 700.0,
                    "amount_0_30": 0.0,
                    "residual": 700.0,
                }
            ],
        )
        [shanghai] = self._aging(invoice, "Asia/Shanghai")
        self.assertEqual(
            (shanghai["days_overdue"], shanghai["amount_not_due"], shanghai["amount_0_30"]), (1, 0.0, 700.0)
        )
