from . import sales_approval_reject
