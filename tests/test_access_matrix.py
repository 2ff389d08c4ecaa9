"""The access matrix of tests/access_matrix.py, asserted over XML-RPC against the
real prefork server with one real user per role, and the subtree a leader reads.

Every cell is one call: "allowed" must work, "refused" must be an access fault
(XML-RPC fault code 4, ``AccessError``), never a server error. The users, the
organisation and the records are made once for the session."""

import os
import subprocess
import sys
import uuid
import xmlrpc.client
from datetime import date, timedelta

import pytest
from access_matrix import MATRIX, OPERATIONS, ROLES

from odoo import Command
from odoo.tests import new_test_user

from conftest import ADDONS, ROOT, committed_env, new_api_user

ACCESS_FAULT = 4  # odoo.addons.base.controllers.rpc.RPC_FAULT_CODE_ACCESS_ERROR
WARNING_FAULT = 2  # UserError, ValidationError
NO_SUCH_ID = 2**31 - 1  # rows whose write or unlink no role may: the access rights refuse before the record


# --- the records each row acts on ------------------------------------------------
# model: (target(env, data) -> id or None for "first rows", write values(data),
#         create values(data, role), disposable(env, data) -> id for unlink)


def _order(env, data, user="rep", team="u"):
    return env["sale.order"].create(
        {
            "partner_id": data["customer_id"],
            "user_id": data[f"{user}_id"],
            "team_id": data[f"team_{team}_id"],
            "order_line": [Command.create({"product_id": data["product_id"], "tax_id": [Command.clear()]})],
        }
    )


def _invoice(env, data, user="rep", team="u"):
    return env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": data["customer_id"],
            "invoice_user_id": data[f"{user}_id"],
            "team_id": data[f"team_{team}_id"],
            "invoice_line_ids": [Command.create({"product_id": data["product_id"], "price_unit": 10.0})],
        }
    )


def _lead(env, data, user="rep", team="u"):
    return env["crm.lead"].create(
        {"name": f"Matrix lead {team}", "user_id": data[f"{user}_id"], "team_id": data[f"team_{team}_id"]}
    )


def _team(env, data):
    return env["crm.team"].create(
        {"name": "MX disposable", "parent_id": data["team_b_id"], "company_id": data["company_id"]}
    )


def _role(env, data):
    return env["sales.role"].create({"name": "Matrix role", "code": f"MX-{uuid.uuid4().hex[:6]}"})


def _member(env, data):
    # one membership of a user per team: a team of its own for each disposable one
    team = env["crm.team"].create(
        {"name": "MX disposable", "parent_id": data["team_b_id"], "company_id": data["company_id"]}
    )
    return env["crm.team.member"].create({"crm_team_id": team.id, "user_id": data["outsider_id"]})


def _adjustment(env, data):
    return env["osb.credit.adjustment"].create({"partner_id": data["customer_id"], "amount": 1.0, "reason": "Matrix"})


def _pop_issue(env, data):
    # the rep's draft issue of one POP line to his customer
    return env["osb.pop.issue"].create(
        {
            "holder_type": "customer",
            "partner_id": data["customer_id"],
            "user_id": data["rep_id"],
            "line_ids": [Command.create({"product_id": data["pop_product_id"], "quantity": 1.0})],
        }
    )


def _kpi(env, data, code=None):
    return env["sales.kpi"].create(
        {"code": code or f"MX_{uuid.uuid4().hex[:6]}", "name": "Matrix KPI", "source": "manual"}
    )


def _manual_value(env, data, month=None):
    return env["sales.kpi.manual.value"].create(
        {
            "kpi_id": data["kpi_id"],
            "month": month or date(2030, 1, 1),
            "user_id": data["kpi_user_id"],
            "value": 1.0,
        }
    )


def _plan(env, data):
    return env["sales.kpi.target.plan"].create(
        {"name": "Matrix plan", "kpi_id": data["kpi_id"], "fiscal_year": 2030, "root_value": 100.0}
    )


def _target_line(env, data):
    return env["sales.kpi.target.line"].create(
        {"plan_id": data["plan_id"], "owner_type": "user", "user_id": data["kpi_user_id"], "date_from": "2030-01-01"}
    )


def _complaint(env, data):
    return env["sales.complaint"].create(
        {
            "partner_id": data["customer_id"],
            "user_id": data["rep_id"],
            "team_id": data["team_u_id"],
            "category": "delivery",
            "description": "Matrix",
        }
    )


def _visit(env, data):
    return env["sales.visit"].create(
        {"partner_id": data["customer_id"], "user_id": data["rep_id"], "team_id": data["team_u_id"]}
    )


def _customer_class(env, data):
    return env["sales.customer.class"].create({"name": "Matrix class", "code": f"MX-{uuid.uuid4().hex[:6]}"})


_report_day = iter(range(1, 100_000))


def _report_date():
    # a distinct day for every report created (one report per author, type and period)
    return str(date(2040, 1, 1) + timedelta(days=next(_report_day)))


def _work_report(env, data, user="rep"):
    return env["sales.work.report"].create(
        {"user_id": data[f"{user}_id"], "team_id": data["team_u_id"], "report_type": "daily", "date": _report_date()}
    )


def _expense(env, data, user="rep", team="u"):
    return env["sales.expense"].create(
        {"user_id": data[f"{user}_id"], "team_id": data[f"team_{team}_id"], "amount": 100.0, "description": "Matrix"}
    )


def _return_order(env, data):
    """A delivered order of the rep in unit U, for the customer returns."""
    product = env["product.product"].create(
        {"name": f"MX returned goods {data['tag']}", "type": "consu", "list_price": 1.0, "taxes_id": [Command.clear()]}
    )
    order = env["sale.order"].create(
        {
            "partner_id": data["customer_id"],
            "user_id": data["rep_id"],
            "team_id": data["team_u_id"],
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 100})],
        }
    )
    order.action_confirm()
    assert order.state == "sale", order.confirmation_hold_message
    for move in order.picking_ids.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    order.picking_ids.with_context(skip_sms=True)._action_done()
    return order, product


def _return(env, data):
    return env["osb.return"].create(
        {
            "order_id": data["return_order_id"],
            "line_ids": [Command.create({"product_id": data["return_product_id"], "quantity": 1, "reason": "other"})],
        }
    )


def _rubric(env, data):
    return env["sales.work.report.rubric"].create({"name": "Matrix rubric", "report_type": "daily"})


def _rubric_item(env, data):
    return env["sales.work.report.rubric.item"].create(
        {"rubric_id": data["rubric_id"], "name": "Matrix item", "points": 1.0}
    )


_card_month = iter(range(0, 100_000))


def _scorecard_template(env, data, name="Matrix template"):
    # attendance only: no rubric or KPI needed
    return env["sales.scorecard.template"].create(
        {"name": name, "kpi_weight": 0, "daily_work_weight": 0, "attendance_weight": 100}
    )


def _scorecard_template_line(env, data):
    return env["sales.scorecard.template.line"].create(
        {"template_id": data["scorecard_template_id"], "line_type": "rubric", "name": "Matrix item", "points": 1.0}
    )


def _scorecard(env, data):
    """The rep's scorecard of a month of its own (one per member and month), made by
    the monthly run (from the company's default template, the matrix's if none)."""
    n = next(_card_month)
    month = date(2050 + n // 12, n % 12 + 1, 1)
    company = env["res.company"].browse(data["company_id"])
    member = env["crm.team.member"].browse(data["member_id"])
    result = env["sales.scorecard"].sudo()._sales_generate(company, month, members=member)
    return env["sales.scorecard"].browse(result["scorecard_ids"])


def _scorecard_line(env, data):
    return _scorecard(env, data).line_ids[:1]


def _pay_records(env, data, card, tag):
    """The rep's pay run of his scorecard's month (standard pay of his own for
    that month), a pay formula and a rule of a role of their own."""
    company = env["res.company"].browse(data["company_id"])
    month_end = card.month.replace(day=28) + timedelta(days=4)
    month_end -= timedelta(days=month_end.day)
    data["pay_standard_id"] = (
        env["sales.pay.standard"]
        .create(
            {
                "member_id": data["member_id"],
                "company_id": company.id,
                "amount": 1000.0,
                "date_from": card.month,
                "date_to": month_end,
            }
        )
        .id
    )
    role = env["sales.role"].create({"name": f"Matrix pay {tag}", "code": f"MXPAY-{tag}"})
    data["pay_formula_id"] = (
        env["sales.pay.formula"].create({"name": "Matrix pay", "company_id": company.id, "role_id": role.id}).id
    )
    data["incentive_rule_id"] = (
        env["sales.incentive.rule"]
        .create(
            {
                "name": "Matrix rule",
                "company_id": company.id,
                "role_ids": [Command.set(role.ids)],
                "measure": "calls",
                "threshold": 1,
                "amount": -1.0,
            }
        )
        .id
    )
    run = env["sales.pay.run"].sudo()._pay_run(company, card.month)
    data["pay_run_id"] = run.id
    data["pay_line_id"] = run.line_ids.filtered(lambda line: line.user_id.id == data["rep_id"])[:1].id
    data["pay_team_report_id"] = (
        env["sales.pay.team.report"]
        .search([("run_id", "=", run.id), ("team_id", "=", data["team_u_id"]), ("line_type", "=", "base")])
        .id
    )


def _rank_setup(env, data):
    """A ladder (REP -> KAM), the rep's rank and a promotion proposal of the rep
    (as the evaluation makes it), with one month of evidence."""
    ladder = env["sales.rank.ladder"].create({"name": f"MX ladder {data['tag']}"})
    rep = env["sales.rank"].create({"ladder_id": ladder.id, "sequence": 1, "code": "REP", "name": "MX rep"})
    kam = env["sales.rank"].create(
        {"ladder_id": ladder.id, "sequence": 2, "code": "KAM", "name": "MX KAM", "sales_threshold": 10.0}
    )
    history = env["sales.rank.history"].create(
        {"user_id": data["rep_id"], "team_id": data["team_u_id"], "rank_id": rep.id, "date_start": date(2030, 1, 1)}
    )
    proposal = (
        env["sales.promotion.proposal"]
        .sudo()
        .create(
            {
                "user_id": data["rep_id"],
                "team_id": data["team_u_id"],
                "member_id": data["member_id"],
                "ladder_id": ladder.id,
                "month": date(2030, 1, 1),
                "current_rank_id": rep.id,
                "target_rank_id": kam.id,
                "current_history_id": history.id,
                "effective_date": date(2030, 2, 1),
                "evidence_line_ids": [
                    Command.create({"month": date(2030, 1, 1), "amount": 20.0, "threshold": 10.0, "met": True})
                ],
            }
        )
    )
    data["rank_ladder_id"], data["rank_id"], data["rank_kam_id"] = ladder.id, rep.id, kam.id
    data["rank_history_id"], data["proposal_id"] = history.id, proposal.id
    data["proposal_evidence_id"] = proposal.evidence_line_ids.id


def _by_id(key):
    return lambda env, data: data[key]


def _first_rows(env, data):
    return None


_month = iter(range(1, 10_000))


def _next_month():
    # a distinct month for every manual value created (owner and month are unique)
    n = next(_month)
    return date(2040 + n // 12, n % 12 + 1, 1)


TARGETS = {
    "sales.complaint": (
        _by_id("complaint_id"),
        lambda d: {"severity": "high"},
        lambda d, r: {
            "partner_id": d["customer_id"],
            "user_id": d[f"{r}_id"],
            "category": "quality",
            "description": f"Matrix {r}",
        },
        _complaint,
    ),
    "sales.visit": (
        _by_id("visit_id"),
        lambda d: {"outcome": "Matrix"},
        lambda d, r: {"partner_id": d["customer_id"]},
        _visit,
    ),
    "sales.customer.class": (
        _by_id("customer_class_id"),
        lambda d: {"name": "Matrix class"},
        lambda d, r: {"name": "Matrix class", "code": f"MX-{d['tag']}-{r}"},
        _customer_class,
    ),
    "sales.customer.class.history": (_by_id("class_history_id"), lambda d: {"reason": "Matrix"}, None, None),
    "sales.customer.class.set": (
        None,
        None,
        lambda d, r: {
            "partner_ids": [(6, 0, [d["customer_id"]])],
            "class_id": d["customer_class_id"],
            "reason": "Matrix",
        },
        None,
    ),
    "sales.distribution.wizard": (None, None, lambda d, r: {"lead_ids": [(6, 0, [d["lead_id"]])]}, None),
    "sales.distribution.member": (None, None, None, None),
    "sales.work.report": (
        _by_id("work_report_id"),
        lambda d: {"summary": "Matrix"},
        lambda d, r: {"report_type": "daily", "date": _report_date()},
        _work_report,
    ),
    "sales.expense": (
        _by_id("expense_id"),
        lambda d: {"description": "Matrix trip"},
        lambda d, r: {"amount": 50.0, "description": f"Matrix {r}"},
        _expense,
    ),
    "sales.work.report.score": (None, None, None, None),
    "sales.work.report.rubric": (
        _by_id("rubric_id"),
        lambda d: {"name": "Matrix rubric"},
        lambda d, r: {"name": f"Matrix rubric {r}", "report_type": "weekly"},
        _rubric,
    ),
    "sales.work.report.rubric.item": (
        _by_id("rubric_item_id"),
        lambda d: {"name": "Matrix item"},
        lambda d, r: {"rubric_id": d["rubric_id"], "name": f"Matrix item {r}", "points": 1.0},
        _rubric_item,
    ),
    "sales.role": (
        _by_id("role_id"),
        lambda d: {"name": "Matrix role"},
        lambda d, r: {"name": "R", "code": f"MX-{d['tag']}-{r}"},
        _role,
    ),
    "crm.team": (_by_id("team_u_id"), lambda d: {"name": "MX U"}, lambda d, r: {"name": f"Matrix team {r}"}, _team),
    "crm.team.member": (
        _by_id("member_id"),
        lambda d: {"role_id": False},
        lambda d, r: {"crm_team_id": d["team_b_id"], "user_id": d[f"{r}_id"]},
        _member,
    ),
    "sales.approval.reject": (
        None,
        None,
        lambda d, r: {"res_model": "sale.order", "res_ids": [d["order_id"]], "reason": "Matrix"},
        None,
    ),
    "osb.credit.policy": (_by_id("policy_id"), lambda d: {"tolerance_a": d["policy_tolerance_a"]}, None, None),
    "osb.credit.exposure": (_by_id("exposure_id"), lambda d: {"credit_limit": 0.0}, None, None),
    # no role writes or unlinks a release: the access rights refuse them before any record is read
    "osb.credit.release": (_first_rows, lambda d: {"reason": "Matrix"}, None, None),
    "osb.credit.adjustment": (
        _by_id("adjustment_id"),
        lambda d: {"reason": "Matrix"},
        lambda d, r: {"partner_id": d["customer_id"], "amount": 1.0, "reason": f"Matrix {r}"},
        _adjustment,
    ),
    "osb.credit.rating": (_by_id("rating_id"), lambda d: {"date": "2030-01-01"}, None, None),
    "osb.credit.rating.line": (_by_id("rating_line_id"), lambda d: {"score": 1.0}, None, None),
    "osb.credit.review": (_by_id("review_id"), lambda d: {"proposed_limit": 1.0}, None, None),
    "osb.credit.aging": (_first_rows, None, None, None),
    "osb.credit.release.wizard": (
        None,
        None,
        lambda d, r: {"order_ids": [(6, 0, [d["order_id"]])], "reason": "Matrix"},
        None,
    ),
    "osb.credit.exposure.queue": (_by_id("queue_id"), lambda d: {"partner_id": d["customer_id"]}, None, None),
    "osb.credit.serial": (_by_id("serial_id"), lambda d: {"serial": 1}, None, None),
    "osb.role.rule": (
        _by_id("role_rule_id"),
        lambda d: {"sequence": 7},
        lambda d, r: {"role": "csr", "user_id": d["admin_id"], "active": False},
        None,
    ),
    "osb.role.reassign": (None, None, lambda d, r: {"order_ids": [(6, 0, [d["order_id"]])]}, None),
    "osb.role.reassign.line": (
        None,
        None,
        lambda d, r: {"order_id": d["order_id"], "role": "csr", "new_user_id": d["admin_id"]},
        None,
    ),
    "osb.step": (
        _by_id("step_id"),
        lambda d: {"sla_hours": 4.0},
        lambda d, r: {"code": f"mx_{r}", "name": "Matrix step", "flow": "op", "owner_role": "csr", "active": False},
        None,
    ),
    "osb.order.step": (
        _by_id("order_step_id"),
        lambda d: {"breached": True},
        lambda d, r: {"order_id": d["order_id"], "step_id": d["step_id"], "company_id": d["company_id"]},
        None,
    ),
    # the SSG leader, none of the roles here, manages quotas, transfers and releases
    "osb.quota": (_by_id("quota_id"), lambda d: {"quantity": 7.0}, None, None),
    "osb.return": (
        _by_id("return_id"),
        lambda d: {"note": "Matrix"},
        lambda d, r: {
            "order_id": d["return_order_id"],
            "line_ids": [[0, 0, {"product_id": d["return_product_id"], "quantity": 1, "reason": "other"}]],
        },
        lambda env, d: _return(env, d).id,
    ),
    "osb.return.line": (
        _by_id("return_line_id"),
        lambda d: {"reason": "expired"},
        lambda d, r: {"return_id": d["return_id"], "product_id": d["return_product_id"], "quantity": 1},
        lambda env, d: _return(env, d).line_ids.id,
    ),
    "osb.quota.transfer": (_first_rows, lambda d: {"reason": "Matrix"}, None, None),
    "osb.quota.release": (_first_rows, lambda d: {"reason": "Matrix"}, None, None),
    "osb.quota.report": (_first_rows, None, None, None),
    # POP materials: the SSG leader budgets and transfers; the rep issues to his customer
    "osb.pop.budget": (_by_id("pop_budget_id"), lambda d: {"amount": 7.0}, None, None),
    "osb.pop.budget.report": (_by_id("pop_budget_id"), None, None, None),
    "osb.pop.budget.transfer": (_first_rows, lambda d: {"reason": "Matrix"}, None, None),
    "osb.pop.issue": (
        _by_id("pop_issue_id"),
        lambda d: {"note": "Matrix"},
        lambda d, r: {"holder_type": "customer", "partner_id": d["customer_id"]},
        lambda env, d: _pop_issue(env, d).id,
    ),
    "osb.pop.issue.line": (
        _by_id("pop_issue_line_id"),
        lambda d: {"quantity": 3.0},
        lambda d, r: {"issue_id": d["pop_issue_id"], "product_id": d["pop_product_id"], "quantity": 1.0},
        lambda env, d: _pop_issue(env, d).line_ids.id,
    ),
    "sales.scorecard.template": (
        _by_id("scorecard_template_id"),
        lambda d: {"note": "<p>Matrix</p>"},
        lambda d, r: {"name": f"Matrix template {r}", "daily_work_weight": 0, "attendance_weight": 100},
        _scorecard_template,
    ),
    "sales.scorecard.template.line": (
        _by_id("scorecard_template_line_id"),
        lambda d: {"name": "Matrix item"},
        lambda d, r: {
            "template_id": d["scorecard_template_id"],
            "line_type": "rubric",
            "name": f"Matrix item {r}",
            "points": 1.0,
        },
        _scorecard_template_line,
    ),
    "sales.scorecard": (
        _by_id("scorecard_id"),
        lambda d: {"note": "Matrix"},
        lambda d, r: {"member_id": d["member_id"]},
        lambda env, d: _scorecard(env, d).id,
    ),
    "sales.scorecard.line": (
        _by_id("scorecard_line_id"),
        lambda d: {"note": "Matrix"},
        lambda d, r: {"scorecard_id": d["scorecard_id"], "name": "Matrix"},
        lambda env, d: _scorecard_line(env, d).id,
    ),
    "sales.scorecard.generate": (None, None, lambda d, r: {"month": "2050-01-01"}, None),
    "sales.rank.ladder": (
        _by_id("rank_ladder_id"),
        lambda d: {"name": f"MX ladder {d['tag']}"},
        lambda d, r: {"name": f"MX ladder {d['tag']} {r}"},
        None,
    ),
    "sales.rank": (
        _by_id("rank_kam_id"),
        lambda d: {"sales_threshold": 10.0},
        lambda d, r: {"ladder_id": d["rank_ladder_id"], "code": f"MX-{r}", "name": "MX rank"},
        None,
    ),
    "sales.rank.history": (
        _by_id("rank_history_id"),
        lambda d: {"note": "Matrix"},
        lambda d, r: {"user_id": d["outsider_id"], "rank_id": d["rank_id"], "date_start": "2030-01-01"},
        None,
    ),
    "sales.promotion.proposal": (
        _by_id("proposal_id"),
        lambda d: {"note": "Matrix"},
        lambda d, r: {
            "user_id": d["rep_id"],
            "ladder_id": d["rank_ladder_id"],
            "month": "2030-03-01",
            "target_rank_id": d["rank_kam_id"],
            "effective_date": "2030-04-01",
        },
        None,
    ),
    "sales.promotion.evidence": (
        _by_id("proposal_evidence_id"),
        lambda d: {"amount": 1.0},
        lambda d, r: {"proposal_id": d["proposal_id"], "month": "2030-02-01"},
        None,
    ),
    "res.partner": (_by_id("customer_id"), lambda d: {"credit_limit": 1000.0}, None, None),
    "sales.pay.standard": (_by_id("pay_standard_id"), lambda d: {"note": "Matrix"}, None, None),
    "sales.pay.formula": (_by_id("pay_formula_id"), lambda d: {"name": "Matrix"}, None, None),
    "sales.incentive.rule": (_by_id("incentive_rule_id"), lambda d: {"name": "Matrix"}, None, None),
    "sales.pay.run": (_by_id("pay_run_id"), lambda d: {"note": "Matrix"}, None, None),
    "sales.pay.line": (_by_id("pay_line_id"), lambda d: {"name": "Matrix"}, None, None),
    "sales.pay.team.report": (_by_id("pay_team_report_id"), None, None, None),
    "osb.issue": (_by_id("issue_id"), lambda d: {"progress": "Matrix"}, None, None),
    "osb.issue.department": (_by_id("issue_department_id"), lambda d: {"name": "Matrix"}, None, None),
    "sales.visit.compliance": (_first_rows, None, None, None),
    "osb.replenishment": (_first_rows, None, None, None),
    "osb.replenishment.line": (_first_rows, None, None, None),
    "sales.kpi": (
        _by_id("kpi_id"),
        lambda d: {"name": "Matrix KPI"},
        lambda d, r: {"code": f"MX_{d['tag']}_{r}", "name": "Matrix KPI", "source": "manual"},
        _kpi,
    ),
    "sales.kpi.fact": (_first_rows, None, None, None),
    "sales.kpi.manual.value": (
        _by_id("manual_value_id"),
        lambda d: {"note": "Matrix"},
        lambda d, r: {"kpi_id": d["kpi_id"], "month": str(_next_month()), "user_id": d["kpi_user_id"], "value": 2.0},
        lambda env, d: _manual_value(env, d, _next_month()),
    ),
    "sales.kpi.target.plan": (
        _by_id("plan_id"),
        lambda d: {"name": "Matrix plan"},
        lambda d, r: {"name": f"Matrix plan {r}", "kpi_id": d["kpi_id"], "fiscal_year": 2031, "root_value": 1.0},
        _plan,
    ),
    "sales.kpi.target.line": (
        _by_id("target_line_id"),
        lambda d: {"proposal_note": "Matrix"},
        lambda d, r: {
            "plan_id": d["plan_id"],
            "owner_type": "user",
            "user_id": d["kpi_user_id"],
            "date_from": "2030-02-01",
        },
        _target_line,
    ),
    "sales.kpi.target.report": (_first_rows, None, None, None),
    "sales.kpi.fact.rebuild": (None, None, lambda d, r: {"date_from": "2030-01-01", "date_to": "2030-01-31"}, None),
    "sale.order": (
        _by_id("order_id"),
        lambda d: {"client_order_ref": "Matrix"},
        lambda d, r: {"partner_id": d["customer_id"]},
        lambda env, d: _order(env, d).id,
    ),
    "sale.order.line": (
        _by_id("order_line_id"),
        lambda d: {"name": "Matrix line"},
        lambda d, r: {"order_id": d["order_id"], "product_id": d["product_id"]},
        lambda env, d: _order(env, d).order_line.id,
    ),
    "crm.lead": (
        _by_id("lead_id"),
        lambda d: {"description": "Matrix"},
        lambda d, r: {"name": f"Matrix lead {r}"},
        lambda env, d: _lead(env, d).id,
    ),
    "account.move": (
        _by_id("invoice_id"),
        lambda d: {"ref": "Matrix"},
        lambda d, r: {"move_type": "out_invoice", "partner_id": d["customer_id"]},
        lambda env, d: _invoice(env, d).id,
    ),
}


def _build(env):
    """The organisation, one user per role, and the records of the rows (the
    ``matrix_data`` fixture of conftest.py, shared with the bad-input sweep)."""
    tag = uuid.uuid4().hex[:6]
    company = env.ref("base.main_company")
    data = {"tag": tag, "company_id": company.id}
    other = env["res.company"].create({"name": f"Matrix Other Company {tag}"})
    users = {}
    for key, (_label, groups, _where) in ROLES.items():
        login = f"mx_{tag}_{key}"
        values = {"company_id": other.id, "company_ids": [Command.set(other.ids)]} if key == "other_company" else {}
        users[key], data[f"{key}_key"] = new_api_user(env, login, groups, **values)
        data[f"{key}_login"], data[f"{key}_id"] = login, users[key].id
    users["outsider"] = new_test_user(
        env, login=f"mx_{tag}_outsider", groups="sales_team.group_sale_salesman", name="MX outsider"
    )
    data["outsider_id"] = users["outsider"].id
    Team = env["crm.team"].with_context(default_company_id=company.id)
    teams = {
        "slt": Team.create({"name": f"MX SLT {tag}", "team_type": "slt"}),
        "a": Team.create(
            {
                "name": f"MX Market A {tag}",
                "team_type": "market",
                "user_id": users["market_manager"].id,
                "slt_user_id": users["slt"].id,
            }
        ),
        "b": Team.create({"name": f"MX Market B {tag}", "team_type": "market", "user_id": users["outsider"].id}),
    }
    teams["ssg"] = Team.create({"name": "MX SSG", "team_type": "ssg", "parent_id": teams["a"].id})
    teams["a1"] = Team.create({"name": "MX A1", "team_type": "region", "parent_id": teams["a"].id})
    teams["a2"] = Team.create({"name": "MX A2", "team_type": "region", "parent_id": teams["a"].id})
    teams["u"] = Team.create(
        {"name": "MX U", "team_type": "unit", "parent_id": teams["a1"].id, "user_id": users["unit_leader"].id}
    )
    Member = env["crm.team.member"]
    data["member_id"] = Member.create({"crm_team_id": teams["u"].id, "user_id": users["rep"].id}).id
    Member.create({"crm_team_id": teams["u"].id, "user_id": users["kpi_user"].id})
    Member.create({"crm_team_id": teams["slt"].id, "user_id": users["slt"].id})
    Member.create({"crm_team_id": teams["ssg"].id, "user_id": users["ssg_secretary"].id})
    for key, team in teams.items():
        data[f"team_{key}_id"] = team.id
    customer = env["res.partner"].create(
        {
            "name": f"MX Customer {tag}",
            "is_company": True,
            "user_id": users["rep"].id,
            "credit_limit": 1000.0,
            # OSB-ready master data: the credit check lets its orders through
            "property_payment_term_id": env.ref("account.account_payment_term_immediate").id,
            "osb_slt_user_id": users["slt"].id,
            "osb_credit_grade": "A",
        }
    )
    product = env["product.product"].create(
        {"name": f"MX product {tag}", "type": "service", "list_price": 10.0, "taxes_id": [Command.clear()]}
    )
    data["customer_id"], data["product_id"] = customer.id, product.id
    data["role_id"] = _role(env, data).id
    # Documents in U (the rep's), A1, A2 and B (a salesperson outside every role).
    for team in ("u", "a1", "a2", "b"):
        user = "rep" if team == "u" else "outsider"
        data[f"order_{team}"] = _order(env, data, user, team).id
        data[f"lead_{team}"] = _lead(env, data, user, team).id
        data[f"invoice_{team}"] = _invoice(env, data, user, team).id
        data[f"expense_{team}"] = _expense(env, data, user, team).id
    order = env["sale.order"].browse(data["order_u"])
    data["order_id"], data["order_line_id"] = order.id, order.order_line.id
    data["lead_id"], data["invoice_id"] = data["lead_u"], data["invoice_u"]
    policy = env["osb.credit.policy"]._get_policy(company)
    data["policy_id"], data["policy_tolerance_a"] = policy.id, policy.tolerance_a
    data["exposure_id"] = env["osb.credit.exposure"].create({"partner_id": customer.id, "company_id": company.id}).id
    data["adjustment_id"] = _adjustment(env, data).id
    # one rating a month and company: reuse the one of a previous session on this database
    rating = env["osb.credit.rating"].search([("date", "=", date(2030, 1, 1)), ("company_id", "=", company.id)])
    rating = rating or env["osb.credit.rating"].create({"date": date(2030, 1, 1), "company_id": company.id})
    data["rating_id"] = rating.id
    data["rating_line_id"] = (
        env["osb.credit.rating.line"].create({"rating_id": rating.id, "partner_id": customer.id, "grade": "A"}).id
    )
    data["review_id"] = (
        env["osb.credit.review"]
        .create({"date": date(2030, 1, 1), "partner_id": customer.id, "grade": "A", "proposed_limit": 2000.0})
        .id
    )
    data["queue_id"] = env["osb.credit.exposure.queue"].create({"partner_id": customer.id, "company_id": company.id}).id
    data["serial_id"] = (
        env["osb.credit.serial"].create({"partner_id": customer.id, "company_id": company.id, "serial": 1}).id
    )
    # archived: the company's orders keep the roles of its active rules, if any
    data["admin_id"] = env.ref("base.user_admin").id
    data["role_rule_id"] = env["osb.role.rule"].create({"role": "csr", "user_id": data["admin_id"], "active": False}).id
    # the OSB timeline: a step, and the row its creation stamped on the order of unit U
    data["step_id"] = env.ref("osb_credit.osb_step_op_received").id
    data["order_step_id"] = (
        env["osb.order.step"].search([("order_id", "=", data["order_id"]), ("step_id", "=", data["step_id"])]).id
    )
    assert data["order_step_id"], "the order's creation stamps its received step"
    data["quota_id"] = (
        env["osb.quota"]
        .create(
            {
                "holder_type": "customer",
                "partner_id": customer.id,
                "product_id": product.id,
                "date_from": date(2030, 1, 1),
                "date_to": date(2030, 1, 31),
                "quantity": 5.0,
            }
        )
        .id
    )
    data["quota2_id"] = (
        env["osb.quota"]
        .create(
            {
                "holder_type": "team",
                "holder_team_id": teams["u"].id,
                "product_id": product.id,
                "date_from": date(2030, 1, 1),
                "date_to": date(2030, 1, 31),
                "quantity": 5.0,
            }
        )
        .id
    )
    data["product_categ_id"] = product.categ_id.id
    data["pop_product_id"] = env["product.product"].create({"name": "Matrix POP", "osb_pop": True}).id
    data["pop_budget_id"] = (
        env["osb.pop.budget"]
        .create(
            {
                "holder_type": "customer",
                "partner_id": customer.id,
                "date_from": date(2030, 1, 1),
                "date_to": date(2030, 1, 31),
                "amount": 100.0,
            }
        )
        .id
    )
    data["pop_budget2_id"] = (
        env["osb.pop.budget"]
        .create(
            {
                "holder_type": "team",
                "holder_team_id": teams["u"].id,
                "date_from": date(2030, 1, 1),
                "date_to": date(2030, 1, 31),
                "amount": 100.0,
            }
        )
        .id
    )
    pop_issue = _pop_issue(env, data)
    data["pop_issue_id"], data["pop_issue_line_id"] = pop_issue.id, pop_issue.line_ids.id
    data["kpi_id"] = _kpi(env, data).id
    data["manual_value_id"] = _manual_value(env, data).id
    data["plan_id"] = _plan(env, data).id
    data["target_line_id"] = _target_line(env, data).id
    data["complaint_id"] = _complaint(env, data).id
    data["visit_id"] = _visit(env, data).id
    data["customer_class_id"] = _customer_class(env, data).id
    data["class_history_id"] = (
        env["sales.customer.class.history"]
        .create({"partner_id": customer.id, "company_id": company.id, "class_id": data["customer_class_id"]})
        .id
    )
    data["work_report_id"] = _work_report(env, data).id
    data["expense_id"] = _expense(env, data).id
    data["rubric_id"] = _rubric(env, data).id
    data["rubric_item_id"] = _rubric_item(env, data).id
    data["issue_department_id"] = env.ref("osb_credit.osb_issue_department_sales").id
    data["issue_id"] = (
        env["osb.issue"]
        .create({"title": "Matrix issue", "department_id": data["issue_department_id"], "owner_id": data["rep_id"]})
        .id
    )
    data["scorecard_template_id"] = _scorecard_template(env, data).id
    data["scorecard_template_line_id"] = _scorecard_template_line(env, data).id
    if not env["sales.scorecard.template"].search_count([("company_id", "=", company.id), ("is_default", "=", True)]):
        _scorecard_template(env, data, name=f"Matrix default {tag}").is_default = True
    card = _scorecard(env, data)
    data["scorecard_id"], data["scorecard_line_id"] = card.id, card.line_ids[:1].id
    _pay_records(env, data, card, tag)
    _rank_setup(env, data)
    # customer returns: a draft return of the rep on a delivered order of unit U
    order, product = _return_order(env, data)
    data["return_order_id"], data["return_product_id"] = order.id, product.id
    ret = _return(env, data)
    data["return_id"], data["return_line_id"] = ret.id, ret.line_ids.id
    # one disposable record per row and role, for the unlink cells
    for entry in MATRIX:
        make = TARGETS[entry["model"]][3]
        for role, cell in entry["cells"].items():
            if make and cell[3] != ".":
                record = make(env, data)
                data[f"unlink:{entry['model']}:{role}"] = getattr(record, "id", record)
    return data


def attempt(client, model, operation, data, role):
    """Run one cell's call; returns "Y" (worked), "-" (access fault), "C" (other
    company), or raises AssertionError for any other outcome."""
    target, write_values, create_values, _make = TARGETS[model]
    record_id = target(None, data) if target else None
    try:
        if operation == "read":
            if record_id is None:
                client.call(model, "search_read", [], ["id"], limit=1)
            else:
                rows = client.call(model, "read", [record_id], ["display_name"])
                assert [r["id"] for r in rows] == [record_id], rows
        elif operation == "write":
            values = write_values(data) if write_values else {}
            assert client.call(model, "write", [record_id or NO_SUCH_ID], values) is True
        elif operation == "create":
            # rows that no role creates send no values: the access rights refuse first
            new_id = client.call(model, "create", create_values(data, role) if create_values else {})
            assert isinstance(new_id, int) and new_id > 0, new_id
        else:
            doomed = data.get(f"unlink:{model}:{role}", NO_SUCH_ID)
            assert client.call(model, "unlink", [doomed]) is True
            with committed_env() as env:
                assert not env[model].browse(doomed).exists(), "unlink said True but the record is there"
    except xmlrpc.client.Fault as fault:
        if fault.faultCode == ACCESS_FAULT:
            return "-"
        text = fault.faultString
        if fault.faultCode == WARNING_FAULT and "Traceback" not in text:
            if os.environ.get("MATRIX_OBSERVE"):
                with open(os.environ["MATRIX_OBSERVE"] + ".faults", "a", encoding="utf-8") as out:
                    out.write(f"{model} {role} {operation}: {text[:300]!r}\n")
            return "C" if "Incompatible companies" in text else "U"
        raise AssertionError(
            f"{role} {operation} {model}: unexpected fault {fault.faultCode}: {text[-1500:]}"
        ) from None
    return "Y"


def cells():
    return [
        pytest.param(entry["model"], role, cell, id=f"{entry['model']}-{role}")
        for entry in MATRIX
        for role, cell in entry["cells"].items()
    ]


@pytest.mark.parametrize(("model", "role", "expected"), cells())
def test_access_matrix_cell(matrix_data, model, role, expected):
    client = matrix_data["clients"][role]
    got = "".join(
        attempt(client, model, operation, matrix_data, role) if want != "." else "."
        for operation, want in zip(OPERATIONS, expected, strict=True)
    )
    if os.environ.get("MATRIX_OBSERVE"):
        with open(os.environ["MATRIX_OBSERVE"], "a", encoding="utf-8") as out:
            out.write(f"{model} {role} {got}\n")
    assert got == expected, f"{role} on {model}: read/write/create/unlink gave {got}, the matrix says {expected}"


# --- a leader reads the documents of the subtree exactly --------------------------
# role: teams whose orders, order lines, leads, customer invoices and expenses (a team-scoped
# document of this project) it reads (among U, A1, A2, B)
SUBTREE = {
    "rep": {"u"},
    "unit_leader": {"u"},
    "market_manager": {"u", "a1", "a2"},
    "slt": {"u", "a1", "a2"},
    "director": {"u", "a1", "a2", "b"},
    "other_company": set(),
}
# credit managers read every invoice (Accounting / Read-only)
SUBTREE_OVERRIDES = {("credit_manager", "account.move"): {"u", "a1", "a2", "b"}}
DOCUMENTS = {
    "sale.order": "order",
    "sale.order.line": "order",
    "crm.lead": "lead",
    "account.move": "invoice",
    "sales.expense": "expense",
}


@pytest.mark.parametrize("role", sorted(set(ROLES)))
def test_leader_reads_the_subtree_exactly(matrix_data, role):
    client = matrix_data["clients"][role]
    for model, prefix in DOCUMENTS.items():
        ids = {team: matrix_data[f"{prefix}_{team}"] for team in ("u", "a1", "a2", "b")}
        if model == "sale.order.line":
            found = {
                r["order_id"][0]
                for r in client.call(model, "search_read", [("order_id", "in", list(ids.values()))], ["order_id"])
            }
        else:
            found = set(client.call(model, "search", [("id", "in", list(ids.values()))]))
        seen = {team for team, record_id in ids.items() if record_id in found}
        expected = SUBTREE_OVERRIDES.get((role, model), SUBTREE.get(role, set()))
        assert seen == expected, f"{role} reads {model} of {sorted(seen)}"


def test_docs_page_is_the_generated_matrix():
    """docs/access_matrix.md is what scripts/gen_access_matrix.py prints from the
    matrix asserted above (regenerate it after changing a row)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_access_matrix.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_every_model_of_the_addons_is_a_row():
    """Every model named in the addons' ir.model.access.csv has a row."""
    models = set()
    for addon in ADDONS:
        with open(ROOT / "addons" / addon / "security" / "ir.model.access.csv", encoding="utf-8") as csv:
            for line in list(csv)[1:]:
                model_ref = line.split(",")[2]
                models.add(model_ref.split(".")[-1].removeprefix("model_"))
    rows = {entry["model"].replace(".", "_") for entry in MATRIX}
    assert models - {"ir_model", "ir_model_fields"} <= rows, models - rows
