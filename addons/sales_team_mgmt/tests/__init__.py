from . import test_sales_role
