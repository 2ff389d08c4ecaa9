"""Two companies, over XML-RPC against the prefork server: a user allowed in
both sees the records of each company in that company's context only, and both
when both are selected; a user of company B only sees none of company A's.

One record per model and company, for every model of the three addons that
belongs to a company and that an integration reads (MODELS); a model added to
the addons joins by adding a builder."""

import uuid
from datetime import date

import pytest

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env, new_api_user

GROUPS = (
    "sales_team.group_sale_salesman_all_leads,sales_team.group_sale_manager,"
    "sales_team_mgmt.group_sales_team_mgmt_manager,osb_credit.group_osb_credit_manager,"
    "sales_kpi.group_sales_kpi_manager,sales_kpi.group_sales_kpi_payroll"
)


def _team(env, d):
    return env["crm.team"].create({"name": f"2C team {d['tag']}", "team_type": "market", "company_id": env.company.id})


def _customer(env, d):
    return env["res.partner"].create({"name": f"2C customer {d['tag']}", "is_company": True})


def _role(env, d):
    return env["sales.role"].create({"name": "2C role", "code": f"2C-{uuid.uuid4().hex[:6]}"})


def _customer_class(env, d):
    return env["sales.customer.class"].create({"name": "2C class", "code": f"2C-{uuid.uuid4().hex[:6]}"})


def _complaint(env, d):
    return env["sales.complaint"].create(
        {"partner_id": d["customer"].id, "category": "quality", "description": "2C", "user_id": d["user"].id}
    )


def _visit(env, d):
    return env["sales.visit"].create({"partner_id": d["customer"].id, "user_id": d["user"].id})


def _expense(env, d):
    return env["sales.expense"].create({"amount": 10.0, "description": "2C", "user_id": d["user"].id})


def _work_report(env, d):
    return env["sales.work.report"].create(
        {"user_id": d["user"].id, "report_type": "monthly", "date": date(2041, 1, 1)}
    )


def _rubric(env, d):
    return env["sales.work.report.rubric"].create(
        {"name": "2C rubric", "report_type": "weekly", "company_id": env.company.id}
    )


def _kpi(env, d):
    return env["sales.kpi"].create({"code": f"K2C_{uuid.uuid4().hex[:6]}", "name": "2C KPI", "source": "manual"})


def _plan(env, d):
    return env["sales.kpi.target.plan"].create(
        {"name": "2C plan", "kpi_id": _kpi(env, d).id, "fiscal_year": 2041, "root_value": 10.0}
    )


def _order(env, d):
    return env["sale.order"].create({"partner_id": d["customer"].id, "user_id": d["user"].id})


def _adjustment(env, d):
    return env["osb.credit.adjustment"].create({"partner_id": d["customer"].id, "amount": 100.0, "reason": "2C"})


def _issue(env, d):
    return env["osb.issue"].create(
        {"title": "2C", "department_id": env.ref("osb_credit.osb_issue_department_sales").id, "owner_id": d["user"].id}
    )


def _issue_department(env, d):
    return env["osb.issue.department"].create({"name": f"2C department {d['tag']}", "company_id": env.company.id})


def _order_step(env, d):
    # the timeline row that the order's creation stamps
    order = env["sale.order"].create({"partner_id": d["customer"].id, "user_id": d["user"].id})
    return order.osb_step_ids.filtered(lambda row: row.step_id.code == "op_received")


def _quota(env, d, quantity=5.0):
    product = d.get("quota_product") or env["product.product"].create({"name": f"2C scarce {d['tag']}"})
    d["quota_product"] = product
    return env["osb.quota"].create(
        {
            "holder_type": "team",
            "holder_team_id": _team(env, d).id,
            "product_id": product.id,
            "date_from": date(2041, 1, 1),
            "date_to": date(2041, 1, 31),
            "quantity": quantity,
        }
    )


def _pop_budget(env, d, amount=100.0):
    return env["osb.pop.budget"].create(
        {
            "holder_type": "team",
            "holder_team_id": _team(env, d).id,
            "date_from": date(2041, 1, 1),
            "date_to": date(2041, 1, 31),
            "amount": amount,
        }
    )


def _pop_budget_transfer(env, d):
    return env["osb.pop.budget.transfer"].create(
        {
            "from_budget_id": _pop_budget(env, d).id,
            "to_budget_id": _pop_budget(env, d).id,
            "amount": 1.0,
            "reason": "2C",
        }
    )


def _pop_issue(env, d):
    # requested: the company's POP Issues operation type (created for company B) delivers it
    product = env["product.product"].create({"name": f"2C POP {d['tag']}", "osb_pop": True, "standard_price": 1.0})
    issue = env["osb.pop.issue"].create(
        {
            "holder_type": "customer",
            "partner_id": d["customer"].id,
            "user_id": d["user"].id,
            "line_ids": [Command.create({"product_id": product.id, "quantity": 2.0})],
        }
    )
    issue.action_request()
    assert issue.picking_id.picking_type_id.company_id == env.company, issue.picking_id.picking_type_id
    return issue


def _pop_issue_line(env, d):
    return _pop_issue(env, d).line_ids


def _scorecard_template(env, d):
    # attendance only, with one rubric item (not weighed)
    return env["sales.scorecard.template"].create(
        {
            "name": "2C template",
            "role_id": _role(env, d).id,
            "daily_work_weight": 0,
            "attendance_weight": 100,
            "line_ids": [Command.create({"line_type": "rubric", "name": "2C item", "points": 5.0})],
        }
    )


def _quota_transfer(env, d):
    return env["osb.quota.transfer"].create(
        {"from_quota_id": _quota(env, d).id, "to_quota_id": _quota(env, d).id, "quantity": 1.0, "reason": "2C"}
    )


def _scorecard_template_line(env, d):
    return _scorecard_template(env, d).line_ids


def _scorecard(env, d):
    template = _scorecard_template(env, d)
    # a member of its own: a membership would change the sales team of d["user"]
    user = new_test_user(
        env,
        login=f"2c_{d['tag']}_{uuid.uuid4().hex[:4]}",
        groups="sales_team.group_sale_salesman",
        company_id=env.company.id,
        company_ids=[Command.set(env.company.ids)],
    )
    member = env["crm.team.member"].create(
        {"crm_team_id": _team(env, d).id, "user_id": user.id, "role_id": template.role_id.id}
    )
    result = env["sales.scorecard"].sudo()._sales_generate(env.company, date(2041, 1, 1), members=member)
    return env["sales.scorecard"].browse(result["scorecard_ids"])


def _scorecard_line(env, d):
    return _scorecard(env, d).line_ids


def _pay_standard(env, d):
    return env["sales.pay.standard"].create(
        {"role_id": _role(env, d).id, "amount": 1000.0, "date_from": date(2041, 1, 1)}
    )


def _pay_formula(env, d):
    return env["sales.pay.formula"].create({"name": f"2C pay {d['tag']}", "role_id": _role(env, d).id})


def _incentive_rule(env, d):
    return env["sales.incentive.rule"].create({"name": f"2C rule {d['tag']}", "measure": "calls", "amount": -1.0})


def _pay_run(env, d):
    """The pay run of 2042-01 of a member of its own (one run per company and month)."""
    if "pay_run" not in d:
        card = _scorecard(env, d)
        month = date(2042, 1, 1)
        card = env["sales.scorecard"].browse(
            env["sales.scorecard"].sudo()._sales_generate(env.company, month, members=card.member_id)["scorecard_ids"]
        )
        env["sales.pay.standard"].create(
            {"member_id": card.member_id.id, "amount": 1000.0, "date_from": month, "date_to": date(2042, 1, 31)}
        )
        d["pay_run"] = env["sales.pay.run"].sudo()._pay_run(env.company, month)
    return d["pay_run"]


def _pay_line(env, d):
    return _pay_run(env, d).line_ids[:1]


def _pay_team_report(env, d):
    line = _pay_line(env, d)
    return env["sales.pay.team.report"].search(
        [("run_id", "=", line.run_id.id), ("team_id", "=", line.team_id.id), ("line_type", "=", line.line_type)]
    )


def _rank(env, d):
    ladder = env["sales.rank.ladder"].create({"name": f"2C ladder {d['tag']} {uuid.uuid4().hex[:4]}"})
    return env["sales.rank"].create({"ladder_id": ladder.id, "code": "R1", "name": "2C rank"})


def _rank_ladder(env, d):
    return _rank(env, d).ladder_id


def _rank_history(env, d):
    return env["sales.rank.history"].create(
        {"user_id": d["user"].id, "rank_id": _rank(env, d).id, "date_start": date(2041, 1, 1)}
    )


def _promotion_proposal(env, d):
    history = _rank_history(env, d)
    higher = env["sales.rank"].create(
        {"ladder_id": history.ladder_id.id, "sequence": 20, "code": "R2", "name": "2C rank 2"}
    )
    return (
        env["sales.promotion.proposal"]
        .sudo()
        .create(
            {
                "user_id": d["user"].id,
                "ladder_id": history.ladder_id.id,
                "month": date(2041, 1, 1),
                "current_rank_id": history.rank_id.id,
                "target_rank_id": higher.id,
                "current_history_id": history.id,
                "effective_date": date(2041, 2, 1),
                "evidence_line_ids": [Command.create({"month": date(2041, 1, 1), "amount": 1.0})],
            }
        )
    )


def _promotion_evidence(env, d):
    return _promotion_proposal(env, d).evidence_line_ids


def _return(env, d):
    # a customer return of 1 unit on a delivered order of the company
    product = env["product.product"].create({"name": f"2C returned {d['tag']}", "type": "consu", "list_price": 1.0})
    order = env["sale.order"].create(
        {
            "partner_id": d["customer"].id,
            "user_id": d["user"].id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
        }
    )
    order.action_confirm()
    for move in order.picking_ids.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    order.picking_ids.with_context(skip_sms=True)._action_done()
    return env["osb.return"].create(
        {"order_id": order.id, "line_ids": [Command.create({"product_id": product.id, "quantity": 1})]}
    )


def _return_line(env, d):
    return _return(env, d).line_ids


MODELS = {
    "crm.team": _team,
    "sales.role": _role,
    "sales.customer.class": _customer_class,
    "sales.complaint": _complaint,
    "sales.visit": _visit,
    "sales.expense": _expense,
    "sales.work.report": _work_report,
    "sales.work.report.rubric": _rubric,
    "sales.kpi": _kpi,
    "sales.kpi.target.plan": _plan,
    "sale.order": _order,
    "osb.credit.adjustment": _adjustment,
    "osb.issue": _issue,
    "osb.issue.department": _issue_department,
    "osb.order.step": _order_step,
    "osb.quota": _quota,
    "osb.quota.transfer": _quota_transfer,
    "osb.pop.budget": _pop_budget,
    "osb.pop.budget.transfer": _pop_budget_transfer,
    "osb.pop.issue": _pop_issue,
    "osb.pop.issue.line": _pop_issue_line,
    "sales.scorecard.template": _scorecard_template,
    "sales.scorecard.template.line": _scorecard_template_line,
    "sales.scorecard": _scorecard,
    "sales.scorecard.line": _scorecard_line,
    "sales.pay.standard": _pay_standard,
    "sales.pay.formula": _pay_formula,
    "sales.incentive.rule": _incentive_rule,
    "sales.pay.run": _pay_run,
    "sales.pay.line": _pay_line,
    "sales.pay.team.report": _pay_team_report,
    "sales.rank.ladder": _rank_ladder,
    "sales.rank": _rank,
    "sales.rank.history": _rank_history,
    "sales.promotion.proposal": _promotion_proposal,
    "sales.promotion.evidence": _promotion_evidence,
    "osb.return": _return,
    "osb.return.line": _return_line,
}


@pytest.fixture(scope="module")
def two_companies(odoo_prefork_server):
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        company_a = env.ref("base.main_company")
        company_b = env["res.company"].create({"name": f"Two Companies B {tag}"})
        both, both_key = new_api_user(
            env,
            f"2c_{tag}_both",
            GROUPS,
            company_id=company_a.id,
            company_ids=[Command.set((company_a | company_b).ids)],
        )
        only_b, only_b_key = new_api_user(
            env, f"2c_{tag}_only_b", GROUPS, company_id=company_b.id, company_ids=[Command.set(company_b.ids)]
        )
        records = {}
        for company in (company_a, company_b):
            cenv = env(context={"allowed_company_ids": company.ids})
            data = {"tag": f"{tag}-{company.id}", "user": both}
            data["customer"] = _customer(cenv, data)
            for model, build in MODELS.items():
                record = build(cenv, data)
                assert record.company_id == company, (model, record.company_id.name)
                records[(model, company.id)] = record.id
        a_id, b_id = company_a.id, company_b.id
    return {
        "a": a_id,
        "b": b_id,
        "records": records,
        "both": odoo_prefork_server.client(f"2c_{tag}_both", both_key),
        "only_b": odoo_prefork_server.client(f"2c_{tag}_only_b", only_b_key),
    }


@pytest.mark.parametrize("model", sorted(MODELS))
def test_each_company_sees_its_own(two_companies, model):
    a, b, records = two_companies["a"], two_companies["b"], two_companies["records"]
    ids = [records[(model, a)], records[(model, b)]]

    def seen(client, companies):
        context = {"allowed_company_ids": companies}
        found = client.call(model, "search", [("id", "in", ids)], context=context)
        read = client.call(model, "read", found, ["company_id"], context=context)
        assert {row["company_id"][0] for row in read} <= set(companies), read
        return sorted(found)

    both = two_companies["both"]
    assert seen(both, [a]) == [records[(model, a)]]
    assert seen(both, [b]) == [records[(model, b)]]
    assert seen(both, [a, b]) == sorted(ids)
    assert seen(two_companies["only_b"], [b]) == [records[(model, b)]]
