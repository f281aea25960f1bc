"""The daily reminders' mails with a real worker, through a broker that is down when the
reminders run: the notices are in the portal at once, and each mail is sent once, when the
broker is back and the sweep (beat) rings its job again; another sweep, a second run of the
reminders and the worker's own retries send nothing twice.

PostgreSQL and Redis only, as tests/test_job_recovery.py (whose private Redis and worker
this uses): the worker sends through Django's console mail backend, so the mails it sent are
counted in its log.
"""

# ruff: noqa: F811

import time

import pytest
from django.conf import settings

from bureau import jobs as background
from bureau.models import Job, Notice
from complaints.reminders import complaint_reminders_send
from inspections.reminders import rectification_reminders_send
from tests.complaints.factories import handler_for, lodge, parent
from tests.test_celery_worker import FAST_JOBS, _database_url, queue  # noqa: F401
from tests.test_job_recovery import broker, broker_worker, wait  # noqa: F401

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker to send tasks through"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def fast_jobs(settings):
    _database_url()
    for name, value in FAST_JOBS.items():
        setattr(settings, name, value)


def _mails_to(worker, address):
    return worker.output().count(f"To: {address}")


def test_a_reminder_made_while_the_broker_is_down_is_mailed_once(broker, broker_worker, school, district):
    handler = handler_for(district)
    handler.email = "handler@example.org"
    handler.save()
    complaint = lodge(school=school, by=parent(username="zhangsan"))
    broker.stop()
    # The working day before the deadline, the beat runs the reminders: the broker is unreachable.
    made = complaint_reminders_send(today=_working_day_before(complaint.accept_due, district))
    assert made["due_tomorrow"] == 1
    notice = Notice.objects.get(recipient=handler)  # in the portal at once
    job = Job.objects.get(kind="bureau.notice_mail")
    assert job.state == Job.State.QUEUED and job.sent_at is None and notice.mailed_at is None
    # Sweeps while the broker is down ring nothing and lose nothing.
    background.jobs_sweep()
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED

    broker.start()
    broker_worker.start()

    def mailed():
        notice.refresh_from_db()
        job.refresh_from_db()
        return notice.mailed_at is not None and job.state == Job.State.DONE

    wait(mailed, "mailed", broker_worker)
    # More sweeps (beat every minute), the reminders run again, the job rung again: nothing new.
    complaint_reminders_send(today=_working_day_before(complaint.accept_due, district))
    for _ in range(4):
        background.jobs_sweep()
        time.sleep(1)
    assert Job.objects.filter(kind="bureau.notice_mail").count() == 1
    assert _mails_to(broker_worker, "handler@example.org") == 1, broker_worker.output()[-3000:]
    assert complaint.tracking_number in broker_worker.output()


def _working_day_before(day, district):
    from datetime import timedelta

    from bureau.calendar import is_working_day

    before = day - timedelta(days=1)
    while not is_working_day(before, district=district):
        before -= timedelta(days=1)
    return before


def test_rectification_reminders_too(broker, broker_worker, school, principal_user):
    import datetime

    from inspections.models import RectificationNotice
    from tests.inspections.factories import FiledVisitFactory, VisitItemFactory

    principal_user.email = "principal@example.org"
    principal_user.save()
    visit = FiledVisitFactory(school=school)
    item = VisitItemFactory(visit=visit, result="not_met")
    today = datetime.date(2026, 11, 12)  # Thursday; the deadline Monday is 2 working days on
    RectificationNotice.objects.create(item=item, school=school, inspector=visit.inspector, requirement="整改",
                                       working_days=5, issued_on=today, deadline=datetime.date(2026, 11, 16))
    broker.stop()
    assert rectification_reminders_send(today=today)["due_soon"] == 1
    broker.start()
    broker_worker.start()
    wait(lambda: Notice.objects.filter(recipient=principal_user, mailed_at__isnull=False).exists(), "mailed",
         broker_worker)
    for _ in range(3):
        background.jobs_sweep()
        time.sleep(1)
    assert _mails_to(broker_worker, "principal@example.org") == 1
