from . import sales_visit_compliance
