# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""18.0.1.1.0: order approval runs on the approval engine, which keeps the step an
order waits for: orders waiting for approval wait for the authority step."""


def migrate(cr, version):
    cr.execute("UPDATE sale_order SET approval_step = 'authority' WHERE approval_state = 'to_approve'")
