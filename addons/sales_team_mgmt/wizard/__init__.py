from . import sales_approval_reject
from . import sales_customer_class_set
