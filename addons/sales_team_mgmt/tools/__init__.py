from .guard import check_guarded_fields
from .cursor_flag import cursor_flag, cursor_flagged
from .messages import format_error_list, strip_sentence_end
