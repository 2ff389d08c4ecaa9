# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import http
from odoo.tests import HttpCase


class SalesTourCase(HttpCase):
    """Base of the addons' browser tours (``static/tests/tours/*.js``).

    The browser's first page load sends several requests at once, and each HTTP
    thread that finds Odoo's table of static folders (``http.root.statics``) not
    built yet parses every addon manifest with ``ast``; Python 3.11 before 3.11.8
    may then fail one of them ("AST constructor recursion depth mismatch",
    CPython gh-106905), an ERROR in the log. Built once here, before any browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        statics = http.root.statics  # a lazy property: reading it builds it
        assert "web" in statics
