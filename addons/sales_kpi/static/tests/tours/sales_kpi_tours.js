/** @odoo-module **/
// Browser tours of sales_kpi, run by tests/test_tours.py (HttpCase.start_tour)
// on the data the test prepares. Each step that only checks the screen has no `run`.
import { registry } from "@web/core/registry";

// A KPI manager allocates a draft target plan (1,200 split equally between two
// teams), checks it and publishes it, reading the figures on the way.
registry.category("web_tour.tours").add("sales_kpi_target_plan", {
    url: "/odoo/action-sales_kpi.action_sales_kpi_target_plan",
    steps: () => [
        {
            content: "The draft plan in the list, with its root target",
            trigger: ".o_list_view .o_data_row:contains('Tour Plan'):contains('1,200.00'):contains('Draft') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Nothing allocated yet",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Draft')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=year_line_ids]:not(:has(.o_data_row))",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_allocate]",
            run: "click",
        },
        {
            content: "Allocated: the top team carries 1,200, each team 600, 51 targets in all",
            trigger: ".o_form_view .o_field_widget[name=year_line_ids] .o_data_row:contains('Tour KPI North'):contains('600.00')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=year_line_ids] .o_data_row:contains('Tour KPI South'):contains('600.00')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=year_line_ids] .o_data_row:contains('Tour KPI Top'):contains('1,200.00')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=year_line_ids] tfoot:contains('2,400.00')",
        },
        {
            trigger: ".o_form_view button[name=action_view_lines]:contains('51')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_check]",
            run: "click",
        },
        {
            content: "The SMART check passes",
            trigger: ".o_form_view .o_field_widget[name=smart_errors]:contains('All checks passed.')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_publish]",
            run: "click",
        },
        {
            content: "Published: frozen (no Allocate), Lock offered",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Published')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_allocate])):has(button[name=action_lock])",
        },
    ],
});
