"""The access matrix: who may read, write, create and unlink what, over XML-RPC.

One row per model of the three addons (every model of their
``security/ir.model.access.csv``) and per core record they guard; one column per
role. ``tests/test_access_matrix.py`` asserts every cell against the real
(prefork) server with real users, and ``scripts/gen_access_matrix.py`` prints the
table into ``docs/access_matrix.md`` (a test fails when the page is stale).
A later model joins by adding a row here and a record in ``TARGETS`` of the test.

A cell gives the outcome of read, write, create and unlink, in that order:

- ``Y``: allowed, the call works;
- ``-``: refused with an access fault (``AccessError``, XML-RPC fault code 4);
- ``C``: refused because a record it names belongs to another company (a clean
  ``UserError`` fault, code 2: "Incompatible companies");
- ``U``: refused by the model's own rule with a clean ``UserError`` or
  ``ValidationError`` fault (code 2), the access rights having let it through;
- ``.``: not asked (a wizard's records are read and changed by their creator only).

The record each row acts on is in the company of the roles (except the last
role's), in unit U of market A, sold by the rep to a customer whose salesperson
is the rep; "read" of a report (SQL view) row asks for its first rows.
"""

# Role key: (label, groups XML ids, where the role sits in the organisation).
SALESMAN = "sales_team.group_sale_salesman,sales_team_mgmt.group_sales_team_mgmt_user"
HIERARCHY = "sales_team_mgmt.group_sales_team_mgmt_hierarchy,sales_team_mgmt.group_sales_team_mgmt_user"
ROLES = {
    "rep": ("Rep", SALESMAN, "member of unit U"),
    "unit_leader": ("Unit leader", HIERARCHY, "leader of unit U"),
    "market_manager": ("Market manager", HIERARCHY, "leader of market A (regions A1 > U, A2)"),
    "director": (
        "Director",
        "sales_team.group_sale_salesman_all_leads,sales_team_mgmt.group_sales_team_mgmt_user",
        "Sales / User: All Documents",
    ),
    "slt": ("SLT", HIERARCHY, "SLT member in charge of market A, member of the SLT team"),
    "ssg_secretary": ("SSG secretary", SALESMAN, "member of the SSG team of market A"),
    "credit_user": ("Credit user", "osb_credit.group_osb_credit_user", ""),
    "credit_manager": ("Credit manager", "osb_credit.group_osb_credit_manager", ""),
    "kpi_user": ("KPI user", "sales_kpi.group_sales_kpi_user", "member of unit U"),
    "kpi_all": ("KPI all data", "sales_kpi.group_sales_kpi_user_all", ""),
    "kpi_manager": ("KPI manager", "sales_kpi.group_sales_kpi_manager", ""),
    "other_company": (
        "Other company",
        "sales_team.group_sale_salesman_all_leads,sales_team_mgmt.group_sales_team_mgmt_manager,"
        "osb_credit.group_osb_credit_manager,sales_kpi.group_sales_kpi_manager",
        "all documents, organisation, credit and KPI manager, of company B only",
    ),
}
ROLE_KEYS = tuple(ROLES)
OPERATIONS = ("read", "write", "create", "unlink")


def row(subject, model, cells, note=""):
    """A matrix row: ``cells`` gives the roles' cells in the order of ``ROLES``."""
    values = cells.split()
    assert len(values) == len(ROLES) and all(len(v) == 4 and set(v) <= set("Y-CU.") for v in values), cells
    return {"subject": subject, "model": model, "note": note, "cells": dict(zip(ROLES, values, strict=True))}


# fmt: off
MATRIX = [
    #    rep  unit mkt  dir  slt  ssg  crU  crM  kpi  kAll kM   other
    # sales_team_mgmt
    row("Sales role", "sales.role",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- --Y-"),
    row("Sales team", "crm.team",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- --Y-"),
    row("Team member", "crm.team.member",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- ----",
        "company rule of sales_team_mgmt (core Odoo has none): another company's users never reach them"),
    row("Approval reject wizard", "sales.approval.reject",
        "..Y. ..Y. ..Y. ..Y. ..Y. ..Y. ..Y. ..Y. ..Y. ..Y. ..Y. ..Y."),
    row("Customer complaint", "sales.complaint",
        "YUY- YYY- Y-Y- YYY- Y-Y- --Y- --Y- --Y- --Y- --Y- --Y- --Y-",
        "write: the salesperson concerned reads the complaints about him but never changes them"),
    row("Customer visit", "sales.visit",
        "YYY- YYY- Y-Y- YYY- Y-Y- --Y- --Y- --Y- --Y- --Y- --Y- --Y-"),
    row("Visit compliance (report)", "sales.visit.compliance",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---",
        "an SQL view: each reads the rows of the salespeople the team rules show him (tests in "
        "addons/sales_team_mgmt/tests/test_sales_visit_compliance.py)"),
    row("Customer class", "sales.customer.class",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- --Y-"),
    row("Customer class history", "sales.customer.class.history",
        "Y-.. Y-.. Y-.. Y-.. Y-.. Y-.. Y-.. Y-.. Y-.. Y-.. Y-.. --.."),
    row("Set customer class wizard", "sales.customer.class.set",
        "..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..Y."),
    row("Distribution wizard", "sales.distribution.wizard",
        "..-. ..Y. ..Y. ..Y. ..Y. ..-. ..-. ..-. ..-. ..-. ..-. ..Y."),
    row("Distribution wizard member", "sales.distribution.member",
        ".... .... .... .... .... .... .... .... .... .... .... ....",
        "lines of the distribution wizard, created with it by the wizard's user"),
    row("Work report", "sales.work.report",
        "YYYY YYYY Y-Y- YYYY Y-Y- --Y- --Y- --Y- --Y- --Y- --Y- --Y-"),
    row("Sales expense", "sales.expense",
        "YYYY YYYY Y-Y- YYYY Y-Y- --Y- --Y- --Y- --Y- --Y- --Y- --Y-",
        "a draft expense; once submitted it changes through its actions only"),
    row("Work report score line", "sales.work.report.score",
        ".... .... .... .... .... .... .... .... .... .... .... ....",
        "created by the review engine at submission; who scores is tested in test_sales_work_report"),
    row("Work report rubric", "sales.work.report.rubric",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---"),
    row("Work report rubric item", "sales.work.report.rubric.item",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---"),
    # osb_credit
    row("Credit policy", "osb.credit.policy",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- YYU- Y--- Y--- Y--- --Y-",
        "create: a company has one policy (the other company's user creates its own)"),
    row("Credit exposure", "osb.credit.exposure",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- ----"),
    row("Credit release", "osb.credit.release",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y-U- Y--- Y--- Y--- Y-U-",
        "create is asked without an order: the access rights let credit managers through and the model asks "
        "for an order on hold (tests/test_osb_credit_xmlrpc.py releases one)"),
    row("Credit adjustment", "osb.credit.adjustment",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- YYYY Y--- Y--- Y--- --Y-"),
    row("Credit rating", "osb.credit.rating",
        "---- ---- ---- ---- ---- ---- Y--- Y--- ---- ---- ---- ----"),
    row("Credit rating line", "osb.credit.rating.line",
        "Y--- ---- ---- Y--- ---- ---- Y--- Y--- ---- ---- ---- ----",
        "salespeople read the lines of their own customers"),
    row("Credit review", "osb.credit.review",
        "---- ---- ---- ---- ---- ---- Y--- Y--- ---- ---- ---- ----",
        "write: reviews change through their actions only, for every role"),
    row("Receivables aging (report)", "osb.credit.aging",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---"),
    row("Credit release wizard", "osb.credit.release.wizard",
        "..-. ..-. ..-. ..-. ..-. ..-. ..-. ..Y. ..-. ..-. ..-. ..Y."),
    row("Exposure refresh queue", "osb.credit.exposure.queue",
        "---- ---- ---- ---- ---- ---- ---- Y--- ---- ---- ---- Y---",
        "technical rows with plain customer and company ids: no company rule"),
    row("Credit check serials", "osb.credit.serial",
        "---- ---- ---- ---- ---- ---- ---- Y--- ---- ---- ---- Y---",
        "technical rows with plain customer and company ids: no company rule"),
    row("OSB role rule", "osb.role.rule",
        "---- ---- ---- ---- ---- ---- ---- ---- ---- ---- ---- ----",
        "the OSB role groups read the rules and the SSG leader maintains them (tests in "
        "addons/osb_credit/tests/test_osb_roles.py); none of the roles here holds them"),
    row("OSB roles re-resolve wizard", "osb.role.reassign",
        "..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-.",
        "SSG leader only"),
    row("OSB roles re-resolve wizard line", "osb.role.reassign.line",
        "..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-.",
        "SSG leader only"),
    row("OSB step", "osb.step",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---",
        "the 21 steps are data: salespeople read them, the SSG leader (none of the roles here) changes their "
        "names, SLAs and sequence; nobody creates or deletes them"),
    row("OSB order step (timeline)", "osb.order.step",
        "Y--- Y--- Y--- Y--- Y--- ---- ---- ---- ---- ---- ---- --U-",
        "read by the order's salesperson, CSR, SCR and BCR, by the leaders of the order's team and the teams "
        "above it, and by All Documents salespeople and the SSG leader "
        "(tests in addons/osb_credit/tests/test_osb_timeline.py and tests/test_osb_timeline_xmlrpc.py); written "
        "by the stamping methods only, a manual step ticked through sale.order.action_osb_tick_step; the other "
        "company's create names the order's company before the access rights refuse it"),
    row("Quota allocation", "osb.quota",
        "Y--- Y--- Y--- Y--- Y--- ---- ---- ---- ---- ---- ---- ----",
        "the SSG leader (none of the roles here) allocates, changes and transfers; a customer quota is the "
        "customer's salesperson's and his team's (team rules); tests in addons/osb_credit/tests/test_osb_quota.py"),
    row("Quota transfer", "osb.quota.transfer",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---",
        "ledger moves: the SSG leader creates them, nobody changes or deletes them"),
    row("Quota release", "osb.quota.release",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---",
        "the SSG leader releases an order on quota hold (tests/test_osb_quota_docs.py releases one)"),
    row("Quota: allocation vs used (report)", "osb.quota.report",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---"),
    row("Customer return", "osb.return",
        "YYYY YYYY Y--- YYYY Y--- --U- --U- --U- --U- --U- --U- --U-",
        "a draft return of the rep (the order's salesperson, the KAM) in unit U; once submitted it changes "
        "through its actions only; create: a user who cannot read the rep's order is refused with 'Source "
        "Order: the record ... is not one you can read in the selected companies.' (a ValidationError naming "
        "the field, before the computed fields read the order); the SSG leader (none of the roles here) handles "
        "every return of the company "
        "(tests in addons/osb_credit/tests/test_osb_return.py and tests/test_osb_return_xmlrpc.py)"),
    row("Customer return line", "osb.return.line",
        "YYYY YYYY Y--- YYYY Y--- ---- ---- ---- ---- ---- ---- ----",
        "a line follows its return (it carries the return's KAM and team)"),
    row("POP budget", "osb.pop.budget",
        "Y--- Y--- Y--- Y--- Y--- ---- ---- ---- ---- ---- ---- ----",
        "the SSG leader (none of the roles here) budgets and transfers; a customer budget is the customer's "
        "salesperson's and his team's (team rules); tests in addons/osb_credit/tests/test_osb_pop.py"),
    row("POP budget vs spent (report)", "osb.pop.budget.report",
        "Y--- Y--- Y--- Y--- Y--- ---- ---- ---- ---- ---- ---- ----",
        "a row per active POP budget (its id is the budget's): read as the budget (team rules, the SSG leader "
        "all), never written; tests in addons/osb_credit/tests/test_osb_pop.py"),
    row("POP budget transfer", "osb.pop.budget.transfer",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---",
        "ledger moves: the SSG leader creates them, nobody changes or deletes them"),
    row("POP issue", "osb.pop.issue",
        "YYYY YYYY Y-Y- YYYY Y-Y- --Y- --Y- --Y- --Y- --Y- --Y- --Y-",
        "the rep's issue to his customer (team rules); anyone in sales issues to a customer; state, budget and "
        "picking change through the buttons only (tests in tests/test_osb_pop_xmlrpc.py)"),
    row("POP issue line", "osb.pop.issue.line",
        "YYYY YYYY Y--- YYYY Y--- ---- ---- ---- ---- ---- ---- ----",
        "seen and changed as its issue (its salesperson and team are stored on the line)"),
    row("Partner credit fields", "res.partner",
        "Y-.. Y-.. Y-.. Y-.. Y-.. Y-.. Y-.. YY.. Y-.. Y-.. Y-.. YY..",
        "write of credit_limit (company-dependent: the other company's user sets its own company's)"),
    row("OSB issue", "osb.issue",
        "YY-- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- ----",
        "the issue's owner is the rep: the owner writes its progress and resolution, everyone of the company reads "
        "it; the SSG leader (no role here) keeps the log (tests in addons/osb_credit/tests/test_osb_issue.py)"),
    row("OSB department", "osb.issue.department",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---",
        "a department shared by every company (no company); the SSG leader maintains them"),
    row("Replenishment record (report)", "osb.replenishment",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---"),
    row("Replenishment by product (report)", "osb.replenishment.line",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y---"),
    # sales_kpi
    row("KPI", "sales.kpi",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- YYYY --Y-"),
    row("KPI fact (report)", "sales.kpi.fact",
        "---- ---- ---- ---- ---- ---- ---- ---- Y--- Y--- Y--- Y---"),
    row("KPI manual value", "sales.kpi.manual.value",
        "---- ---- ---- ---- ---- ---- ---- ---- Y--- Y--- YYYY ----",
        "the value belongs to the KPI user"),
    row("Target plan", "sales.kpi.target.plan",
        "---- ---- ---- ---- ---- ---- ---- ---- Y--- Y--- YYYY --C-"),
    row("Target line", "sales.kpi.target.line",
        "---- ---- ---- ---- ---- ---- ---- ---- YY-- YU-- YYYY ----",
        "the line belongs to the KPI user; the all-data user's write is refused with a UserError (\"You can only "
        "propose targets for your own lines\"), not an AccessError"),
    row("Targets vs actuals (report)", "sales.kpi.target.report",
        "---- ---- ---- ---- ---- ---- ---- ---- Y--- Y--- Y--- Y---"),
    row("Fact rebuild wizard", "sales.kpi.fact.rebuild",
        "..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..Y. ..Y."),
    row("Scorecard template", "sales.scorecard.template",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- YYYY --Y-"),
    row("Scorecard template line", "sales.scorecard.template.line",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- YYYY ----",
        "create of the other company's user names a template of the first company, which it cannot read"),
    row("Scorecard", "sales.scorecard",
        "Y--- YY-- Y--- ---- Y--- ---- ---- ---- ---- Y--- YYUY --U-",
        "the rep's scorecard in unit U: pay data, not for All Documents; the leader of the unit writes its note; "
        "create: made by the monthly run only (generate_month), a clean refusal"),
    row("Scorecard line", "sales.scorecard.line",
        "Y--- YY-- YY-- ---- YY-- ---- ---- ---- ---- Y--- YYUU --U-",
        "lines come from the template: create and unlink are clean refusals; the leaders up the tree write "
        "the note and score the rubric items"),
    row("Generate scorecards wizard", "sales.scorecard.generate",
        "..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..-. ..Y. ..Y."),
    row("Standard pay", "sales.pay.standard",
        "---- ---- ---- ---- ---- ---- ---- ---- ---- ---- Y--- ----",
        "pay data: HR and payroll (none of these roles) keep it; KPI managers read it"),
    row("Pay formula", "sales.pay.formula",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- ----",
        "HR and payroll write it"),
    row("Fine or bonus rule", "sales.incentive.rule",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- ----",
        "HR and payroll write it; everyone reads why a line fired"),
    row("Pay run", "sales.pay.run",
        "---- ---- ---- ---- ---- ---- ---- ---- ---- ---- ---- ----",
        "HR and payroll only; only HR managers approve (tests/test_sales_kpi_pay_rpc.py)"),
    row("Pay line", "sales.pay.line",
        "Y--- ---- ---- ---- ---- ---- ---- ---- ---- ---- ---- ----",
        "the rep's pay line in unit U: his own (and HR's and payroll's, no role here); his leaders read the "
        "team totals below; made by the pay run only"),
    row("Pay totals by team (report)", "sales.pay.team.report",
        "---- Y--- Y--- ---- Y--- ---- ---- ---- ---- ---- ---- ----",
        "unit U's base pay total of the month: the leaders up the tree (and HR and payroll, no role here)"),
    row("Rank ladder", "sales.rank.ladder",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- ----",
        "HR managers (no role here) change the ladders"),
    row("Rank", "sales.rank",
        "Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- Y--- ----",
        "HR managers (no role here) change the ranks"),
    row("Rank history", "sales.rank.history",
        "Y--- Y--- Y--- ---- Y--- ---- ---- ---- ---- Y--- Y--- ----",
        "the rep's rank in unit U: a member reads his own, the leaders up the tree and All Data theirs; "
        "HR managers (no role here) enrol members"),
    row("Promotion proposal", "sales.promotion.proposal",
        "Y--- Y--- Y--- ---- Y--- ---- ---- ---- ---- Y--- Y--- ----",
        "the rep's proposal in unit U: made by the monthly evaluation only; decided through its approval "
        "(leader, then HR); HR managers write its effective date and note"),
    row("Promotion evidence", "sales.promotion.evidence",
        "Y--- Y--- Y--- ---- Y--- ---- ---- ---- ---- Y--- Y--- ----",
        "the months of the rep's proposal: written by the evaluation only"),
    # core records the addons guard
    row("Sales order", "sale.order",
        "YYY- YYY- Y--- YYY- Y--- ---- ---- ---- ---- ---- ---- --Y-",
        "create: an order's salesperson defaults to the customer's (the rep, in unit U): a leader above the "
        "unit cannot create it"),
    row("Sales order line", "sale.order.line",
        "YYYY YYYY Y--- YYYY Y--- ---- ---- ---- ---- ---- ---- ----"),
    row("Lead", "crm.lead",
        "YYY- YYY- Y-Y- YYY- Y-Y- --Y- --Y- --Y- --Y- --Y- --Y- --Y-"),
    row("Customer invoice", "account.move",
        "Y--- Y--- Y--- Y--- Y--- ---- ---- Y--- ---- ---- ---- ----",
        "credit managers read every invoice (Accounting / Read-only)"),
]
# fmt: on
