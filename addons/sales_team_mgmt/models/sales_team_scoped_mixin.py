# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

# The visibility of a team-scoped document, rule by rule: (suffix, group, domain,
# (read, write, create, unlink)). ``None`` for the group: the global company rule.
TEAM_SCOPE_RULES = (
    ("company", None, "[('company_id', 'in', company_ids)]", (True, True, True, True)),
    ("own", "own", "['|', ('user_id', '=', user.id), ('user_id', '=', False)]", (True, True, True, True)),
    (
        "hierarchy_read",
        "hierarchy",
        "[('team_id', 'in', user._sales_get_hierarchy_subtree_ids())]",
        (True, False, False, False),
    ),
    ("hierarchy_write", "hierarchy", "[('team_id.user_id', '=', user.id)]", (False, True, True, True)),
    ("all", "all", "[(1, '=', 1)]", (True, True, True, True)),
)
# A document of the approval engine also: its current approver reads it (and acts
# through the engine).
APPROVER_RULE = ("approver", "own", "[('approver_id', '=', user.id)]", (True, False, False, False))


class SalesTeamScopedMixin(models.AbstractModel):
    """A document of a salesperson and a team, seen as DESIGN.md's visibility says:
    the salesperson sees their own, leaders (group Team hierarchy) read every
    document of the teams they lead and of all the teams below and write those of
    the teams they lead directly, All Documents sees everything, in the user's
    companies. A re-organisation applies at once: the hierarchy rule reads
    ``res.users._sales_get_hierarchy_subtree_ids``, whose cache (with Odoo's cache of
    rule domains) crm.team and crm.team.member clear when the tree changes.

    A model gets it in two steps (see docs/development.md):

    1. ``_inherit = ["sales.team.scoped.mixin", ...]`` (the model has a
       ``company_id``): the salesperson ``user_id`` (default: the current user) and
       the ``team_id`` (default: the salesperson's sales team), both indexed;
    2. the rules, created (and updated on upgrade) by one call in the module's
       ``security/ir_rules.xml``::

           <function model="sales.team.scoped.mixin" name="_sales_team_scope_rules">
               <value>my_module</value>
               <value>my.model</value>
           </function>
    """

    _name = "sales.team.scoped.mixin"
    _description = "Team-Scoped Document Mixin"

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
    )

    @api.depends("user_id")
    def _compute_team_id(self):
        for record in self:
            record.team_id = record.team_id or record.user_id.sale_team_id

    @api.model
    def _sales_team_scope_rules(self, module, model_name, own=None, hierarchy=None, all_documents=None):
        """Create, or update on upgrade, the record rules of the team-scoped model
        ``model_name`` as records of ``module`` (their XML ids
        ``<module>.rule_<model>_company|own|hierarchy_read|hierarchy_write|all``, removed
        with the module). The groups default to Sales' own documents, this addon's
        Team hierarchy and Sales' all documents; give other XML ids to scope a model
        by other groups (``own``, ``hierarchy``, ``all_documents``). A document of
        the approval engine also gets ``rule_<model>_approver``: its current
        approver reads it."""
        groups = {
            "own": own or "sales_team.group_sale_salesman",
            "hierarchy": hierarchy or "sales_team_mgmt.group_sales_team_mgmt_hierarchy",
            "all": all_documents or "sales_team.group_sale_salesman_all_leads",
        }
        model = self.env["ir.model"]._get(model_name)
        label = model.name
        table = model_name.replace(".", "_")
        rules = list(TEAM_SCOPE_RULES)
        if "approval_step" in self.env[model_name]._fields:
            rules.append(APPROVER_RULE)
        data_list = []
        for suffix, group, domain, (read, write, create, unlink) in rules:
            values = {
                "name": f"{label}: {suffix.replace('_', ' ')}",
                "model_id": model.id,
                "domain_force": domain,
                "groups": [(6, 0, [self.env.ref(groups[group]).id])] if group else [(5,)],
                "perm_read": read,
                "perm_write": write,
                "perm_create": create,
                "perm_unlink": unlink,
            }
            data_list.append({"xml_id": f"{module}.rule_{table}_{suffix}", "values": values, "noupdate": False})
        return self.env["ir.rule"].sudo()._load_records(data_list, update=True)
