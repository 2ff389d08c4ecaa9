# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, formatLang

from odoo.addons.sales_team_mgmt.tools import format_error_list

RETURN_REASONS = [
    ("quality", "Quality"),
    ("expired", "Expired"),
    ("wrong_shipment", "Wrong Shipment"),
    ("other", "Other"),
]


class OsbReturnLine(models.Model):
    """A line of a customer return: goods of one line of the source order, in the
    order line's unit, at its net price (``price_reduce_taxexcl``)."""

    _name = "osb.return.line"
    _description = "Customer Return Line"
    _order = "return_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    return_id = fields.Many2one("osb.return", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="return_id.company_id", store=True, index=True)
    # The return's salesperson and team: the team-scoped rules of returns apply to lines.
    user_id = fields.Many2one(related="return_id.user_id", store=True, index=True, string="KAM")
    team_id = fields.Many2one(related="return_id.team_id", store=True, index="btree_not_null")
    currency_id = fields.Many2one(related="return_id.currency_id")
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        index=True,
        check_company=True,
        ondelete="restrict",
        help="The line of the source order the goods were sold on (found from the product when not given).",
    )
    product_id = fields.Many2one(
        "product.product",
        compute="_compute_product_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        ondelete="restrict",
    )
    product_uom_id = fields.Many2one(related="sale_line_id.product_uom", string="Unit")
    quantity = fields.Float(digits="Product Unit of Measure", required=True, default=1.0)
    product_qty = fields.Float(
        string="Quantity (Product Unit)",
        digits="Product Unit of Measure",
        compute="_compute_product_qty",
        store=True,
        help="The quantity in the product's unit, counted against what was delivered.",
    )
    reason = fields.Selection(RETURN_REASONS, required=True, default="quality")
    price_unit = fields.Monetary(
        string="Net Unit Price",
        compute="_compute_price",
        store=True,
        help="The order line's net price (discount applied, without taxes).",
    )
    price_subtotal = fields.Monetary(string="Subtotal", compute="_compute_price", store=True)

    @api.depends("sale_line_id")
    def _compute_product_id(self):
        for line in self:
            line.product_id = line.sale_line_id.product_id or line.product_id

    @api.depends("quantity", "sale_line_id.product_uom", "product_id.uom_id")
    def _compute_product_qty(self):
        for line in self:
            uom = line.sale_line_id.product_uom
            if uom and line.product_id and uom != line.product_id.uom_id:
                line.product_qty = uom._compute_quantity(line.quantity, line.product_id.uom_id, round=False)
            else:
                line.product_qty = line.quantity

    @api.depends("quantity", "sale_line_id.price_reduce_taxexcl")
    def _compute_price(self):
        for line in self:
            line.price_unit = line.sale_line_id.price_reduce_taxexcl
            line.price_subtotal = line.currency_id.round(line.quantity * line.price_unit) if line.currency_id else 0.0

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("quantity")
    def _check_quantity(self):
        wrong = self.filtered(lambda line: float_compare(line.quantity, 0.0, precision_digits=6) <= 0)
        if wrong:
            raise ValidationError(
                self.env._(
                    "Quantity: the quantity returned must be positive (%(products)s: %(quantities)s).",
                    products=", ".join(wrong.mapped("product_id.display_name")),
                    quantities=", ".join(formatLang(self.env, q) for q in wrong.mapped("quantity")),
                )
            )

    @api.constrains("sale_line_id", "product_id", "return_id")
    def _check_sale_line(self):
        for line in self:
            order = line.return_id.order_id
            if not line.sale_line_id or line.sale_line_id.order_id != order:
                raise ValidationError(
                    self.env._(
                        "Product: %(product)s is not on the order %(order)s; only goods of the order come back.",
                        product=line.product_id.display_name or line.sale_line_id.display_name or "?",
                        order=order.name,
                    )
                )
            if line.product_id != line.sale_line_id.product_id:
                raise ValidationError(
                    self.env._(
                        "Product: the order line %(line)s sold %(sold)s, not %(product)s.",
                        line=line.sale_line_id.display_name,
                        sold=line.sale_line_id.product_id.display_name,
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("quantity", "sale_line_id", "return_id")
    def _check_return_cap(self):
        """Per order line: the open and done returns together never exceed what was
        delivered less what came back otherwise; one aggregate for all the lines."""
        lines = self.filtered(lambda line: line.sale_line_id and line.return_id.state not in ("rejected", "cancel"))
        if not lines:
            return
        sale_lines = lines.sale_line_id
        figures = self.env["osb.return"]._osb_returnable_figures(sale_lines)
        errors = []
        for sale_line in sale_lines:
            delivered, returned = figures[sale_line.id]
            rounding = sale_line.product_id.uom_id.rounding
            if float_compare(returned, delivered, precision_rounding=rounding) <= 0:
                continue
            mine = lines.filtered(lambda line, sl=sale_line: line.sale_line_id == sl)
            asked = sum(mine.mapped("product_qty"))
            uom = sale_line.product_id.uom_id
            errors.append(
                self.env._(
                    "Quantity: %(product)s on %(order)s: %(asked)s %(uom)s asked, but only %(free)s %(uom)s can "
                    "still be returned (delivered %(delivered)s, already returned %(returned)s).",
                    product=sale_line.product_id.display_name,
                    order=sale_line.order_id.name,
                    asked=formatLang(self.env, asked),
                    uom=uom.name,
                    free=formatLang(self.env, max(delivered - (returned - asked), 0.0)),
                    delivered=formatLang(self.env, delivered),
                    returned=formatLang(self.env, returned - asked),
                )
            )
        if errors:
            raise ValidationError(format_error_list(errors))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._sales_check_input(vals_list)  # before the values are read below
        for vals in vals_list:
            if vals.get("return_id") and vals.get("product_id") and not vals.get("sale_line_id"):
                vals["sale_line_id"] = self._find_sale_line(vals["return_id"], vals["product_id"]).id
        lines = super().create(vals_list)
        if not self.env.su:
            lines.return_id._check_editable()
        return lines

    def write(self, vals):
        if not self.env.su:
            self.return_id._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if not self.env.su:
            self.return_id._check_editable()

    @api.model
    def _find_sale_line(self, return_id, product_id):
        """The line of the return's order selling the product (the first one)."""
        ret = self.env["osb.return"].browse(return_id)
        product = self.env["product.product"].browse(product_id)
        sale_line = ret.order_id.order_line.filtered(lambda sl: sl.product_id == product and not sl.display_type)[:1]
        if not sale_line:
            raise ValidationError(
                self.env._(
                    "Product: %(product)s is not on the order %(order)s; only goods of the order come back.",
                    product=product.display_name,
                    order=ret.order_id.name,
                )
            )
        return sale_line
