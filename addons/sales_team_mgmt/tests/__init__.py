from . import test_sales_role
from . import test_crm_team
from . import test_approval
from . import test_visibility
from . import test_sales_complaint
from . import test_sales_visit
from . import test_sales_distribution
from . import test_sales_work_report
