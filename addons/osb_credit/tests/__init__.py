from . import test_osb_credit_policy
