from . import osb_credit_aging
from . import osb_quota_report
