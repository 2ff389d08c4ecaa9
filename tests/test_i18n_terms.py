"""The Chinese terms of the three addons (zh_CN.po), against the source documents
(../shared/seeds): one term per role everywhere, role names that do not repeat
their code (the display name adds it: "[MM] 市场经理"), and plain words for the
sales facts and the rating's scores. Reads the .po files only (no database)."""

import re

import polib
import pytest
from lxml import etree

from conftest import ROOT

ADDONS = ("sales_team_mgmt", "osb_credit", "sales_kpi")
# Wrong terms: BCR is billing and collection (the seeds' BC step is 货款结算), not
# coordination (协调); the KAM was 客户经理 as a role but 销售经理（KAM） as a column;
# the unit manager was 区域经理 beside the Region (区域) team type; the role names
# repeated their code; "facts" is jargon.
FORBIDDEN = ("结算与协调代表", "销售事实", "事实数据", "销售经理（KAM）", "客户经理（KAM）", "区域经理")
SCORE_FIELD = "model:ir.model.fields,field_description:osb_credit.field_osb_credit_rating_line__score_"
CODE_SUFFIX = re.compile(r"[（(]\s*[A-Z]{2,5}\s*[）)]\s*$")


def catalog(addon):
    return polib.pofile(str(ROOT / "addons" / addon / "i18n" / "zh_CN.po"))


def translation(addon, msgid):
    entries = [entry for entry in catalog(addon) if entry.msgid == msgid and not entry.obsolete]
    assert len(entries) == 1, f"{addon}: {msgid!r}"
    return entries[0].msgstr


def role_codes():
    """{XML id of a demo role: its code} from the demo data."""
    tree = etree.parse(str(ROOT / "addons" / "sales_team_mgmt" / "demo" / "sales_role_demo.xml"))
    return {
        record.get("id"): record.findtext("field[@name='code']")
        for record in tree.iterfind("record[@model='sales.role']")
    }


@pytest.mark.parametrize("addon", ADDONS)
def test_no_wrong_term_left(addon):
    found = [(entry.msgid, entry.msgstr) for entry in catalog(addon) for term in FORBIDDEN if term in entry.msgstr]
    assert not found


def test_role_names_do_not_repeat_their_code():
    codes = role_codes()
    roles = {}
    for entry in catalog("sales_team_mgmt"):
        for occurrence, _line in entry.occurrences:
            if occurrence.startswith("model:sales.role,name:sales_team_mgmt."):
                roles[occurrence.rsplit(".", 1)[1]] = entry.msgstr
    assert set(roles) == set(codes), "every demo role has its Chinese name"
    for xmlid, name in roles.items():
        code = codes[xmlid]
        assert name and not CODE_SUFFIX.search(name), (xmlid, name)
        # The role's display name, as sales.role shows it.
        assert f"[{code}] {name}".count(code) == 1, (xmlid, name)


def test_one_term_per_role():
    # The seeds' 客户经理 for the KAM: the role, the credit screens' column, the PDF
    # rating list and the check's message.
    assert translation("sales_team_mgmt", "Key Account Manager") == "客户经理"
    assert translation("osb_credit", "Salesperson (KAM)") == "客户经理"
    assert translation("osb_credit", "salesperson (KAM)") == "客户经理"
    pdf = [
        entry
        for entry in catalog("osb_credit")
        if entry.msgid.startswith("Salesperson")
        and ("model_terms:ir.ui.view,arch_db:osb_credit.report_osb_credit_rating", "") in entry.occurrences
    ]
    assert [entry.msgstr for entry in pdf] == ["客户经理"]
    # The unit manager leads a unit (单元), apart from the Region (区域) team type.
    region, unit = translation("sales_team_mgmt", "Region"), translation("sales_team_mgmt", "Unit")
    manager = translation("sales_team_mgmt", "Unit Manager")
    assert (region, unit, manager) == ("区域", "单元", "单元经理")
    assert region not in manager
    # Billing and collection: the seeds' BC step (货款结算).
    assert translation("sales_team_mgmt", "Billing and Collection Representative") == "货款结算代表"
    assert translation("sales_team_mgmt", "Market Manager") == "市场经理"


def test_rating_columns_are_scores():
    scores = {}
    for entry in catalog("osb_credit"):
        for occurrence, _line in entry.occurrences:
            if occurrence.startswith(
                "model:ir.model.fields,field_description:osb_credit.field_osb_credit_rating_line__score_"
            ):
                scores[occurrence.rsplit("__", 1)[1]] = entry.msgstr
    assert scores["score_relationship"] == "合作年限得分"
    assert scores["score_volume"] == "销量得分"
    assert all(label.endswith("得分") for label in scores.values()), scores


def test_sales_facts_in_plain_words():
    assert translation("sales_kpi", "Sales Facts") == "销售业绩数据"
    assert not [entry.msgid for entry in catalog("sales_kpi") if "事实" in entry.msgstr]
