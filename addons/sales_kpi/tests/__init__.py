from . import test_sales_kpi
