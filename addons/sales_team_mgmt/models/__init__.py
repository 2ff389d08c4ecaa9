from . import sales_role
