"""The runnable XML-RPC quota example of docs/osb_credit.md works against the real
(prefork) server, run by an SSG leader."""

import uuid

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env, run_docs_example

LOGIN = "osb_quota_docs_ssg"


def test_quota_docs_example_runs(odoo_prefork_server):
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        if not env["res.users"].search([("login", "=", LOGIN)]):
            new_test_user(
                env,
                login=LOGIN,
                groups="osb_credit.group_osb_ssg_leader,sales_team.group_sale_salesman_all_leads",
                name="Quota Docs SSG Leader",
            )
        team = env["crm.team"].create({"name": f"Quota Docs Market {tag}", "team_type": "market"})
        other = env["crm.team"].create({"name": f"Quota Docs Other {tag}", "team_type": "market"})
        customer = env["res.partner"].create({"name": f"Quota Docs Customer {tag}", "is_company": True})
        product = env["product.product"].create(
            {"name": f"Quota docs scarce {tag}", "type": "consu", "list_price": 5.0, "taxes_id": [Command.clear()]}
        )
        ids = {"team": team.id, "other": other.id, "customer": customer.id, "product": product.id}
    proc = run_docs_example(
        "osb_credit.md",
        odoo_prefork_server,
        LOGIN,
        fence="python quota",
        QUOTA_TEAM_ID=ids["team"],
        QUOTA_OTHER_TEAM_ID=ids["other"],
        QUOTA_CUSTOMER_ID=ids["customer"],
        QUOTA_PRODUCT_ID=ids["product"],
    )
    out = proc.stdout
    assert "availability: {'id': " in out and "'allocated': 10.0, 'used': 0.0, 'available': 10.0" in out
    assert "held: True draft" in out
    assert "exceeds its quota:" in out
    assert "allocated 10.00, used 0.00, requested 12.00, available 10.00." in out
    assert "after transfer: sale" in out and "'allocated': 12.0, 'used': 12.0, 'available': 0.0" in out
    assert "second held: True" in out
    assert "released by Quota Docs SSG Leader for 1.0" in out
    assert "second after release: sale" in out
    assert f"team Quota Docs Market {tag} allocated 12.0 used 13.0" in out
    assert f"team Quota Docs Other {tag} allocated 8.0 used 0.0" in out
