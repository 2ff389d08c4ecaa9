from . import test_confirmation_check
from . import test_kpi_source
