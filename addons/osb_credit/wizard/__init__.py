from . import osb_credit_release_wizard
