/** @odoo-module */
// The activity menu's "Orders to Approve" entry (res.users._get_activity_groups):
// its count, and a click opens the Orders to Approve menu's action.

import { ActivityMenu } from "@mail/core/web/activity_menu";
import { patch } from "@web/core/utils/patch";

patch(ActivityMenu.prototype, {
    openActivityGroup(group) {
        if (group.type === "sales_approval") {
            this.dropdown.close();
            this.action.doAction(group.action, { clearBreadcrumbs: true });
            return;
        }
        return super.openActivityGroup(...arguments);
    },
});
