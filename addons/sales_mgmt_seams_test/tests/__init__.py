from . import test_confirmation_check
from . import test_kpi_source
from . import test_team_scoped
from . import test_approval_engine
from . import test_approval_helpers
