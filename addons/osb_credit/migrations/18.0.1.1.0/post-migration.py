# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""18.0.1.1.0: credit reviews run on the approval engine, which keeps the step a
review waits for: the credit manager's, then the SLT member's."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE osb_credit_review
           SET approval_step = CASE WHEN credit_approver_id IS NULL THEN 'credit' ELSE 'slt' END
         WHERE state = 'to_approve'
        """
    )
