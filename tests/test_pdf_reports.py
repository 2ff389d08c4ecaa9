"""Every PDF report of the addons prints as a PDF (wkhtmltopdf, which the
scripts install), not the HTML Odoo falls back to without it, with the figures
of its record in its text.

The reports render in the pytest process through Odoo's own PDF path
(``_render_qweb_pdf``: wkhtmltopdf, then Odoo's merge), without their style
sheets (see ``report_url``). A report of a new model
prints its first record (the demo data's): give the model demo data, or a
builder in ``BUILDERS``."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from PyPDF2 import PdfReader

from conftest import ADDONS, committed_env


def _rating(env):
    """The month's credit rating list of the main company, with its lines."""
    rating = env["osb.credit.rating"]._run_rating(env.company, date.today())
    assert rating.line_ids, "the demo has rated customers"
    line = rating.line_ids.sorted("score", reverse=True)[0]
    # The best customer's name, score and grade are on the list.
    return rating, [line.partner_id.name, f"{line.score:.2f}", line.grade]


def _pay_statement(env):
    """The pay statement of a member for the demo's scored month (last month):
    the main company's pay run computed (again) from its scorecards."""
    month = date.today().replace(day=1) - relativedelta(months=1)
    run = env["sales.pay.run"].search([("company_id", "=", env.company.id), ("month", "=", month)])
    if run.state not in ("approved", "to_approve"):
        run = env["sales.pay.run"].sudo()._pay_run(env.company, month)
    assert run.line_ids, "the demo has scorecards and standard pay"
    member = run.line_ids[0].member_id
    lines = run.line_ids.filtered(lambda line: line.member_id == member)
    return lines, [member.user_id.name, f"{sum(lines.mapped('amount')):,.2f}"]


BUILDERS = {
    "osb_credit.action_report_osb_credit_rating": _rating,
    "sales_kpi.action_report_sales_pay_statement": _pay_statement,
}


def _reports(env):
    data = env["ir.model.data"].search(
        [("module", "in", list(ADDONS)), ("model", "=", "ir.actions.report")], order="module, name"
    )
    reports = env["ir.actions.report"].browse(data.mapped("res_id"))
    return {f"{d.module}.{d.name}": r for d, r in zip(data, reports, strict=True) if r.report_type == "qweb-pdf"}


def _text(pdf):
    """The PDF's text, its runs of spaces, tabs and line breaks made one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture(scope="module")
def report_url():
    """Where wkhtmltopdf fetches the report's style sheets: here a closed local
    port, so that it prints the reports unstyled, text as text. Debian's
    wkhtmltopdf is built on an unpatched Qt: with Odoo's style sheets loaded it
    draws the text as graphics (no text to read back) and ignores Odoo's
    separate header and footer (page numbers); the patched 0.12.6.1 build that
    Odoo recommends does both (README, Prerequisites)."""
    with committed_env() as env:
        icp = env["ir.config_parameter"].sudo()
        previous = icp.get_param("report.url")
        icp.set_param("report.url", "http://127.0.0.1:9")
    yield
    with committed_env() as env:
        env["ir.config_parameter"].sudo().set_param("report.url", previous or False)


def test_wkhtmltopdf_is_there():
    assert shutil.which("wkhtmltopdf"), "scripts/lib.sh (ensure_wkhtmltopdf) installs it"
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    assert fonts.strip(), "a Chinese font, without which Chinese names print as boxes (ensure_wkhtmltopdf)"
    with committed_env() as env:
        assert env["ir.actions.report"].get_wkhtmltopdf_state() == "ok"
        assert _reports(env), "the addons have PDF reports"


def test_every_pdf_report_prints_a_pdf_with_its_figures(report_url):
    with committed_env() as env:
        for xmlid, report in _reports(env).items():
            builder = BUILDERS.get(xmlid)
            if builder:
                records, expected = builder(env)
            else:
                records = env[report.model].search([], limit=1, order="id")
                assert records, f"{xmlid}: no {report.model} to print: give it demo data or a builder"
                expected = [records.display_name]
            # pytest-odoo runs Odoo in test mode, where reports render as HTML unless forced.
            Report = env["ir.actions.report"].with_context(force_report_rendering=True)
            pdf, kind = Report._render_qweb_pdf(report.report_name, records.ids)
            assert kind == "pdf", xmlid
            assert pdf.startswith(b"%PDF-"), f"{xmlid}: not a PDF: {pdf[:80]!r}"
            text = _text(pdf)
            # compared without white space: the table wraps long names
            squeezed = "".join(text.split())
            missing = [value for value in expected if "".join(value.split()) not in squeezed]
            assert not missing, f"{xmlid}: {missing} not in the PDF's text: {text[:1500]}"
