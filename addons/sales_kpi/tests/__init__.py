from . import test_sales_kpi
from . import test_sales_kpi_allocation
from . import test_sales_kpi_custom_source
from . import test_sales_kpi_sources
from . import test_sales_kpi_security
from . import test_sales_kpi_allocation_queries
from . import test_sales_kpi_daily_work_sources
from . import test_sales_kpi_target_report
