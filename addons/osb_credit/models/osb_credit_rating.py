# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Customers rated per run of the monthly cron (each batch committed by the cron runner).
RATING_BATCH = 5000


class OsbCreditRating(models.Model):
    """One monthly credit rating run of a company: the customer credit rating
    list (客户信用等级一览表)."""

    _name = "osb.credit.rating"
    _description = "Customer Credit Rating List"
    _order = "date desc, id desc"
    _check_company_auto = True
    _sql_constraints = [
        ("company_date_uniq", "UNIQUE(company_id, date)", "One rating per company and month."),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, readonly=True, help="First day of the rated month.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    line_ids = fields.One2many("osb.credit.rating.line", "rating_id", string="Customers", readonly=True)
    line_count = fields.Integer(string="Customers Rated", compute="_compute_line_count")

    @api.depends("date", "company_id.name")
    def _compute_name(self):
        for rating in self:
            rating.name = self.env._(
                "Credit rating %(month)s, %(company)s",
                month=rating.date.strftime("%Y-%m") if rating.date else "",
                company=rating.company_id.name,
            )

    def _compute_line_count(self):
        counts = dict(
            self.env["osb.credit.rating.line"]._read_group([("rating_id", "in", self.ids)], ["rating_id"], ["__count"])
        )
        for rating in self:
            rating.line_count = counts.get(rating, 0)

    # A rating list is the snapshot of its run: only the run (as superuser) writes it.
    @api.model_create_multi
    def create(self, vals_list):
        self._check_snapshot_access()
        return super().create(vals_list)

    def write(self, vals):
        self._check_snapshot_access()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_superuser(self):
        self._check_snapshot_access()

    @api.model
    def _cron_monthly_rating(self, limit=RATING_BATCH):
        """Monthly: rate, in each company under credit control, up to ``limit``
        customers not rated yet this month, and tell Odoo's cron runner how many
        remain (progress API): it commits each batch and runs the next, so a run cut
        short resumes with the customers it did not rate, and a run when all are
        rated changes nothing."""
        today = fields.Date.context_today(self)
        done = remaining = 0
        for policy in self.env["osb.credit.policy"].sudo().search([("enforce", "=", True)]):
            rating = self.sudo()._month_rating(policy.company_id, today)
            rated = set(rating.line_ids.partner_id.ids)
            todo = self._rated_partners(policy.company_id, today).commercial_partner_id.filtered(
                lambda p, rated=rated: p.id not in rated
            )
            batch = todo[: max(limit - done, 0)]
            if batch:
                rating._rate_partners(batch, today)
            done += len(batch)
            remaining += len(todo) - len(batch)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return True

    @api.model
    def action_rate_now(self, limit=RATING_BATCH):
        """Credit managers: rate now, in the current company, the customers not
        rated yet this month (the monthly cron does the same for every company).
        Up to ``limit`` customers are rated at once; when more remain, the cron is
        started to rate them in the background. Returns the action opening this
        month's rating list, with a notification saying what was done."""
        if not (self.env.su or self.env.user.has_group("osb_credit.group_osb_credit_manager")):
            raise AccessError(self.env._("Only credit managers start a credit rating."))
        company = self.env.company
        today = fields.Date.context_today(self)
        rating = self.sudo()._month_rating(company, today)
        rated = set(rating.line_ids.partner_id.ids)
        todo = self._rated_partners(company, today).commercial_partner_id.filtered(lambda p: p.id not in rated)
        batch = todo[:limit]
        if batch:
            rating._rate_partners(batch, today)
        remaining = len(todo) - len(batch)
        if remaining:
            self.env.ref("osb_credit.ir_cron_osb_credit_rating").sudo()._trigger()
            message = self.env._(
                "%(done)s customers rated; the other %(remaining)s are being rated in the background.",
                done=len(batch),
                remaining=remaining,
            )
        elif batch:
            message = self.env._("%(done)s customers rated.", done=len(batch))
        else:
            message = self.env._("Every customer is already rated this month.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": rating.name,
                "message": message,
                "type": "success",
                "sticky": False,
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": "osb.credit.rating",
                    "res_id": rating.id,
                    "views": [[False, "form"]],
                },
            },
        }

    @api.model
    def _rated_partners(self, company, today=None):
        """Commercial partners (companies and individuals) rated in ``company``:
        those with activity there in the 12 months to ``today`` (a confirmed order,
        a posted customer invoice or credit note, or an open receivable), and those
        with a credit limit explicitly set in ``company`` (company-dependent, so read
        in that company), themselves or through one of their contacts. A customer
        who never bought in the company is not rated there."""
        today = today or fields.Date.context_today(self)
        Partner = self.env["res.partner"].sudo().with_company(company).with_context(active_test=True)
        Exposure = self.env["osb.credit.exposure"]
        Exposure._flush_sources()
        self.env["sale.order"].flush_model(["date_order", "partner_invoice_id"])
        self.env["account.move"].flush_model(["invoice_date", "move_type", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_invoice_id
                 WHERE so.company_id = %(company)s AND so.state = 'sale'
                   AND so.date_order > %(year_ago)s AND so.date_order < %(tomorrow)s
                UNION
                SELECT am.commercial_partner_id FROM account_move am
                 WHERE am.company_id = %(company)s AND am.state = 'posted'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.invoice_date > %(year_ago)s AND am.invoice_date <= %(today)s
                UNION
                SELECT p.commercial_partner_id FROM account_move_line aml
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %(company)s AND %(open_receivable)s
                """,
                company=company.id,
                year_ago=today - relativedelta(years=1),
                today=today,
                tomorrow=today + relativedelta(days=1),
                open_receivable=Exposure._open_receivable_sql("aml"),
            )
        )
        active_ids = [row[0] for row in self.env.cr.fetchall() if row[0]]
        # The sub-query is not flushed for the outer search: flush what it reads.
        Partner.flush_model(["active", "company_id", "osb_credit_limit_set", "commercial_partner_id"])
        limit_set = Partner._search([("company_id", "in", [False, company.id]), ("osb_credit_limit_set", "=", True)])
        return Partner.search(
            [
                "|",
                ("id", "in", active_ids),
                ("id", "in", limit_set.subselect("commercial_partner_id")),
                ("company_id", "in", [False, company.id]),
            ]
        )

    @api.model
    def _run_rating(self, company, today, partners=None, batch_size=1000):
        """Score and grade the customers of ``company`` as of ``today``; idempotent per month."""
        self = self.sudo()
        rating = self._month_rating(company, today)
        # Run again, the month's lines are replaced; their previous grade stays the
        # grade before the month's first run.
        previous = {line.partner_id.id: line.previous_grade for line in rating.line_ids}
        rating.line_ids.unlink()
        partners = (partners or self._rated_partners(company, today)).commercial_partner_id
        rating._rate_partners(partners, today, previous=previous, batch_size=batch_size)
        return rating

    @api.model
    def _month_rating(self, company, today):
        """The rating of ``company`` for the month of ``today`` (created when missing)."""
        month = today.replace(day=1)
        rating = self.search([("company_id", "=", company.id), ("date", "=", month)])
        return rating or self.create({"company_id": company.id, "date": month})

    def _rate_partners(self, partners, today, previous=None, batch_size=1000):
        """Add the lines of commercial ``partners`` to this rating and set their
        grades (``previous``: ``{partner id: grade}`` before this month, for
        customers rated again)."""
        self.ensure_one()
        rating = self
        company = rating.company_id
        previous = previous or {}
        policy = self.env["osb.credit.policy"]._get_policy(company).sudo()
        Line = self.env["osb.credit.rating.line"].sudo()
        for start in range(0, len(partners), batch_size):
            batch = partners[start : start + batch_size]
            metrics = self._customer_metrics(batch, company, today)
            adjustments = self.env["osb.credit.adjustment"]._active_totals(batch.ids, company)
            vals_list = []
            by_grade = {}
            for partner in batch.with_company(company):
                m = metrics[partner.id]
                score = policy._score(m["avg_days_late"], m["overdue"], m["receivable"], m["years"], m["sales_12m"])
                before = previous.get(partner.id, partner.osb_credit_grade) or False
                adjustment = adjustments.get(partner.id, 0.0)
                if m["has_due"]:
                    grade = policy._grade_for_score(score["score"])
                    by_grade.setdefault(grade, []).append(partner.id)
                    proposed = policy._proposed_limit(
                        grade, m["sales_12m"], m["sales_prev_12m"], adjustment=adjustment, is_new=m["is_new"]
                    )
                    note = False
                else:
                    # No invoice due in the window: no evidence of punctuality. No points
                    # for it, the grade is kept and the limit proposal does not fall.
                    score["score"] -= score["score_punctuality"]
                    score["score_punctuality"] = 0.0
                    grade = before
                    proposed = partner.credit_limit
                    if m["is_new"]:
                        new_limit = policy._proposed_limit(grade, 0.0, 0.0, adjustment=adjustment, is_new=True)
                        proposed = max(proposed, new_limit)
                    note = self._insufficient_history_note(before)
                vals_list.append(
                    dict(
                        score,
                        rating_id=rating.id,
                        partner_id=partner.id,
                        user_id=partner.user_id.id,
                        previous_grade=before,
                        grade=grade,
                        insufficient_history=not m["has_due"],
                        note=note,
                        avg_days_late=m["avg_days_late"],
                        overdue_amount=m["overdue"],
                        receivable_amount=m["receivable"],
                        years=m["years"],
                        sales_12m=m["sales_12m"],
                        sales_prev_12m=m["sales_prev_12m"],
                        credit_limit=partner.credit_limit,
                        proposed_limit=proposed,
                    )
                )
            Line.create(vals_list)
            for grade, ids in by_grade.items():
                self.env["res.partner"].browse(ids).with_company(company).sudo().write({"osb_credit_grade": grade})
            _logger.info(
                "Credit rating %s: %s/%s customers", company.name, min(start + batch_size, len(partners)), len(partners)
            )

    @api.model
    def _customer_metrics(self, partners, company, today):
        """Rating figures of commercial ``partners`` in ``company`` (three aggregate queries)."""
        Exposure = self.env["osb.credit.exposure"]
        Exposure._flush_sources()
        self.env["account.partial.reconcile"].flush_model()
        cr = self.env.cr
        ids = partners.ids
        year_ago = today - relativedelta(years=1)
        two_years_ago = today - relativedelta(years=2)
        result = {
            pid: {
                "sales_12m": 0.0,
                "sales_prev_12m": 0.0,
                "avg_days_late": 0.0,
                "has_due": False,
                "overdue": 0.0,
                "receivable": 0.0,
            }
            for pid in ids
        }
        # Net invoiced sales (untaxed, company currency) of the last two 12-month periods.
        cr.execute(
            SQL(
                """
                SELECT am.commercial_partner_id,
                       COALESCE(SUM(am.amount_untaxed_signed) FILTER (WHERE am.invoice_date > %(year_ago)s), 0),
                       COALESCE(SUM(am.amount_untaxed_signed) FILTER (WHERE am.invoice_date <= %(year_ago)s), 0)
                  FROM account_move am
                 WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.company_id = %(company)s AND am.commercial_partner_id = ANY(%(ids)s)
                   AND am.invoice_date > %(two_years_ago)s AND am.invoice_date <= %(today)s
              GROUP BY am.commercial_partner_id
                """,
                year_ago=year_ago,
                two_years_ago=two_years_ago,
                today=today,
                company=company.id,
                ids=ids,
            )
        )
        for pid, sales, prev in cr.fetchall():
            result[pid].update(sales_12m=sales, sales_prev_12m=prev)
        # Amount-weighted days late of the invoice instalments due in the last 12 months:
        # paid parts at their reconciliation date, open parts as of today.
        cr.execute(
            SQL(
                """
                WITH due AS (
                    SELECT aml.id, p.commercial_partner_id AS pid, aml.date_maturity, aml.amount_residual
                      FROM account_move_line aml
                      JOIN account_move am ON am.id = aml.move_id
                      JOIN res_partner p ON p.id = aml.partner_id
                      JOIN account_account acc ON acc.id = aml.account_id
                     WHERE aml.parent_state = 'posted' AND acc.account_type = 'asset_receivable'
                       AND am.move_type = 'out_invoice' AND aml.balance > 0
                       AND aml.company_id = %(company)s AND p.commercial_partner_id = ANY(%(ids)s)
                       AND aml.date_maturity > %(year_ago)s AND aml.date_maturity <= %(today)s
                ), parts AS (
                    SELECT due.pid, apr.amount AS weight,
                           GREATEST(apr.max_date - due.date_maturity, 0) AS days
                      FROM due JOIN account_partial_reconcile apr ON apr.debit_move_id = due.id
                    UNION ALL
                    SELECT due.pid, due.amount_residual, GREATEST(%(today)s - due.date_maturity, 0)
                      FROM due WHERE due.amount_residual > 0
                )
                SELECT pid, SUM(weight * days) / NULLIF(SUM(weight), 0) FROM parts GROUP BY pid
                """,
                company=company.id,
                ids=ids,
                year_ago=year_ago,
                today=today,
            )
        )
        for pid, avg_days in cr.fetchall():
            result[pid].update(avg_days_late=float(avg_days or 0.0), has_due=True)
        components = Exposure._query_components(cr, ids, company.id, today=today)
        policy = self.env["osb.credit.policy"]._get_policy(company)
        new_since = today - relativedelta(months=policy.sudo().new_customer_months)
        for partner in partners:
            values = components[partner.id]
            start = partner._osb_customer_start()
            result[partner.id].update(
                overdue=values["receivable_overdue"],
                receivable=values["receivable_not_due"] + values["receivable_overdue"],
                years=max((today - start).days, 0) / 365.0,
                is_new=start > new_since,
            )
        return result

    @api.model
    def _insufficient_history_note(self, previous_grade):
        if previous_grade:
            return self.env._(
                "Insufficient history: no invoice due in the last 12 months; grade %(grade)s kept.",
                grade=previous_grade,
            )
        return self.env._("Insufficient history: no invoice due in the last 12 months; not graded yet.")

    def action_print(self):
        return self.env.ref("osb_credit.action_report_osb_credit_rating").report_action(self)

    @api.model
    def _check_snapshot_access(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "A customer credit rating list is the snapshot of its monthly run: "
                    "only the rating run creates, changes or deletes it."
                )
            )
