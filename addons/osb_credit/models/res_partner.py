# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import psycopg2.errors

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from .osb_credit_policy import GRADES

# Fields only credit managers may change.
CREDIT_MANAGER_FIELDS = (
    "credit_limit",
    "use_partner_credit_limit",
    "osb_credit_limit_set",
    "osb_credit_grade",
    "osb_credit_blocked",
    "osb_credit_block_reason",
    "osb_customer_since",
)
# Fields the stored exposure (osb.credit.exposure) shows: a change queues its refresh.
EXPOSURE_FIELDS = ("credit_limit", "osb_credit_limit_set", "osb_credit_grade", "osb_credit_blocked")


class ResPartner(models.Model):
    _inherit = "res.partner"

    osb_slt_user_id = fields.Many2one(
        "res.users",
        string="Responsible SLT Member",
        tracking=True,
        help="Member of the senior leadership team responsible for this customer (OSB-ready master data).",
    )
    osb_credit_limit_set = fields.Boolean(
        string="Credit Limit Set",
        company_dependent=True,
        readonly=True,
        help="Set when a credit limit was explicitly entered for the company, even 0 (cash customer).",
    )
    osb_credit_grade = fields.Selection(
        GRADES,
        string="Credit Grade",
        company_dependent=True,
        tracking=True,
        help="Grade of the last monthly credit rating (or set by a credit manager). Without a grade (not "
        "rated yet), the overdue tolerance of grade E applies, but the order is not held for grade E.",
    )
    osb_credit_blocked = fields.Boolean(
        string="Credit Blocked",
        company_dependent=True,
        tracking=True,
        help="Manual credit block: every order and delivery of the customer is held.",
    )
    osb_credit_block_reason = fields.Char(string="Block Reason", company_dependent=True)
    osb_customer_since = fields.Date(
        string="Customer Since",
        help="Start of the relationship: used for the relationship score and the new-customer rule. "
        "Empty: the creation date of the customer.",
    )
    osb_exposure_id = fields.Many2one(
        "osb.credit.exposure",
        string="Stored Exposure",
        compute="_compute_osb_exposure_id",
        search="_search_osb_exposure_id",
    )
    osb_credit_banner = fields.Html(string="Credit Banner", compute="_compute_osb_credit_banner", sanitize=False)
    # The smart buttons of the customer form (the commercial partner's figures in
    # the current company, as far as the user's record rules show them).
    osb_exposure_amount = fields.Monetary(
        string="Exposure", compute="_compute_osb_exposure_id", currency_field="osb_company_currency_id"
    )
    osb_company_currency_id = fields.Many2one("res.currency", compute="_compute_osb_exposure_id")
    osb_credit_hold_count = fields.Integer(string="Credit Holds", compute="_compute_osb_credit_counts")
    osb_credit_release_count = fields.Integer(string="Credit Releases", compute="_compute_osb_credit_counts")
    osb_credit_rating_count = fields.Integer(string="Ratings", compute="_compute_osb_credit_counts")
    osb_credit_adjustment_ids = fields.One2many("osb.credit.adjustment", "partner_id", string="Limit Adjustments")

    @api.depends_context("company")
    def _compute_osb_exposure_id(self):
        records = (
            self.env["osb.credit.exposure"]
            .sudo()
            .search([("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", self.env.company.id)])
        )
        by_partner = {rec.partner_id.id: rec for rec in records}
        currency = self.env.company.currency_id
        for partner in self:
            exposure = by_partner.get(partner.commercial_partner_id.id, records.browse())
            partner.osb_exposure_id = exposure.id
            partner.osb_exposure_amount = exposure.exposure
            partner.osb_company_currency_id = currency

    @api.depends_context("company", "uid")
    def _compute_osb_credit_counts(self):
        """Held quotations, credit releases and monthly ratings of each customer
        (its commercial partner): one grouped query per model for the batch."""
        commercial = self.commercial_partner_id
        company = [("company_id", "=", self.env.company.id)]

        def counts(model, field, domain):
            if not self.env[model].has_access("read"):
                return {}
            rows = self.env[model]._read_group([(field, "in", commercial.ids), *company, *domain], [field], ["__count"])
            return {partner.id: count for partner, count in rows}

        holds = counts(
            "sale.order", "osb_credit_partner_id", [("credit_hold", "=", True), ("state", "in", ("draft", "sent"))]
        )
        releases = counts("osb.credit.release", "partner_id", [])
        ratings = counts("osb.credit.rating.line", "partner_id", [])
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.osb_credit_hold_count = holds.get(key, 0)
            partner.osb_credit_release_count = releases.get(key, 0)
            partner.osb_credit_rating_count = ratings.get(key, 0)

    def _osb_customer_action(self, xmlid, field, domain=()):
        """The window action ``xmlid`` on this customer's records (``field`` names
        the commercial partner on them)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [(field, "=", self.commercial_partner_id.id), *domain]
        action["context"] = {"create": False}
        action["display_name"] = f"{action['name']}: {self.commercial_partner_id.display_name}"
        return action

    def action_osb_view_credit_holds(self):
        return self._osb_customer_action(
            "osb_credit.action_sale_order_credit_hold", "osb_credit_partner_id", [("credit_hold", "=", True)]
        )

    def action_osb_view_credit_releases(self):
        return self._osb_customer_action("osb_credit.action_osb_credit_release", "partner_id")

    def action_osb_view_credit_ratings(self):
        return self._osb_customer_action("osb_credit.action_osb_credit_rating_line", "partner_id")

    def _search_osb_exposure_id(self, operator, value):
        """Customers (and their contacts) by their stored exposure in the current company."""
        Exposure = self.env["osb.credit.exposure"].sudo()
        company = [("company_id", "=", self.env.company.id)]
        if operator in ("=", "!=") and not value:
            # with no stored exposure (=) / with one (!=)
            exposures = Exposure._search(company)
            return [("commercial_partner_id", "not in" if operator == "=" else "in", exposures.subselect("partner_id"))]
        exposures = Exposure._search([("id", operator, value), *company])
        return [("commercial_partner_id", "in", exposures.subselect("partner_id"))]

    @api.depends_context("company")
    def _compute_osb_credit_banner(self):
        company = self.env.company
        enforced = self.env["osb.credit.policy"]._is_enforced(company)
        partners = self.filtered("id").commercial_partner_id
        data = self.env["osb.credit.exposure"]._compute_exposure(partners.ids, company) if enforced and partners else {}
        Exposure = self.env["osb.credit.exposure"]
        for partner in self:
            values = data.get(partner.commercial_partner_id.id)
            if not values:
                partner.osb_credit_banner = False
                continue
            # The rules of the confirmation check, as they stand now: what holds a new order.
            partner.osb_credit_banner = Exposure._render_banner(
                values,
                company,
                rules=Exposure._credit_rules(values, company.currency_id),
                head=self.env._("A new order of this customer goes on credit hold:"),
            )

    @api.constrains("credit_limit")
    def _check_osb_credit_limit(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    self.env._(
                        "Credit Limit: the credit limit of %(customer)s cannot be negative (%(limit)s); "
                        "0 means no credit.",
                        customer=partner.display_name,
                        limit=format(partner.credit_limit, ",.2f"),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._osb_check_credit_rights(vals)
            if "credit_limit" in vals:
                vals["osb_credit_limit_set"] = True
        partners = super().create(vals_list)
        return partners

    def write(self, vals):
        self._osb_check_credit_rights(vals)
        old = None
        if "credit_limit" in vals:
            vals = dict(vals, osb_credit_limit_set=True)
            old = {partner.id: partner.sudo().credit_limit for partner in self}
        res = super().write(vals)
        if old is not None:
            self._osb_post_limit_changes(old)
        self._osb_schedule_exposure_refresh(vals)
        return res

    def _osb_post_limit_changes(self, old):
        """Post each changed credit limit (``old``: {partner id: limit before}) in the
        customer's chatter, with the company it applies to."""
        company = self.env.company
        for partner in self:
            new = partner.sudo().credit_limit
            if old[partner.id] != new:
                partner.message_post(
                    body=self.env._(
                        "Credit limit (%(company)s): %(old)s → %(new)s",
                        company=company.name,
                        old=format(old[partner.id], ",.2f"),
                        new=format(new, ",.2f"),
                    )
                )

    def signup_prepare(self, signup_type="signup"):
        # Core rewrites the customer row at every mail with a portal link (order
        # confirmation, invoice), even when nothing changes: concurrent confirmations
        # of one customer then conflict. Only a change is written, and the first
        # transaction to make it wins: the others, serialised behind it, take the
        # value it committed instead of rewriting the row (which would fail to
        # serialise against it).
        todo = self.filtered(lambda partner: partner.sudo().signup_type != signup_type)
        if not todo or not self.env.registry.ready:
            # (while modules load, this transaction may hold the table: no other cursor)
            return super(ResPartner, todo).signup_prepare(signup_type=signup_type) if todo else True
        Lock = self.env["sales.lock"]
        Lock._lock("res.partner.signup_type", todo.ids)

        def committed(cr):
            try:
                cr.execute(
                    "SELECT id FROM res_partner WHERE id = ANY(%s) AND signup_type = %s",
                    [todo.ids, signup_type],
                    log_exceptions=False,
                )
            except psycopg2.errors.LockNotAvailable:
                return []  # the table is held (a schema change): write as core does
            return [row[0] for row in cr.fetchall()]

        done = todo.browse(Lock._read_committed(committed))
        if done:
            self.env.cache.update(done.sudo(), self._fields["signup_type"], [signup_type] * len(done))
        rest = todo - done
        return super(ResPartner, rest).signup_prepare(signup_type=signup_type) if rest else True

    def _osb_check_credit_rights(self, vals):
        if self.env.su or not set(vals).intersection(CREDIT_MANAGER_FIELDS):
            return
        if not self.env.user.has_group("osb_credit.group_osb_credit_manager"):
            raise AccessError(
                self.env._("Only credit managers can change credit limits, grades, blocks and the customer start date.")
            )

    def _osb_schedule_exposure_refresh(self, vals):
        """Queue the stored exposure refresh of these customers in the current
        company (the one of the company-dependent values written) when ``vals``
        changes what it shows."""
        if self and not set(vals).isdisjoint(EXPOSURE_FIELDS):
            self.env["osb.credit.exposure"]._schedule_refresh(self, self.env.company)

    def _osb_credit_master_data(self, company):
        """Credit master data of these commercial partners in ``company``, read as
        superuser in one query (company-dependent values fall back on the company
        defaults): {partner id: {"missing": [labels of the OSB-ready data they lack],
        "credit_limit", "credit_grade", "blocked", "block_reason"}}."""
        if not self:
            return {}
        self.env.cr.execute(self._osb_credit_master_query(company))
        return self._osb_credit_master_result(self.env.cr.fetchall())

    @api.model
    @tools.ormcache("company_id")
    def _osb_credit_master_fallbacks(self, company_id):
        """Company defaults of the company-dependent credit fields, read at every
        confirmation: ``(credit limit, payment term id, grade, blocked, block reason)``.
        Cached: a change of a default (``ir.default``) clears the registry cache."""
        fields_ = self._fields
        partners = self.with_company(company_id)

        def fallback(name):
            return fields_[name].get_company_dependent_fallback(partners)

        return (
            fallback("credit_limit") or 0.0,
            fallback("property_payment_term_id").id or None,
            fallback("osb_credit_grade") or None,
            bool(fallback("osb_credit_blocked")),
            fallback("osb_credit_block_reason") or None,
        )

    def _osb_credit_master_query(self, company):
        """The statement of ``_osb_credit_master_data`` (9 columns, the first is the id)."""
        return SQL(
            "SELECT %s FROM res_partner p WHERE p.id = ANY(%s)", self._osb_credit_master_columns(company), self.ids
        )

    @api.model
    def _osb_credit_master_columns(self, company):
        """The 9 columns of ``_osb_credit_master_query`` over the partners ``p``, so that
        the credit check reads them in its exposure statement."""
        limit, term, grade, blocked, reason = self._osb_credit_master_fallbacks(company.id)
        self.flush_model(
            [
                "credit_limit",
                "osb_credit_limit_set",
                "property_payment_term_id",
                "user_id",
                "osb_slt_user_id",
                "osb_credit_grade",
                "osb_credit_blocked",
                "osb_credit_block_reason",
            ]
        )
        return SQL(
            """
                   p.id,
                   COALESCE((p.credit_limit->>%(key)s)::float8, %(limit)s),
                   COALESCE((p.osb_credit_limit_set->>%(key)s)::boolean, FALSE),
                   COALESCE((p.property_payment_term_id->>%(key)s)::int, %(term)s) IS NOT NULL,
                   p.user_id IS NOT NULL,
                   p.osb_slt_user_id IS NOT NULL,
                   COALESCE(p.osb_credit_grade->>%(key)s, %(grade)s),
                   COALESCE((p.osb_credit_blocked->>%(key)s)::boolean, %(blocked)s),
                   COALESCE(p.osb_credit_block_reason->>%(key)s, %(reason)s)
            """,
            key=str(company.id),
            limit=limit,
            term=term,
            grade=grade,
            blocked=blocked,
            reason=reason,
        )

    @api.model
    def _osb_credit_master_result(self, rows):
        """``_osb_credit_master_data``'s result from the rows of ``_osb_credit_master_query``."""
        labels = None
        result = {}
        for pid, limit, limit_set, has_term, has_user, has_slt, grade, blocked, reason in rows:
            flags = (bool(limit) or limit_set, has_term, has_user, has_slt)
            if labels is None and not all(flags):
                labels = (
                    self.env._("credit limit"),
                    self.env._("payment term"),
                    self.env._("salesperson (KAM)"),
                    self.env._("responsible SLT member"),
                )
            result[pid] = {
                "missing": [label for ok, label in zip(flags, labels, strict=True) if not ok] if labels else [],
                "credit_limit": limit,
                "credit_grade": grade or False,
                "blocked": blocked,
                "block_reason": reason or "",
            }
        return result

    def _osb_customer_start(self):
        self.ensure_one()
        return self.osb_customer_since or fields.Date.to_date(self.create_date)

    def osb_credit_breakdown(self):
        """Fresh exposure of these customers in the current company, for integrations:
        a list of dicts (partner_id, each component, exposure, credit_limit, available,
        credit_grade, blocked, max_overdue_days, overdue_tolerance)."""
        company = self.env.company
        partners = self.commercial_partner_id
        data = self.env["osb.credit.exposure"]._compute_exposure(partners.ids, company)
        keys = (
            "receivable_not_due",
            "receivable_overdue",
            "order_uninvoiced",
            "draft_invoice",
            "unapplied_payment",
            "down_payment",
            "exposure",
            "credit_limit",
            "available",
            "credit_grade",
            "blocked",
            "max_overdue_days",
        )
        return [
            dict({key: data[pid][key] for key in keys}, partner_id=pid, overdue_tolerance=data[pid]["tolerance"])
            for pid in partners.ids
        ]

    def action_osb_view_exposure(self):
        self.ensure_one()
        exposure = self.env["osb.credit.exposure"]._refresh(self.commercial_partner_id, self.env.company)
        return {
            "type": "ir.actions.act_window",
            "res_model": "osb.credit.exposure",
            "res_id": exposure.id,
            "view_mode": "form",
        }
