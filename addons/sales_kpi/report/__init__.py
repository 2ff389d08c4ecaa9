from . import sales_kpi_target_report
