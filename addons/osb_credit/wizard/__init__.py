from . import osb_credit_release_wizard
from . import osb_role_reassign
from . import osb_role_reassign_line
