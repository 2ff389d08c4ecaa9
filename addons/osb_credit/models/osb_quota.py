# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare, formatLang

from odoo.addons.sales_team_mgmt.tools import format_error_list

from ..hooks import QUOTA_INDEXES, create_partial_indexes

# Namespace of the locks (sales.lock) that serialise the checks and transfers of one allocation.
QUOTA_LOCK = "osb.quota"
# Fields whose change alters what an allocation covers or how much: a write takes its lock.
QUOTA_SCOPE_FIELDS = frozenset(
    (
        "holder_type",
        "holder_team_id",
        "partner_id",
        "product_id",
        "categ_id",
        "date_from",
        "date_to",
        "quantity",
        "company_id",
        "parent_id",
        "active",
    )
)


class OsbQuota(models.Model):
    """An allocation (配额) of a product or a product category to a holder (a team,
    covering its sub-teams, or a customer) for a period, in the product's unit.

    What is used is never stored: it is the quantity of the confirmed order lines
    of the period that the allocation covers (``_quota_figures``, one grouped
    query for any number of allocations). The allocation in effect is the
    quantity plus the transfers in, minus the transfers out."""

    _name = "osb.quota"
    _description = "Product Quota"
    _inherit = ["osb.holder.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity >= 0)", "The allocated quantity of a quota cannot be negative."),
        ("period_ordered", "CHECK(date_from <= date_to)", "The period of a quota must end on or after its start."),
        (
            "one_scope",
            "CHECK((product_id IS NULL) != (categ_id IS NULL))",
            "A quota allocates either a product or a product category.",
        ),
    ]

    # The responsible and team of the holder mixin say who sees the allocation: for
    # a team quota, its team and leader; for a customer quota, the customer's
    # salesperson and that salesperson's team.
    _holder_exclusive = True

    holder_type = fields.Selection(
        help="Team: the orders of the team and of all its sub-teams consume the allocation. "
        "Customer: the orders of the customer (its commercial partner) consume it.",
    )
    product_id = fields.Many2one(
        "product.product", index="btree_not_null", check_company=True, tracking=True, ondelete="restrict"
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", index="btree_not_null", tracking=True, ondelete="restrict"
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(
        string="Allocated Quantity",
        digits="Product Unit of Measure",
        required=True,
        default=0.0,
        tracking=True,
        help="Units allocated, in the product's unit (each product's own unit for a category).",
    )
    parent_id = fields.Many2one(
        "osb.quota",
        string="Parent Allocation",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="The allocation this one is carved from: the allocations of its children together may not exceed it.",
    )
    child_ids = fields.One2many("osb.quota", "parent_id", string="Child Allocations")
    transfer_in_ids = fields.One2many("osb.quota.transfer", "to_quota_id", string="Transfers In")
    transfer_out_ids = fields.One2many("osb.quota.transfer", "from_quota_id", string="Transfers Out")
    allocated = fields.Float(
        digits="Product Unit of Measure",
        compute="_compute_figures",
        help="Allocation in effect: the allocated quantity plus the transfers in, minus the transfers out.",
    )
    used = fields.Float(
        digits="Product Unit of Measure",
        compute="_compute_figures",
        help="Quantity of the confirmed order lines of the period that the allocation covers (by the "
        "company's check date: order date or commitment date).",
    )
    available = fields.Float(digits="Product Unit of Measure", compute="_compute_figures")
    used_percent = fields.Float(string="Used (%)", compute="_compute_figures")
    warning_sent = fields.Boolean(
        readonly=True,
        copy=False,
        help="The SSG leader was warned that the use crossed the company's warning level (once; reset "
        "when the use falls below it again).",
    )

    def init(self):
        res = super().init()
        create_partial_indexes(self.env.cr, QUOTA_INDEXES)
        return res

    @api.depends("product_id", "categ_id", "holder_type", "holder_team_id", "partner_id", "date_from", "date_to")
    def _compute_display_name(self):
        for quota in self:
            quota.display_name = quota._holder_name((quota.product_id or quota.categ_id).display_name)

    @api.depends(
        "quantity", "transfer_in_ids.quantity", "transfer_out_ids.quantity", "date_from", "date_to", "company_id"
    )
    def _compute_figures(self):
        """One query for all the allocations (see ``_quota_figures``)."""
        stored = self.filtered("id")
        figures = stored._quota_figures() if stored else {}
        for quota in self:
            allocated, used = figures.get(quota.id, (quota.quantity, 0.0))
            quota.allocated = allocated
            quota.used = used
            quota.available = allocated - used
            quota.used_percent = 100.0 * used / allocated if allocated else (100.0 if used else 0.0)

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("quantity", "parent_id", "date_from", "date_to", "product_id", "categ_id")
    def _check_parent_allocation(self):
        """The children of an allocation together may not exceed it; a child covers
        a part of its parent's period and of its products."""
        parents = (self.parent_id | self.filtered("child_ids")).filtered("id")
        if not parents:
            return
        for quota in self.filtered("parent_id"):
            parent = quota.parent_id
            if quota.date_from < parent.date_from or quota.date_to > parent.date_to:
                raise ValidationError(
                    self.env._(
                        "Parent Allocation: the period of %(quota)s must lie within the period of its parent "
                        "%(parent)s.",
                        quota=quota.display_name,
                        parent=parent.display_name,
                    )
                )
            if not quota._quota_scope_within(parent):
                raise ValidationError(
                    self.env._(
                        "Parent Allocation: %(quota)s must allocate the product or a part of the category of its "
                        "parent %(parent)s.",
                        quota=quota.display_name,
                        parent=parent.display_name,
                    )
                )
        parents._quota_check_children()

    def _quota_check_children(self):
        """Raise when the allocations in effect of these allocations' children exceed theirs."""
        children = self.child_ids
        figures = (self | children)._quota_figures()
        errors = []
        for parent in self:
            total = sum(figures[child.id][0] for child in parent.child_ids)
            allocated = figures[parent.id][0]
            if float_compare(total, allocated, precision_digits=self._quota_digits()) > 0:
                errors.append(
                    self.env._(
                        "Parent Allocation: the child allocations of %(parent)s total %(total)s, above its "
                        "allocation of %(allocated)s.",
                        parent=parent.display_name,
                        total=self._quota_format(total),
                        allocated=self._quota_format(allocated),
                    )
                )
        if errors:
            raise ValidationError(format_error_list(errors))

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")  # the access rights refuse first (only the SSG leader allocates)
        self._sales_check_input(vals_list)  # before the values are read below
        self._quota_check_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        self._sales_check_input([vals])
        if not QUOTA_SCOPE_FIELDS.isdisjoint(vals):
            # A change of what an allocation covers waits for the checks using it.
            self.env["sales.lock"]._lock(QUOTA_LOCK, self.ids + self.parent_id.ids)
            for quota in self:
                merged = quota._holder_merged_vals(
                    vals, ("holder_type", "holder_team_id", "partner_id", "product_id", "categ_id")
                )
                merged.update(
                    date_from=vals.get("date_from", quota.date_from),
                    date_to=vals.get("date_to", quota.date_to),
                    quantity=vals.get("quantity", quota.quantity),
                )
                self._quota_check_vals([merged])
        return super().write(vals)

    @api.model
    def _holder_messages(self):
        return {
            "period_missing": lambda **params: self.env._(
                "Period: a quota needs a start date (From) and an end date (To)."
            ),
            "period_reversed": lambda **params: self.env._(
                "Period: the end date (To) %(to)s is before the start date (From) %(start)s.", **params
            ),
            "team_missing": lambda **params: self.env._("Team: a team quota names its team, and no customer."),
            "customer_missing": lambda **params: self.env._(
                "Customer: a customer quota names its customer, and no team."
            ),
        }

    @api.model
    def _quota_check_vals(self, vals_list):
        """Clear errors, naming the field, before anything is written."""
        errors = []
        for vals in vals_list:
            errors += self._holder_period_errors(vals)
            if bool(vals.get("product_id")) == bool(vals.get("categ_id")):
                errors.append(
                    self.env._("Product / Product Category: a quota allocates exactly one product or one category.")
                )
            errors += self._holder_holder_errors(vals)
            quantity = vals.get("quantity") or 0.0
            if isinstance(quantity, (int, float)) and quantity < 0:
                errors.append(
                    self.env._(
                        "Allocated Quantity: %(quantity)s is negative; allocate 0 or more units.",
                        quantity=quantity,
                    )
                )
        if errors:
            raise ValidationError(format_error_list(errors))
        partner_ids = {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        if partner_ids:
            # sudo: another company's customer is refused by the company check, naming the field
            partners = self.env["res.partner"].sudo().browse(partner_ids).exists()
            not_commercial = partners.filtered(lambda p: p.commercial_partner_id != p)
            if not_commercial:
                raise ValidationError(
                    self.env._(
                        "Customer: %(partners)s is a contact or an address; a quota is allocated to the customer "
                        "(its company): %(customers)s.",
                        partners=", ".join(not_commercial.mapped("display_name")),
                        customers=", ".join(not_commercial.commercial_partner_id.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_transfer(self):
        """The transfer form, from this allocation (SSG leader)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer Quota"),
            "res_model": "osb.quota.transfer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_from_quota_id": self.id},
        }

    def action_view_order_lines(self):
        """The confirmed order lines that consume this allocation."""
        self.ensure_one()
        line_ids = self._quota_line_ids()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Order Lines Using %(quota)s", quota=self.display_name),
            "res_model": "sale.order.line",
            "view_mode": "list,form",
            "domain": [("id", "in", line_ids)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _quota_digits(self):
        return self.env["decimal.precision"].precision_get("Product Unit of Measure")

    @api.model
    def _quota_format(self, quantity):
        return formatLang(self.env, quantity, digits=self._quota_digits())

    def _quota_scope_within(self, parent):
        """Whether this allocation's product or category lies within ``parent``'s."""
        self.ensure_one()
        if parent.product_id:
            return self.product_id == parent.product_id
        categ = self.categ_id or self.product_id.categ_id
        return bool(categ) and categ.parent_path.startswith(parent.categ_id.parent_path)

    @api.model
    def _quota_used_query(self, quota_ids=None, exclude_order_ids=(), only_order_ids=None):
        """``(quota id, used)`` of the allocations ``quota_ids`` (see ``_quota_lines_query``)."""
        return SQL(
            "SELECT used.quota_id, SUM(used.qty) AS used FROM (%s) AS used GROUP BY used.quota_id",
            self._quota_lines_query(quota_ids, exclude_order_ids=exclude_order_ids, only_order_ids=only_order_ids),
        )

    @api.model
    def _quota_lines_query(self, quota_ids=None, exclude_order_ids=(), only_order_ids=None):
        """``(quota id, line id, quantity)`` of the allocations ``quota_ids`` (all of them when
        None): the quantity, converted to the product's unit, of the confirmed order
        lines whose check date (the company's setting: order date or commitment
        date, in the company's time zone) falls in the period, of the covered
        products (a category covers its sub-categories) and holder (a team covers
        its sub-teams, through ``parent_path``; a customer its contacts). Four
        branches, one per kind of allocation, each an equi-join the indexes serve;
        lines of ``exclude_order_ids`` left out, or only those of ``only_order_ids``."""
        quota_filter = SQL("q.id = ANY(%s)", list(quota_ids)) if quota_ids is not None else SQL("TRUE")
        order_filter = SQL("TRUE")
        if exclude_order_ids:
            order_filter = SQL("NOT (so.id = ANY(%s))", list(exclude_order_ids))
        if only_order_ids is not None:
            order_filter = SQL("%s AND so.id = ANY(%s)", order_filter, list(only_order_ids))
        # The companies' check date and time zone, inlined: fewer joins to plan.
        companies = self.env["res.company"].sudo().search_fetch([], ["osb_quota_check_date", "partner_id"])
        commitment_ids = companies.filtered(lambda c: c.osb_quota_check_date == "commitment").ids
        zones = {company.id: company.partner_id.tz or "UTC" for company in companies}
        if len(set(zones.values())) <= 1:
            zone = SQL("%s", next(iter(zones.values()), "UTC"))
        else:
            zone = SQL(
                "CASE %s ELSE 'UTC' END",
                SQL(" ").join(SQL("WHEN q.company_id = %s THEN %s", cid, tz) for cid, tz in zones.items()),
            )
        moment = SQL("so.date_order")
        # Where the check date is the order date, the order dates of the period (a day
        # of slack each side for the time zone) let the index of the confirmed orders
        # of a team by date serve; a commitment date may lie anywhere.
        date_window = SQL("so.date_order BETWEEN q.date_from - 1 AND q.date_to + 2")
        if commitment_ids:
            moment = SQL(
                "CASE WHEN q.company_id = ANY(%s) THEN COALESCE(so.commitment_date, so.date_order) "
                "ELSE so.date_order END",
                commitment_ids,
            )
            date_window = SQL("TRUE")
        check_date = SQL(
            "((%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date BETWEEN q.date_from AND q.date_to)", moment, zone
        )
        product_join = {
            "product": SQL(
                """JOIN sale_order_line sol ON sol.product_id = q.product_id AND sol.state = 'sale'
                                            AND sol.company_id = q.company_id AND sol.display_type IS NULL
                   JOIN product_product pp ON pp.id = sol.product_id
                   JOIN product_template pt ON pt.id = pp.product_tmpl_id"""
            ),
            "categ": SQL(
                """JOIN product_category qc ON qc.id = q.categ_id
                   JOIN product_category pc ON pc.parent_path LIKE qc.parent_path || '%%'
                   JOIN product_template pt ON pt.categ_id = pc.id
                   JOIN product_product pp ON pp.product_tmpl_id = pt.id
                   JOIN sale_order_line sol ON sol.product_id = pp.id AND sol.state = 'sale'
                                            AND sol.company_id = q.company_id AND sol.display_type IS NULL"""
            ),
        }
        holder_join = {
            "customer": SQL(
                """JOIN sale_order so ON so.id = sol.order_id
                   JOIN res_partner sp ON sp.id = so.partner_id AND sp.commercial_partner_id = q.partner_id"""
            ),
            "team": SQL(
                """JOIN crm_team qt ON qt.id = q.holder_team_id
                   JOIN sale_order so ON so.id = sol.order_id
                   JOIN crm_team st ON st.id = so.team_id AND st.parent_path LIKE qt.parent_path || '%%'"""
            ),
        }
        kinds = None
        if quota_ids is not None:
            # Only the branches of the kinds of allocations asked: fewer joins to plan.
            quotas = self.sudo().browse(quota_ids)
            kinds = {("categ" if q.categ_id else "product", q.holder_type) for q in quotas}
        branches = []
        for scope, scope_column in (("product", "product_id"), ("categ", "categ_id")):
            for holder, holder_column in (("customer", "partner_id"), ("team", "holder_team_id")):
                if kinds is not None and (scope, holder) not in kinds:
                    continue
                branches.append(
                    SQL(
                        """
                        SELECT q.id AS quota_id, sol.id AS line_id,
                               sol.product_uom_qty * CASE WHEN sol.product_uom = pt.uom_id THEN 1.0 ELSE (
                                   SELECT pu.factor / lu.factor FROM uom_uom lu, uom_uom pu
                                    WHERE lu.id = sol.product_uom AND pu.id = pt.uom_id) END AS qty
                          FROM osb_quota q
                          %(product_join)s
                          %(holder_join)s
                         WHERE %(quota_filter)s AND q.%(scope_column)s IS NOT NULL
                           AND q.%(holder_column)s IS NOT NULL AND %(order_filter)s
                           AND %(date_window)s AND %(check_date)s
                        """,
                        product_join=product_join[scope],
                        holder_join=holder_join[holder],
                        quota_filter=quota_filter,
                        scope_column=SQL.identifier(scope_column),
                        holder_column=SQL.identifier(holder_column),
                        order_filter=order_filter,
                        date_window=date_window,
                        check_date=check_date,
                    )
                )
        if not branches:
            return SQL("SELECT NULL::int AS quota_id, NULL::int AS line_id, NULL::float AS qty WHERE FALSE")
        return SQL(" UNION ALL ").join(branches)

    @api.model
    def _quota_figures_query(self, quota_ids, exclude_order_ids=(), only_order_ids=None):
        """``(quota id, allocated in effect, used)`` of ``quota_ids`` in one statement."""
        return SQL(
            """
            SELECT q.id,
                   q.quantity
                   + COALESCE((SELECT SUM(t.quantity) FROM osb_quota_transfer t WHERE t.to_quota_id = q.id), 0)
                   - COALESCE((SELECT SUM(t.quantity) FROM osb_quota_transfer t WHERE t.from_quota_id = q.id), 0),
                   COALESCE(u.used, 0)
              FROM osb_quota q
              LEFT JOIN (%s) AS u ON u.quota_id = q.id
             WHERE q.id = ANY(%s)
            """,
            self._quota_used_query(quota_ids, exclude_order_ids=exclude_order_ids, only_order_ids=only_order_ids),
            list(quota_ids),
        )

    @api.model
    def _quota_flush(self):
        self.env["sale.order.line"].flush_model(
            ["product_id", "product_uom_qty", "product_uom", "state", "company_id", "display_type", "order_id"]
        )
        self.env["sale.order"].flush_model(["partner_id", "team_id", "date_order", "commitment_date", "state"])
        self.env["osb.quota.transfer"].flush_model(["from_quota_id", "to_quota_id", "quantity"])
        self.env["res.partner"].flush_model(["tz", "commercial_partner_id"])
        self.env["crm.team"].flush_model(["parent_path"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id", "uom_id"])
        self.flush_model()

    def _quota_figures(self, exclude_order_ids=(), cr=None):
        """``{quota id: (allocated in effect, used)}`` of these allocations, one query."""
        if not self.ids:
            return {}
        self._quota_flush()
        cr = cr or self.env.cr
        cr.execute(self._quota_figures_query(self.ids, exclude_order_ids=exclude_order_ids))
        return {quota_id: (allocated, used) for quota_id, allocated, used in cr.fetchall()}

    def _quota_line_ids(self):
        """Ids of the confirmed order lines that consume this allocation."""
        self.ensure_one()
        self._quota_flush()
        sql = SQL("SELECT DISTINCT lines.line_id FROM (%s) AS lines", self._quota_lines_query([self.id]))
        self.env.cr.execute(sql)
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _quota_locked_figures(self, quota_ids, exclude_order_ids=(), own_order_ids=()):
        """``{quota id: (allocated, used)}`` read under the allocations' locks (taken
        before): what is committed now, including what other transactions committed
        after this one's snapshot, plus this transaction's own confirmations
        (``own_order_ids``). An allocation this transaction created or changed is
        read as this transaction sees it (the smaller allocation of both views)."""
        self._quota_flush()
        cr = self.env.cr
        cr.execute("SELECT txid_current_if_assigned() IS NOT NULL")
        wrote = cr.fetchone()[0]
        own_ids = [oid for oid in own_order_ids if oid not in set(exclude_order_ids)] if wrote else []
        excluded = list(exclude_order_ids) + own_ids

        def read_fresh(fresh_cr):
            try:
                fresh_cr.execute(self._quota_figures_query(quota_ids, exclude_order_ids=excluded), log_exceptions=False)
            except psycopg2.errors.UndefinedTable:
                return {}  # the addon is being installed in this transaction: nothing of it is committed
            return {row[0]: (row[1], row[2]) for row in fresh_cr.fetchall()}

        fresh = self.env["sales.lock"]._read_committed(read_fresh)
        if not wrote:
            return fresh
        # This transaction's view of the allocations (cheap: no order line), and the
        # use as it sees it of the allocations it created (not committed yet).
        cr.execute(
            SQL(
                """SELECT q.id, q.quantity
                          + COALESCE((SELECT SUM(t.quantity) FROM osb_quota_transfer t WHERE t.to_quota_id = q.id), 0)
                          - COALESCE((SELECT SUM(t.quantity) FROM osb_quota_transfer t WHERE t.from_quota_id = q.id), 0)
                     FROM osb_quota q WHERE q.id = ANY(%s)""",
                list(quota_ids),
            )
        )
        main_allocated = dict(cr.fetchall())
        new_ids = [quota_id for quota_id in main_allocated if quota_id not in fresh]
        main = {}
        if new_ids:
            cr.execute(self._quota_figures_query(new_ids, exclude_order_ids=exclude_order_ids))
            main = {row[0]: (row[1], row[2]) for row in cr.fetchall()}
        own = {}
        if own_ids:
            known = [quota_id for quota_id in main_allocated if quota_id in fresh]
            if known:
                cr.execute(self._quota_figures_query(known, only_order_ids=own_ids))
                own = {row[0]: row[2] for row in cr.fetchall()}
        result = dict(main)
        for quota_id, allocated in main_allocated.items():
            if quota_id in fresh:
                fresh_allocated, fresh_used = fresh[quota_id]
                result[quota_id] = (min(allocated, fresh_allocated), fresh_used + own.get(quota_id, 0.0))
        return result

    # ------------------------------------------------------------------
    # Warning level
    # ------------------------------------------------------------------

    @api.model
    def _cron_quota_warnings(self, limit=1000):
        """Warn the SSG leader, with one activity per allocation, when the use of an
        allocation of a current period crosses the company's warning level; never
        twice (``warning_sent``, reset when the use falls below the level again).
        Batched: one query for the figures, one activity creation."""
        today = fields.Date.context_today(self)
        quotas = self.search(
            [("date_to", ">=", today), ("company_id.osb_quota_warning_level", ">", 0)], order="id", limit=limit * 10
        )
        if not quotas:
            return
        figures = quotas._quota_figures()
        to_warn = self.browse()
        to_reset = self.browse()
        for quota in quotas:
            allocated, used = figures[quota.id]
            level = quota.company_id.osb_quota_warning_level
            crossed = allocated > 0 and used >= allocated * level / 100.0 or (allocated <= 0 and used > 0)
            if crossed and not quota.warning_sent:
                to_warn |= quota
            elif not crossed and quota.warning_sent:
                to_reset |= quota
        to_warn = to_warn[:limit]
        if to_reset:
            to_reset.sudo().write({"warning_sent": False})
        if not to_warn:
            return
        activity_type = self.env.ref("osb_credit.mail_activity_type_quota_warning")
        leaders = (
            self.env.ref("osb_credit.group_osb_ssg_leader")
            .sudo()
            .users.filtered(lambda u: u.active and not u._is_superuser() and u._is_internal())
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = []
        for quota in to_warn:
            allocated, used = figures[quota.id]
            for leader in leaders.filtered(lambda u, quota=quota: quota.company_id in u.company_ids):
                activities.append(self._quota_warning_values(quota, leader, activity_type, model_id, allocated, used))
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(activities)
        to_warn.sudo().write({"warning_sent": True})

    @api.model
    def _quota_warning_values(self, quota, leader, activity_type, model_id, allocated, used):
        return {
            "res_model_id": model_id,
            "res_id": quota.id,
            "activity_type_id": activity_type.id,
            "user_id": leader.id,
            "summary": self.env._(
                "Quota %(percent)s%% used: %(quota)s",
                percent=formatLang(self.env, 100.0 * used / allocated if allocated else 100.0, digits=0),
                quota=quota.display_name,
            )[:250],
            "note": self.env._(
                "Allocated %(allocated)s, used %(used)s, available %(available)s (warning level %(level)s%%).",
                allocated=self._quota_format(allocated),
                used=self._quota_format(used),
                available=self._quota_format(allocated - used),
                level=formatLang(self.env, quota.company_id.osb_quota_warning_level, digits=0),
            ),
        }
