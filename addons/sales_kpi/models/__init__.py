from . import res_company
from . import res_config_settings
from . import sales_kpi
from . import sales_kpi_fact
from . import sales_kpi_manual_value
from . import sales_kpi_target_plan
from . import sales_kpi_target_line
from . import sale_order
