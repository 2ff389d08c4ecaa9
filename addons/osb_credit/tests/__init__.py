from . import test_osb_credit_policy
from . import test_osb_credit_formula
from . import test_osb_credit_exposure
from . import test_osb_credit_check
from . import test_osb_credit_security
from . import test_osb_credit_review_security
from . import test_osb_credit_menus
from . import test_osb_credit_bad_input
