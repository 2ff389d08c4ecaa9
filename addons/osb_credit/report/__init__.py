from . import osb_credit_aging
from . import osb_replenishment
from . import osb_replenishment_line
from . import osb_quota_report
from . import osb_pop_budget_report
