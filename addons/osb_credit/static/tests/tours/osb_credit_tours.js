/** @odoo-module **/
// Browser tours of osb_credit, run by tests/test_tours.py (HttpCase.start_tour)
// on the data the test prepares. Each step that only checks the screen has no `run`.
import { registry } from "@web/core/registry";

// A credit manager releases an order held over the customer's credit limit:
// the worklist and the order show the reason and the figures, the release
// confirms the order and the banner says who released it and why.
registry.category("web_tour.tours").add("osb_credit_release", {
    url: "/odoo/action-osb_credit.action_sale_order_credit_hold",
    steps: () => [
        {
            content: "The worklist: the held order, its reason, amount, exposure and limit",
            trigger: ".o_list_view .o_data_row:contains('Tour Credit Customer'):contains('Credit limit exceeded'):contains('12,000.00'):contains('10,000.00') .o_data_cell[name=osb_credit_partner_id]",
            run: "click",
        },
        {
            content: "The order's banner: on hold, the rule that fired and the figures",
            trigger: ".o_form_view .alert-danger:contains('Credit hold:') li:contains('exceeds the credit limit'):contains('10,000.00')",
        },
        {
            trigger: ".o_form_view .alert-danger tr:contains('This order'):contains('12,000.00')",
        },
        {
            trigger: ".o_form_view .alert-danger tr:contains('Exposure'):contains('12,000.00')",
        },
        {
            trigger: ".o_form_view .alert-danger tr:contains('Credit limit'):contains('10,000.00')",
        },
        {
            // format_amount writes a zero-width no-break space after the minus sign
            trigger: ".o_form_view .alert-danger tr:contains('Available'):contains('-'):contains('2,000.00')",
        },
        {
            content: "Still a quotation",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Quotation')",
        },
        {
            content: "Release it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_osb_credit_release]",
            run: "click",
        },
        {
            content: "The wizard names the order",
            trigger: ".modal .o_field_widget[name=order_ids] .o_tag:contains('S')",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Bank guarantee received",
        },
        {
            trigger: ".modal .modal-footer button[name=action_release]",
            run: "click",
        },
        {
            content: "Released: the order is confirmed, the banner says by whom and why",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
        },
        {
            trigger: ".o_form_view .alert-warning:contains('Released by Tour Credit Manager'):contains('12,000.00'):contains('Bank guarantee received')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_osb_credit_release]))",
        },
    ],
});
