# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.sales_team_mgmt.tests.menu_check import open_menus


class OsbIssueCommon(BaseCommon):
    """A company of its own, its SSG leader, a CSR and a salesperson, a
    department and a customer."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        return cls._create_company(name="OSB Issue Company")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company

        def user(login, groups):
            return new_test_user(cls.env, login=login, groups=groups, company_id=company.id)

        cls.leader = user("osb_i_leader", "osb_credit.group_osb_ssg_leader")
        cls.csr = user("osb_i_csr", "osb_credit.group_osb_csr")
        cls.rep = user("osb_i_rep", "sales_team.group_sale_salesman")
        cls.department = cls.env["osb.issue.department"].create({"name": "OSB Test Finance", "code": "TFIN"})
        cls.customer = cls.env["res.partner"].create({"name": "OSB Issue Customer", "is_company": True})
        cls.today = fields.Date.context_today(cls.env["osb.issue"])
        cls.meeting = cls.today - timedelta(days=30)

    def _issue(self, **vals):
        values = {
            "title": "Invoices late",
            "meeting_date": self.meeting,
            "department_id": self.department.id,
            "owner_id": self.csr.id,
            "company_id": self.company.id,
        }
        values.update(vals)
        return self.env["osb.issue"].with_user(self.leader).create(values)


@tagged("post_install", "-at_install")
class TestOsbIssueFlow(OsbIssueCommon):
    def test_numbers_per_company_from_the_meeting_year(self):
        first = self._issue()
        second = self._issue(title="Carrier late")
        year = self.meeting.year
        self.assertEqual(first.name, f"OSB/{year}/001")
        self.assertEqual(second.name, f"OSB/{year}/002")
        self.assertEqual(second.display_name, f"OSB/{year}/002 Carrier late")
        other = self._create_company(name="OSB Issue Company 2")
        self.leader.company_ids += other
        third = self._issue(company_id=other.id, owner_id=self.leader.id)
        self.assertEqual(third.name, f"OSB/{year}/001")
        # the due date defaults to the next monthly meeting
        self.assertEqual(first.date_due, self.meeting + relativedelta(months=1))

    def test_owner_moves_and_resolves_with_a_resolution(self):
        issue = self._issue()
        self.assertEqual(issue.state, "open")
        as_owner = issue.with_user(self.csr)
        as_owner.action_start()
        self.assertEqual(issue.state, "in_progress")
        with self.assertRaisesRegex(UserError, "Resolution: say what was done"):
            as_owner.action_resolve()
        self.assertEqual(issue.state, "in_progress")
        as_owner.write({"progress": "Two invoices left", "resolution": "Daily billing run with finance."})
        as_owner.action_resolve()
        self.assertRecordValues(
            issue, [{"state": "resolved", "resolved_by_id": self.csr.id, "resolved_date": self.today}]
        )
        # closed: only the SSG leader reopens it
        with self.assertRaisesRegex(UserError, "Only the SSG leader cancels or reopens"):
            as_owner.action_reopen()
        issue.with_user(self.leader).action_reopen()
        self.assertRecordValues(issue, [{"state": "open", "resolved_by_id": False, "resolved_date": False}])
        with self.assertRaisesRegex(UserError, "Only the SSG leader cancels or reopens"):
            as_owner.action_cancel()
        issue.with_user(self.leader).action_cancel()
        self.assertEqual(issue.state, "cancelled")
        with self.assertRaisesRegex(UserError, "is Cancelled: it cannot become In Progress"):
            issue.with_user(self.leader).action_start()

    def test_resolution_required_by_the_constraint(self):
        issue = self._issue()
        with self.assertRaisesRegex(ValidationError, "Resolution: say what was done"):
            issue.sudo().write({"state": "resolved", "resolution": "  "})

    def test_messages_in_the_chatter(self):
        issue = self._issue().with_context(tracking_disable=False, mail_notrack=False)
        # Odoo tracks no change of a record created in the same transaction: end its creation first
        self.env.flush_all()
        self.env.cr.precommit.run()
        issue.with_user(self.csr).with_context(tracking_disable=False).action_start()
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = issue.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(tracked.mapped("new_value_char"), ["In Progress"])


@tagged("post_install", "-at_install")
class TestOsbIssueSecurity(OsbIssueCommon):
    def test_someone_else_cannot_move_or_resolve_an_issue(self):
        issue = self._issue(resolution="Done")
        reps_issue = self._issue(owner_id=self.rep.id, resolution="Done")
        for user, other in ((self.rep, issue), (self.csr, reps_issue)):
            with self.assertRaises(AccessError):
                other.with_user(user).action_resolve()
            with self.assertRaises(AccessError):
                other.with_user(user).action_start()
            with self.assertRaises(AccessError):
                other.with_user(user).write({"progress": "mine now"})
        self.assertRecordValues(issue | reps_issue, [{"state": "open", "progress": False}] * 2)
        # everyone of the company reads it
        self.assertEqual(issue.with_user(self.rep).read(["title"])[0]["title"], "Invoices late")

    def test_owner_changes_progress_and_resolution_only(self):
        issue = self._issue()
        with self.assertRaisesRegex(UserError, "Due Date, Owner: the SSG leader changes these"):
            issue.with_user(self.csr).write({"date_due": self.today, "owner_id": self.rep.id})
        with self.assertRaisesRegex(AccessError, "changes through its buttons"):
            issue.with_user(self.csr).write({"state": "resolved"})
        with self.assertRaisesRegex(AccessError, "changes through its buttons"):
            issue.with_user(self.leader).write({"state": "cancelled"})
        with self.assertRaises(AccessError):
            self.env["osb.issue"].with_user(self.csr).create(
                {"title": "x", "department_id": self.department.id, "owner_id": self.csr.id}
            )
        self.assertEqual(issue.state, "open")

    def test_issue_without_owner_is_refused_naming_the_field(self):
        Issue = self.env["osb.issue"].with_user(self.leader)
        before = Issue.search_count([])
        values = {"title": "No owner", "department_id": self.department.id, "meeting_date": self.meeting}
        with self.assertRaisesRegex(ValidationError, "Owner: an OSB issue needs its owner"):
            Issue.create(values)
        with self.assertRaisesRegex(ValidationError, "Owner: an OSB issue needs its owner"):
            Issue.create(dict(values, owner_id=False))
        issue = self._issue()
        with self.assertRaisesRegex(ValidationError, "Owner: an OSB issue needs its owner"):
            issue.with_user(self.leader).write({"owner_id": False})
        self.assertEqual(Issue.search_count([]), before + 1)
        self.assertEqual(issue.owner_id, self.csr)

    def test_the_form_follows_who_may_change_what(self):
        issue = self._issue()
        for user, manage, update in ((self.leader, True, True), (self.csr, False, True), (self.rep, False, False)):
            self.assertRecordValues(issue.with_user(user), [{"can_manage": manage, "can_update": update}])

    def test_archived_owner_is_refused(self):
        gone = new_test_user(self.env, login="osb_i_gone", groups="base.group_user", company_id=self.company.id)
        gone.active = False
        with self.assertRaisesRegex(ValidationError, "Owner: .* is archived and cannot follow the issue"):
            self._issue(owner_id=gone.id)

    def test_due_before_the_meeting_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Due Date: the issue .* is due .* before the meeting"):
            self._issue(date_due=self.meeting - timedelta(days=1))

    def test_another_company_reads_nothing(self):
        issue = self._issue()
        other = self._create_company(name="OSB Issue Other")
        stranger = new_test_user(
            self.env, login="osb_i_stranger", groups="osb_credit.group_osb_ssg_leader", company_id=other.id
        )
        self.assertFalse(self.env["osb.issue"].with_user(stranger).search([("id", "=", issue.id)]))

    def test_menus_open(self):
        self._issue()
        opened = set(open_menus(self, self.leader, "osb_credit"))
        self.assertLessEqual({"osb_credit.menu_osb_issue", "osb_credit.menu_osb_issue_department"}, opened)
        self.assertIn("osb_credit.menu_osb_issue", open_menus(self, self.csr, "osb_credit"))


@tagged("post_install", "-at_install")
class TestOsbIssueOverdue(OsbIssueCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the cron covers every company: the issues already there (demo) are not this test's
        cls.env["osb.issue"].sudo().search([]).write({"overdue_notified": True})

    def _overdue(self, count):
        return self.env["osb.issue"].browse(
            [self._issue(title=f"Overdue {n}", date_due=self.today - timedelta(days=1)).id for n in range(count)]
        )

    def _owner_activities(self, issues):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "osb.issue"),
                ("res_id", "in", issues.ids),
                ("activity_type_id", "=", self.env.ref("osb_credit.mail_activity_type_osb_issue_overdue").id),
            ]
        )

    def test_overdue_filter(self):
        late = self._overdue(1)
        on_time = self._issue(date_due=self.today)
        done = self._issue(date_due=self.today - timedelta(days=3), resolution="ok")
        done.with_user(self.leader).action_resolve()
        found = self.env["osb.issue"].search([("company_id", "=", self.company.id), ("is_overdue", "=", True)])
        self.assertEqual(found, late)
        not_late = self.env["osb.issue"].search([("company_id", "=", self.company.id), ("is_overdue", "=", False)])
        self.assertEqual(not_late, on_time | done)
        self.assertEqual((late | on_time | done).mapped("is_overdue"), [True, False, False])

    def test_cron_gives_one_activity_once(self):
        late = self._overdue(3)
        self._issue(date_due=self.today)
        self.env["osb.issue"]._cron_overdue_activities()
        activities = self._owner_activities(late)
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.user_id, self.csr)
        self.assertEqual(sorted(activities.mapped("res_id")), sorted(late.ids))
        self.assertTrue(all(late.mapped("overdue_notified")))
        # never twice, even with the first activities done
        activities[:1].action_feedback(feedback="seen")
        self.env["osb.issue"]._cron_overdue_activities()
        self.assertEqual(len(self._owner_activities(late)), 2)
        self.assertEqual(len(self._owner_activities(late).with_context(active_test=False)), 2)
        # a new due date that passes again: told once more
        late[0].with_user(self.leader).write({"date_due": self.today - timedelta(days=2)})
        self.assertFalse(late[0].overdue_notified)
        self.env["osb.issue"]._cron_overdue_activities()
        self.assertEqual(len(self._owner_activities(late)), 3)
        # resolving closes its activity
        late[1].with_user(self.csr).write({"resolution": "fixed"})
        late[1].with_user(self.csr).action_resolve()
        self.assertEqual(len(self._owner_activities(late[1])), 0)

    def test_cron_batches(self):
        # same number of queries for 1 and for 10 overdue issues
        counts = []
        for count in (1, 1, 10):  # the first run fills the caches
            issues = self._overdue(count)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            self.env["osb.issue"]._cron_overdue_activities()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
            self.assertEqual(len(self._owner_activities(issues)), count)
        self.assertEqual(counts[1], counts[2])

    def test_cron_runs_in_batches(self):
        late = self._overdue(3)
        self.env["osb.issue"]._cron_overdue_activities(limit=2)
        self.assertEqual(len(self._owner_activities(late)), 2)
        self.env["osb.issue"]._cron_overdue_activities(limit=2)
        self.assertEqual(len(self._owner_activities(late)), 3)


@tagged("post_install", "-at_install")
class TestOsbIssueReport(OsbIssueCommon):
    def test_meeting_list_grouped_by_meeting_and_status(self):
        earlier = self.meeting - timedelta(days=31)
        old = self._issue(title="Old carrier issue", meeting_date=earlier, date_due=earlier + timedelta(days=5))
        started = self._issue(title="Started issue")
        started.with_user(self.csr).action_start()
        opened = self._issue(title="Open issue", partner_ids=[Command.set(self.customer.ids)])
        issues = old | started | opened
        groups = issues._report_groups()
        self.assertEqual([meeting for meeting, _states in groups], [self.meeting, earlier])
        self.assertEqual([(label, recs) for label, recs in groups[0][1]], [("Open", opened), ("In Progress", started)])
        html = self.env["ir.actions.report"]._render_qweb_html("osb_credit.action_report_osb_issue", issues.ids)[0]
        html = html.decode()
        for text in ("OSB Issue List", "Old carrier issue", "Started issue", "OSB Issue Customer", "Overdue"):
            self.assertIn(text, html)
        self.assertLess(html.index("Open issue"), html.index("Started issue"))
        self.assertLess(html.index("Started issue"), html.index("Old carrier issue"))
