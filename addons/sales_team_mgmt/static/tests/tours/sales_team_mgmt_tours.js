/** @odoo-module **/
// Browser tours of sales_team_mgmt, run by tests/test_tours.py (HttpCase.start_tour)
// on the data the test prepares. Each step that only checks the screen has no `run`.
import { registry } from "@web/core/registry";

// The org chart: the top team folded among the other top teams, a market unfolded
// (its regions, leaders and team types), then a region opened in its form.
registry.category("web_tour.tours").add("sales_team_mgmt_org_chart", {
    url: "/odoo/action-sales_team_mgmt.action_crm_team_hierarchy",
    steps: () => [
        {
            content: "The top team shows its two markets, folded",
            trigger: ".o_hierarchy_node:contains('Tour SLT'):contains('(TOUR-SLT)') button[name=hierarchy_search_subsidiaries]:contains('Unfold'):contains('2')",
            run: "click",
        },
        {
            content: "The market shows its leader, its type and its region",
            trigger: ".o_hierarchy_node:contains('Tour East'):contains('Market'):contains('Tour Mm') button[name=hierarchy_search_subsidiaries]:contains('Unfold'):contains('1')",
            run: "click",
        },
        {
            content: "The other market is still shown, folded and without sub-team",
            trigger: ".o_hierarchy_node:contains('Tour North'):not(:has(button[name=hierarchy_search_subsidiaries]))",
        },
        {
            content: "The market unfolded shows its region: open it",
            trigger: ".o_hierarchy_node:contains('Tour Shanghai'):contains('Region'):contains('Tour Rm') .o_hierarchy_node_content",
            run: "click",
        },
        {
            content: "The form of the region: name, code, parent team",
            trigger: ".o_form_view .o_field_widget[name=name] input:value('Tour Shanghai')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=code] input:value('TOUR-SH')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=parent_id] input:value('Tour East')",
        },
        {
            content: "Its smart buttons: one sub-team, one member",
            trigger: ".o_form_view .oe_stat_button:contains('Sub-teams'):contains('1')",
        },
        {
            trigger: ".o_form_view .oe_stat_button:contains('Members'):contains('1')",
        },
        {
            content: "Its roles: the region manager",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Roles')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=crm_team_member_ids] .o_data_row:contains('Tour Rm'):contains('Tour Region Manager')",
        },
    ],
});

// Order approval: a rep's quotation above his authority waits for his unit leader,
// who finds it in Orders to Approve, reads why and approves it.
registry.category("web_tour.tours").add("sales_team_mgmt_order_approval", {
    url: "/odoo/action-sales_team_mgmt.action_sale_order_to_approve",
    steps: () => [
        {
            content: "The leader's list: the rep's order, its amount and state",
            trigger: ".o_list_view .o_data_row:contains('Tour Approval Customer'):contains('Tour Rep'):contains('150,000.00'):contains('To Approve') .o_data_cell[name=partner_id]",
            run: "click",
        },
        {
            content: "The banner names the approver and what exceeds the authority",
            trigger: ".o_form_view .alert-warning:contains('exceeds the salesperson'):contains('Tour Um'):contains('150,000.00'):contains('50,000.00'):contains('Tour Rep Role')",
        },
        {
            content: "The order waits for approval: still a quotation, no Confirm button",
            trigger: ".o_form_view .alert-warning:contains('Not confirmed yet'):contains('Waiting for the approval of Tour Um')",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Quotation')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_confirm]:visible))",
        },
        {
            content: "Approve",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approval_approve]",
            run: "click",
        },
        {
            content: "Approved: the banner gone, Confirm offered",
            trigger: ".o_form_view:not(:has(.alert-warning:contains('exceeds the salesperson')))",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]:visible",
        },
        {
            content: "The approval, on Other Info: the state, the approver, the amount approved",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Other Info')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=approval_state]:contains('Approved')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=approver_id]:contains('Tour Um')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=approved_amount]:contains('150,000.00')",
        },
    ],
});
