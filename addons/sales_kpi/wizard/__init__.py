from . import sales_kpi_fact_rebuild
