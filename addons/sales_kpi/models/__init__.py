from . import sales_kpi
