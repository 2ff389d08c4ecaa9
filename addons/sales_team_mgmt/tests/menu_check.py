# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Open every menu of an addon as a given user, the way the web client does.

For each menu of the addon that the user sees (it and its parents) and that
opens a window action:
the action's views (and its search view) are loaded, its domain and the
filters its context turns on by default (``search_default_*``) are evaluated,
and the records are read with the fields of the list view, or grouped as the
pivot or graph view groups them. An access error, a view the user cannot load
or a domain that does not evaluate fails the test with the menu's name."""

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tools.safe_eval import datetime, safe_eval, time


def _eval_context(env):
    return {
        "uid": env.uid,
        "user": env.user,
        "active_id": False,
        "active_ids": [],
        "allowed_company_ids": env.companies.ids,
        "context_today": lambda: fields.Date.context_today(env.user),
        "datetime": datetime,
        "relativedelta": relativedelta,
        "time": time,
    }


def _default_filter_domains(search_arch, context, eval_context):
    """Domains of the search view's filters that the action turns on."""
    domains = []
    for node in etree.fromstring(search_arch).iter("filter"):
        name = node.get("name")
        if name and context.get(f"search_default_{name}") and node.get("domain"):
            domains.append(safe_eval(node.get("domain"), eval_context))
    return domains


def _read_like_the_view(model, view_type, arch, domain):
    tree = etree.fromstring(arch)
    names = [node.get("name") for node in tree.iter("field") if node.get("name") in model._fields]
    if view_type == "list":
        model.web_search_read(domain, {name: {} for name in names}, limit=40)
    elif view_type in ("pivot", "graph"):
        groupby = [
            node.get("name") + (":" + node.get("interval") if node.get("interval") else "")
            for node in tree.iter("field")
            if node.get("type") in ("row", "col") and node.get("name") in model._fields
        ]
        measures = [
            f"{node.get('name')}:sum"
            for node in tree.iter("field")
            if node.get("type") == "measure" and node.get("name") in model._fields
        ]
        model.read_group(domain, measures or ["__count"], groupby[:1] or [], lazy=True)
    elif view_type in ("form", "hierarchy", "kanban"):
        model.search(domain, limit=1).read(names)


def open_menus(case, user, module):
    """Open, as ``user``, every menu of ``module`` the user sees (see the module's
    docstring). Returns the xml ids of the menus opened."""
    env = case.env(user=user)
    Menu = env["ir.ui.menu"].sudo()
    visible = set(env["ir.ui.menu"]._visible_menu_ids())
    data = env["ir.model.data"].sudo().search([("model", "=", "ir.ui.menu"), ("module", "=", module)])
    opened = []
    for entry in data.sorted("name"):
        menu = Menu.browse(entry.res_id)
        # the web client shows a menu only under visible parents
        path = [int(menu_id) for menu_id in menu.parent_path.split("/") if menu_id]
        if not visible.issuperset(path) or not menu.action or menu.action._name != "ir.actions.act_window":
            continue
        action = menu.action
        xmlid = f"{module}.{entry.name}"
        with case.subTest(menu=xmlid, user=user.login):
            eval_context = _eval_context(env)
            context = safe_eval(action.context or "{}", eval_context)
            model = env[action.res_model].with_context(**context)
            modes = ["list" if mode == "tree" else mode for mode in action.view_mode.split(",")]
            explicit = {view.view_mode: view.view_id.id for view in action.view_ids}
            requested = [
                (explicit.get(mode) or (action.view_id.id if action.view_id.type == mode else False), mode)
                for mode in modes
            ]
            views = model.get_views([*requested, (action.search_view_id.id or False, "search")])["views"]
            domain = safe_eval(action.domain or "[]", eval_context)
            for extra in _default_filter_domains(views["search"]["arch"], context, eval_context):
                domain = domain + extra
            for mode in modes:
                _read_like_the_view(model, mode, views[mode]["arch"], domain)
            opened.append(xmlid)
    return opened
