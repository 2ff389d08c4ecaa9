from . import osb_credit_aging
