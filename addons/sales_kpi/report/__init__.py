from . import sales_kpi_target_report
from . import sales_pay_team_report
