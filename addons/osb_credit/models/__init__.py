from . import osb_credit_policy
