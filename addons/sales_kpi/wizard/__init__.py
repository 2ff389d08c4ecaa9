from . import sales_kpi_fact_rebuild
from . import sales_scorecard_generate
