"""The daily rectification reminders (inspections/reminders.py): the school hears of a notice
two working days before its deadline, a holiday in between moving the reminder earlier; an
overdue notice is reported once to its inspector and the inspection office; nothing twice."""

import datetime

import pytest
from django.core import mail

from bureau.models import Notice, Role
from inspections.models import RectificationNotice
from inspections.reminders import rectification_reminders_send
from inspections.services import notice_answer, notice_issue
from inspections.services import notices as notice_module
from tests.factories import DepartmentFactory, UserFactory
from tests.inspections.factories import FiledVisitFactory, VisitItemFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def issued_on(monkeypatch):
    def at(day):
        monkeypatch.setattr(notice_module.timezone, "localdate", lambda *args: day)
    return at


def raise_notice(school, inspector, days, code="03-2"):
    visit = FiledVisitFactory(school=school, inspector=inspector)
    item = VisitItemFactory(visit=visit, code=code, text="每天1小时体育活动", result="not_met")
    return notice_issue(item=item, requirement="保证每天1小时体育活动", working_days=days, by=inspector)


@pytest.fixture
def office(district):
    return UserFactory(role=Role.STAFF, district=district, email="duban@example.org",
                       department=DepartmentFactory(code="inspection", name="督导室"))


def titles(user):
    return list(Notice.objects.filter(recipient=user).values_list("title", flat=True))


def test_the_school_is_reminded_two_working_days_before_across_the_national_day(
        school, inspector_user, principal_user, deputy_user, issued_on, django_capture_on_commit_callbacks):
    # Issued Monday 28 September 2026 with 4 working days: 29, 30 September, then 1–7 October
    # are off, so the deadline is Friday 9 October (国务院办公厅 2026 notice).
    issued_on(D(2026, 9, 28))
    notice = raise_notice(school, inspector_user, 4)
    assert notice.deadline == D(2026, 10, 9)
    # 29 September: three working days remain (30 Sep, 8 Oct, 9 Oct): not yet.
    assert rectification_reminders_send(today=D(2026, 9, 29)) == {"due_soon": 0, "overdue": 0}
    # 30 September, the last day before the holiday: two working days remain (8 and 9 October).
    principal_user.email = "xiaozhang@example.org"
    principal_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        made = rectification_reminders_send(today=D(2026, 9, 30))
    assert made == {"due_soon": 2, "overdue": 0}  # the principal and the deputy
    assert titles(principal_user) == titles(deputy_user) == [f"2026-10-09 到期：天宁区实验小学的整改通知 {notice.pk}"]
    assert [m.to for m in mail.outbox] == [["xiaozhang@example.org"]]  # the deputy has no address
    # The next days (and a second run) send nothing again.
    assert rectification_reminders_send(today=D(2026, 10, 8)) == {"due_soon": 0, "overdue": 0}
    assert rectification_reminders_send(today=D(2026, 9, 30)) == {"due_soon": 0, "overdue": 0}
    assert not titles(inspector_user)


def test_an_answered_notice_is_not_reminded(school, inspector_user, principal_user, issued_on):
    issued_on(D(2026, 9, 28))
    notice = raise_notice(school, inspector_user, 4)
    notice_answer(notice=notice, answer="已保证每天1小时体育活动", by=principal_user)
    assert rectification_reminders_send(today=D(2026, 9, 30)) == {"due_soon": 0, "overdue": 0}
    assert rectification_reminders_send(today=D(2026, 10, 12)) == {"due_soon": 0, "overdue": 0}


def test_an_overdue_notice_is_reported_once_to_its_inspector_and_the_office(
        school, inspector_user, principal_user, office, staff_user, issued_on):
    issued_on(D(2026, 9, 28))
    notice = raise_notice(school, inspector_user, 4)
    # The job did not run before the deadline day: the school hears of it then, late but once.
    assert rectification_reminders_send(today=D(2026, 10, 9)) == {"due_soon": 1, "overdue": 0}
    assert rectification_reminders_send(today=D(2026, 10, 10)) == {"due_soon": 0, "overdue": 2}
    expected = [f"逾期：天宁区实验小学的整改通知 {notice.pk} 应于 2026-10-09 完成"]
    assert titles(inspector_user) == titles(office) == expected
    assert not titles(staff_user)  # another department's staff
    # The school is not told twice: it sees the notice overdue on its page.
    assert titles(principal_user) == [f"2026-10-09 到期：天宁区实验小学的整改通知 {notice.pk}"]
    # Reported once, however many days it stays overdue.
    assert rectification_reminders_send(today=D(2026, 10, 12)) == {"due_soon": 0, "overdue": 0}
    assert RectificationNotice.objects.get().is_overdue(D(2026, 10, 12))


def test_the_job_runs_the_reminders(school, inspector_user, principal_user, issued_on, monkeypatch):
    from bureau import jobs
    from inspections import reminders

    issued_on(D(2026, 9, 28))
    raise_notice(school, inspector_user, 4)
    monkeypatch.setattr(reminders.timezone, "localdate", lambda *args: D(2026, 9, 30))
    run = jobs.job_enqueue(kind="inspections.reminders", key="periodic:inspections.reminders:test")
    jobs.job_run(job_id=run.pk)
    assert Notice.objects.filter(recipient=principal_user).count() == 1
