from . import res_partner
from . import sale_order
from . import sales_kpi
from . import sales_seams_note
from . import sales_seams_claim
