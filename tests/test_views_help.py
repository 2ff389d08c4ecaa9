"""Every screen of the addons says, when it is empty, what it is for and how to
fill it: each window action (but the dialogs of wizards) has a help text."""

from conftest import ADDONS, committed_env


def test_every_window_action_has_an_empty_state_help():
    with committed_env() as env:
        data = env["ir.model.data"].search([("module", "in", list(ADDONS)), ("model", "=", "ir.actions.act_window")])
        actions = env["ir.actions.act_window"].browse(data.mapped("res_id"))
        names = {d.res_id: f"{d.module}.{d.name}" for d in data}
        assert actions, "the addons have window actions"
        missing = sorted(names[a.id] for a in actions if a.target != "new" and not a.help)
        assert not missing, f"window actions without a help text: {missing}"
