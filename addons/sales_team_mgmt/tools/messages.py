# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""One way to write a list of errors in a message."""


def format_error_list(errors, intro=None):
    """``intro`` (optional) then one line per error. A single error without an
    intro is returned as it is, so that a message stays a sentence."""
    errors = [error for error in errors if error]
    if not intro and len(errors) == 1:
        return errors[0]
    lines = [intro] if intro else []
    lines.extend(f"- {error}" if intro else error for error in errors)
    return "\n".join(lines)


# Sentence-ending punctuation, Western and full-width (Chinese).
SENTENCE_END = ".。!！?？;；,，:：…"


def strip_sentence_end(text):
    """``text`` without its trailing spaces and sentence punctuation, to quote it
    in a message that ends the sentence itself ("rejected: %(reason)s. It stays"):
    a reason typed with its own full stop ("resubmit.", "重新提交。") is not
    followed by a second one."""
    return (text or "").rstrip().rstrip(SENTENCE_END).rstrip()
