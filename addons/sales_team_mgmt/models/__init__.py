from . import sales_registry_cache_mixin
from . import sales_role
from . import crm_team
from . import crm_team_member
from . import res_users
from . import account_move
from . import sale_order
from . import sale_order_line
