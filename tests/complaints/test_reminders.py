"""The daily reminders: handlers hear what is due tomorrow, overdue complaints go to leaders
too; once per complaint and deadline, never naming the complainant."""

import datetime

import pytest
from django.core import mail

from bureau.models import Notice
from complaints.reminders import complaint_reminders_send
from tests.complaints.factories import handler_for, lodge

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(district, other_district, handler, leader_user, staff_user, principal_user):
    for user in (handler, leader_user):
        user.email = f"{user.username}@example.org"
        user.save()
    return {"elsewhere": handler_for(other_district)}


def test_due_tomorrow_to_the_office_and_overdue_to_leaders_too(school, complainant, handler, leader_user, staff_user,
                                                              principal_user, people,
                                                              django_capture_on_commit_callbacks):
    due_soon = lodge(school=school, by=complainant)
    late = lodge(school=school, by=complainant)
    today = due_soon.accept_due - datetime.timedelta(days=1)
    late.due_on = today - datetime.timedelta(days=2)
    late.save(update_fields=["due_on"])
    with django_capture_on_commit_callbacks(execute=True):
        made = complaint_reminders_send(today=today)
    assert made == {"due_tomorrow": 1, "overdue": 2}
    to_handler = Notice.objects.filter(recipient=handler)
    assert to_handler.count() == 2
    assert list(Notice.objects.filter(recipient=leader_user).values_list("url", flat=True)) == [
        f"/complaints/{late.pk}/"]
    for nobody in (staff_user, principal_user, people["elsewhere"]):
        assert not Notice.objects.filter(recipient=nobody).exists()
    for notice in Notice.objects.all():
        assert "张三丰" not in notice.title + notice.body and "1381234" not in notice.title + notice.body
    assert len(mail.outbox) == 3
    # Run again the same day (a second beat, a retried job): nothing new, no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert complaint_reminders_send(today=today) == {"due_tomorrow": 0, "overdue": 0}
    assert len(mail.outbox) == 3


def test_the_beat_runs_the_reminders_as_a_job(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["complaint-reminders"]
    assert schedule["args"] == ["complaints.reminders"]
    from bureau.jobs import handler_for as job_handler

    assert job_handler("complaints.reminders")


def test_with_the_broker_down_the_notice_is_kept_and_the_sweep_sends_its_mail_once(
    monkeypatch, school, complainant, handler, people, django_capture_on_commit_callbacks,
):
    from bureau import jobs
    from bureau.models import Job

    answer = {"up": False}
    sent = []

    def ring(job_id, kind):
        sent.append(job_id)
        return answer["up"]

    monkeypatch.setattr(jobs, "_send", ring)
    complaint = lodge(school=school, by=complainant)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_reminders_send(today=complaint.accept_due - datetime.timedelta(days=1))
    notice = Notice.objects.get(recipient=handler)  # in the portal at once, broker or not
    job = Job.objects.get(kind="bureau.notice_mail")
    assert job.payload == {"notice": notice.pk} and job.state == Job.State.QUEUED and not mail.outbox
    answer["up"] = True
    assert jobs.jobs_sweep()["rung"] == 1
    # The worker runs the job it was rung for; a second delivery finds nothing to do.
    jobs.job_run(job_id=job.pk)
    jobs.job_run(job_id=job.pk)
    assert len(mail.outbox) == 1 and complaint.tracking_number in mail.outbox[0].subject


def test_overdue_goes_to_the_department_head_when_one_is_named(school, complainant, handler, leader_user, district,
                                                               staff_user):
    head = handler_for(district)
    head.heads_department = True
    head.save()
    late = lodge(school=school, by=complainant)
    late.due_on = late.accept_due - datetime.timedelta(days=10)
    late.save(update_fields=["due_on"])
    complaint_reminders_send(today=late.accept_due)
    assert Notice.objects.filter(recipient=head).count() == 1
    assert not Notice.objects.filter(recipient=leader_user).exists()  # a head is named: not the leaders
    assert not Notice.objects.filter(recipient=staff_user).exists()  # the head of another department


def test_an_administrator_names_a_department_head(client, admin_user, staff_user):
    from django.urls import reverse

    client.force_login(admin_user)
    url = reverse("accounts:user_edit", args=[staff_user.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "zones"}
    data.update({"role": "staff", "department": staff_user.department_id, "district": staff_user.district_id,
                 "heads_department": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    staff_user.refresh_from_db()
    assert staff_user.heads_department
