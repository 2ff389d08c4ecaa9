# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The quota check of the confirmation pipeline (sequence 30), in its own file:
the credit check and the OSB roles of ``sale.order`` live in ``sale_order.py``."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.sales_team_mgmt.tools import check_guarded_fields, format_error_list

from .osb_quota import QUOTA_LOCK

# Fields that only the quota check writes (through sudo).
QUOTA_HOLD_FIELDS = ("osb_quota_hold", "osb_quota_hold_message", "osb_quota_hold_date")
# Order fields that change which allocations cover a confirmed order.
QUOTA_ORDER_FIELDS = frozenset(("partner_id", "team_id", "date_order", "commitment_date", "company_id"))
# Line fields that can raise what a confirmed order takes of an allocation.
QUOTA_LINE_FIELDS = frozenset(("product_uom_qty", "product_id", "product_uom", "display_type"))
# Cursor cache: ids of the orders the quota check passed in this transaction.
QUOTA_PASSED_KEY = "osb_quota_passed"


# The quota check is kept apart from sale_order.py (credit check, OSB roles, timeline
# hooks), which other features extend at the same time.
class SaleOrder(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    osb_quota_hold = fields.Boolean(
        string="Quota Hold",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="The last Confirm found the order above an allocation (quota) that covers it.",
    )
    osb_quota_hold_message = fields.Text(string="Quota Hold Reason", readonly=True, copy=False)
    osb_quota_hold_date = fields.Datetime(string="Quota Hold Date", readonly=True, copy=False)
    osb_quota_release_ids = fields.One2many("osb.quota.release", "order_id", string="Quota Releases")

    @api.model_create_multi
    def create(self, vals_list):
        check_guarded_fields(self.env, vals_list, QUOTA_HOLD_FIELDS, self._osb_quota_hold_fields_message)
        return super().create(vals_list)

    def write(self, vals):
        check_guarded_fields(self.env, vals, QUOTA_HOLD_FIELDS, self._osb_quota_hold_fields_message)
        return super().write(vals)

    def _osb_quota_hold_fields_message(self):
        return self.env._("Quota hold fields are set by the quota check only.")

    # ------------------------------------------------------------------
    # Pipeline
    # ------------------------------------------------------------------

    @api.model
    def _get_confirmation_checks(self):
        return super()._get_confirmation_checks() + [(30, "quota", "_confirmation_check_quota")]

    @api.model
    def _get_confirmation_rechecks(self):
        return super()._get_confirmation_rechecks() + [(30, "quota", "_confirmation_recheck_quota")]

    def _confirmation_check_quota(self, strict=False):
        """Quota check: an order that would take more of an allocation covering it
        than is available is held (strict: refused), unless a valid quota release
        covers it. See :meth:`_osb_quota_run`."""
        if strict:
            return self._osb_quota_run(strict=True)[1]
        orders = self.filtered(lambda o: o.state in ("draft", "sent"))
        passed = orders._osb_quota_run()[0]
        return {order: order.osb_quota_hold_message for order in orders - passed}

    def _confirmation_recheck_quota(self, event, vals):
        """A confirmed order that takes more of a product, or moves to another
        customer, team, check date or company, is checked again."""
        if event == "write" and QUOTA_ORDER_FIELDS.isdisjoint(vals):
            return None
        if event == "line_write" and QUOTA_LINE_FIELDS.isdisjoint(vals):
            return None
        orders = self.filtered(lambda o: o.state == "sale")
        if not orders:
            return None
        before = {order.id: order._osb_quota_footprint() for order in orders}

        def recheck():
            changed = orders.filtered(lambda o: o.state == "sale" and o._osb_quota_grew(before[o.id]))
            refused = changed._osb_quota_run(strict=True)[1] if changed else {}
            if refused:
                raise UserError(format_error_list(refused.values()))

        return recheck

    def _action_cancel(self):
        res = super()._action_cancel()
        passed = self.env.cr.cache.get(QUOTA_PASSED_KEY, set())
        passed.difference_update(self.ids)
        held = self.filtered("osb_quota_hold").sudo()
        if held:
            held.activity_unlink(["osb_credit.mail_activity_type_quota_hold"])
            held.write({"osb_quota_hold": False})
        return res

    def action_osb_quota_release(self):
        """The quota release form for this held order (SSG leader)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Quota Hold"),
            "res_model": "osb.quota.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------------
    # The check
    # ------------------------------------------------------------------

    def _osb_quota_requests(self):
        """``{order: {product: quantity in the product's unit}}`` of these orders'
        lines (no query beyond the batch prefetch of lines, products and units)."""
        requests = {}
        for order in self:
            wanted = defaultdict(float)
            for line in order.order_line:
                if line.display_type or not line.product_id or line.product_uom_qty <= 0:
                    continue
                product = line.product_id
                qty = line.product_uom_qty
                if line.product_uom and line.product_uom != product.uom_id:
                    qty = line.product_uom._compute_quantity(qty, product.uom_id, round=False)
                wanted[product] += qty
            requests[order] = wanted
        return requests

    def _osb_quota_check_date(self):
        """The date that picks the allocations' period: the order date (a quotation
        takes the day it is confirmed) or, by the company's setting, the commitment
        date when set; in the company's time zone."""
        self.ensure_one()
        company = self.company_id or self.env.company
        moment = self.date_order if self.state == "sale" else fields.Datetime.now()
        if company.osb_quota_check_date == "commitment" and self.commitment_date:
            moment = self.commitment_date
        tz = company.partner_id.tz or "UTC"
        return fields.Datetime.context_timestamp(self.with_context(tz=tz), moment).date()

    def _osb_quota_footprint(self):
        """What decides the order's use of allocations, to compare after an edit."""
        self.ensure_one()
        return (
            self.partner_id.commercial_partner_id,
            self.team_id,
            self.company_id,
            self._osb_quota_check_date(),
            dict(self._osb_quota_requests()[self]),
        )

    def _osb_quota_grew(self, before):
        self.ensure_one()
        *keys, wanted = self._osb_quota_footprint()
        *old_keys, old_wanted = before
        if keys != old_keys:
            return True
        digits = self.env["osb.quota"]._quota_digits()
        return any(
            float_compare(qty, old_wanted.get(product, 0.0), precision_digits=digits) > 0
            for product, qty in wanted.items()
        )

    @api.model
    def _osb_quota_covers(self, quota, order, check_date, product):
        """Whether allocation ``quota`` covers ``product`` on ``order`` (no query)."""
        if quota.company_id != order.company_id or not (quota.date_from <= check_date <= quota.date_to):
            return False
        if quota.holder_type == "customer":
            if quota.partner_id != order.partner_id.commercial_partner_id:
                return False
        elif not (order.team_id and order.team_id.parent_path.startswith(quota.holder_team_id.parent_path)):
            return False
        if quota.product_id:
            return quota.product_id == product
        return bool(product.categ_id) and product.categ_id.parent_path.startswith(quota.categ_id.parent_path)

    def _osb_quota_applicable(self, requests, check_dates):
        """The allocations that may cover these orders, in one search (sudo: the
        check sees every allocation whatever the user's rules)."""
        products = self.env["product.product"].union(*(product for wanted in requests.values() for product in wanted))
        if not products or not check_dates:
            return self.env["osb.quota"].sudo()
        categ_ids = {int(i) for path in products.categ_id.mapped("parent_path") for i in path.split("/") if i}
        team_ids = {int(i) for path in self.team_id.mapped("parent_path") if path for i in path.split("/") if i}
        domain = [
            ("company_id", "in", self.company_id.ids),
            ("date_from", "<=", max(check_dates.values())),
            ("date_to", ">=", min(check_dates.values())),
            "|",
            ("product_id", "in", products.ids),
            ("categ_id", "in", list(categ_ids)),
            "|",
            ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
            ("holder_team_id", "in", list(team_ids)),
        ]
        return self.env["osb.quota"].sudo().search(domain, order="id")

    def _osb_quota_run(self, strict=False):
        """The quota check of these orders: ``(orders that pass, {order: refusal})``.

        The allocations covering them are locked (``sales.lock``, namespace
        ``osb.quota``, in id order), then their allocation in effect and use are
        read as committed now plus this transaction's own confirmations: two
        orders confirmed at the same moment can never together exceed an
        allocation. Without ``strict`` the orders that fail go on quota hold; with
        it they are returned with their refusal. Every order of a batch counts the
        ones before it."""
        Quota = self.env["osb.quota"]
        passed_ids = self.env.cr.cache.setdefault(QUOTA_PASSED_KEY, set())
        if not Quota.sudo().search_count([("company_id", "in", self.company_id.ids)], limit=1):
            # No allocation at all in these companies (most orders of a company that
            # does not allocate): nothing to read, lock or count.
            passed_ids.update(self.ids)
            self._osb_quota_pass()
            return self, {}
        requests = self._osb_quota_requests()
        check_dates = {order: order._osb_quota_check_date() for order in self}
        quotas = self._osb_quota_applicable(requests, check_dates)
        covering = {}
        for order in self:
            pairs = []
            for quota in quotas:
                qty = sum(
                    qty
                    for product, qty in requests[order].items()
                    if self._osb_quota_covers(quota, order, check_dates[order], product)
                )
                if qty > 0:
                    pairs.append((quota, qty))
            covering[order] = pairs
        quotas = Quota.sudo().union(*(quota for pairs in covering.values() for quota, _qty in pairs))
        if not quotas:
            passed_ids.update(self.ids)
            self._osb_quota_pass()
            return self, {}
        self.env["sales.lock"]._lock(QUOTA_LOCK, quotas.ids)
        figures = Quota._quota_locked_figures(quotas.ids, exclude_order_ids=self.ids, own_order_ids=passed_ids)
        used = {quota_id: values[1] for quota_id, values in figures.items()}
        releases = self._osb_quota_valid_releases(requests)
        digits = Quota._quota_digits()
        passed = self.browse()
        refused = {}
        crossed = False
        for order in self.sorted("id"):
            exceeded = []
            for quota, requested in covering[order]:
                allocated = figures[quota.id][0]
                if float_compare(used[quota.id] + requested, allocated, precision_digits=digits) > 0:
                    exceeded.append((quota, allocated, used[quota.id], requested))
            if exceeded and order not in releases:
                message = order._osb_quota_message(exceeded)
                if strict:
                    refused[order] = message
                else:
                    order._osb_quota_hold(message)
                continue
            for quota, requested in covering[order]:
                level = quota.company_id.osb_quota_warning_level / 100.0
                before, used[quota.id] = used[quota.id], used[quota.id] + requested
                if level and not quota.warning_sent and used[quota.id] >= figures[quota.id][0] * level > before:
                    crossed = True
            passed |= order
        passed_ids.update(passed.ids)
        passed.filtered("osb_quota_hold")._osb_quota_pass()
        if crossed:
            self.env.ref("osb_credit.ir_cron_osb_quota_warning").sudo()._trigger()
        return passed, refused

    def _osb_quota_total(self, requests=None):
        """Total quantity of these orders' products, in their units: what a quota release covers."""
        self.ensure_one()
        requests = requests or self._osb_quota_requests()
        return sum(requests[self].values())

    def _osb_quota_valid_releases(self, requests):
        """``{order: release}``: the valid quota release covering each order's total
        quantity (one query)."""
        if not self.ids:
            return {}
        today = fields.Date.context_today(self)
        releases = (
            self.env["osb.quota.release"]
            .sudo()
            .search([("order_id", "in", self.ids), ("valid_until", ">=", today)], order="id desc")
        )
        digits = self.env["osb.quota"]._quota_digits()
        result = {}
        for release in releases:
            order = self.browse(release.order_id.id)
            total = order._osb_quota_total(requests)
            if order not in result and float_compare(release.released_quantity, total, precision_digits=digits) >= 0:
                result[order] = release
        return result

    def _osb_quota_message(self, exceeded):
        """The hold message: per allocation exceeded, what it covers, its holder chain
        and period, and the allocated / used / requested / available figures."""
        self.ensure_one()
        Quota = self.env["osb.quota"]
        lines = []
        for quota, allocated, used, requested in exceeded:
            if quota.holder_type == "customer":
                holder = self.env._("customer %(customer)s", customer=quota.partner_id.display_name)
            else:
                holder = self.env._(
                    "team %(team)s (covers the order's team %(order_team)s)",
                    team=quota.holder_team_id.complete_name,
                    order_team=self.team_id.complete_name,
                )
            lines.append(
                self.env._(
                    "Quota of %(scope)s for %(holder)s, %(period)s: allocated %(allocated)s, used %(used)s, "
                    "requested %(requested)s, available %(available)s.",
                    scope=(quota.product_id or quota.categ_id).display_name,
                    holder=holder,
                    period=quota._holder_period_label(),
                    allocated=Quota._quota_format(allocated),
                    used=Quota._quota_format(used),
                    requested=Quota._quota_format(requested),
                    available=Quota._quota_format(allocated - used),
                )
            )
        return format_error_list(lines, intro=self.env._("%(order)s exceeds its quota:", order=self.name))

    def _osb_quota_hold(self, message):
        self.ensure_one()
        was_held = self.osb_quota_hold
        self.sudo().write(
            {"osb_quota_hold": True, "osb_quota_hold_message": message, "osb_quota_hold_date": fields.Datetime.now()}
        )
        if was_held:
            return
        for user in self._osb_ssg_leaders():
            self.sudo().activity_schedule(
                "osb_credit.mail_activity_type_quota_hold",
                user_id=user.id,
                summary=self.env._("Quota hold: %(order)s", order=self.name),
                note=message,
            )

    def _osb_quota_pass(self):
        held = self.filtered("osb_quota_hold")
        if not held:
            return
        held.sudo().activity_feedback(
            ["osb_credit.mail_activity_type_quota_hold"], feedback=self.env._("Quota check passed.")
        )
        held.sudo().write({"osb_quota_hold": False})

    def _osb_ssg_leaders(self):
        """The SSG leaders of the order's company (who release quota holds)."""
        self.ensure_one()
        group = self.env.ref("osb_credit.group_osb_ssg_leader")
        return group.sudo().users.filtered(
            lambda u: u.active and not u._is_superuser() and u._is_internal() and self.company_id in u.company_ids
        )
