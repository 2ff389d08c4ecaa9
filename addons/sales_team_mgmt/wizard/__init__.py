from . import sales_approval_reject
from . import sales_customer_class_set
from . import sales_distribution_wizard
from . import sales_distribution_member
