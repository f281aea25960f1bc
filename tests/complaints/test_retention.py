"""Closed complaints lose their complainant after the retention period, by a nightly job."""

import datetime

import pytest
from django.utils import timezone

from bureau.models import StatusChange
from complaints import services
from complaints.models import Complaint
from complaints.retention import complaints_anonymise
from tests.complaints.factories import to_state

pytestmark = pytest.mark.django_db


def test_past_retention_the_complainant_is_erased_and_the_handling_kept(settings, school, complainant, handler):
    settings.COMPLAINT_RETENTION_DAYS = 30
    complaint = to_state("replied", school=school, complainant=complainant, handler=handler)
    complaint = services.complaint_appeal(complaint=complaint, by=complainant, reason="我是张三丰，作业仍然很多")
    complaint = services.complaint_record(complaint=complaint, by=handler, text="复查")
    old = to_state("closed", school=school, complainant=complainant, handler=handler)
    recent = to_state("closed", school=school, complainant=complainant, handler=handler)
    Complaint.objects.filter(pk=old.pk).update(closed_at=timezone.now() - datetime.timedelta(days=31))
    open_one = complaint
    Complaint.objects.filter(pk=open_one.pk).update(closed_at=timezone.now() - datetime.timedelta(days=99))

    assert complaints_anonymise() == 1
    old.refresh_from_db()
    assert (old.complainant, old.complainant_name, old.complainant_mobile) == (None, "（已匿名）", "")
    assert old.anonymised_at and old.finding == "substantiated" and old.reply  # the handling stays
    recent.refresh_from_db()
    open_one.refresh_from_db()
    assert recent.complainant == complainant and open_one.complainant == complainant  # not yet, or not closed
    assert complaints_anonymise() == 0  # a second run finds nothing


def test_the_appeal_words_go_too(settings, school, complainant, handler):
    settings.COMPLAINT_RETENTION_DAYS = 1
    complaint = to_state("replied", school=school, complainant=complainant, handler=handler)
    complaint = services.complaint_appeal(complaint=complaint, by=complainant, reason="我是张三丰")
    complaint = services.complaint_record(complaint=complaint, by=handler, text="复查")
    complaint = services.complaint_conclude(complaint=complaint, by=handler, finding="unsubstantiated",
                                            responsibility="none", measures="")
    complaint = services.complaint_reply(complaint=complaint, by=handler, text="复查不属实")
    complaint = services.complaint_close(complaint=complaint, by=handler)
    Complaint.objects.filter(pk=complaint.pk).update(closed_at=timezone.now() - datetime.timedelta(days=2))
    assert complaints_anonymise() == 1
    complaint.refresh_from_db()
    assert complaint.appeal_reason == ""
    notes = StatusChange.objects.filter(object_id=str(complaint.pk)).values_list("note", flat=True)
    assert not any("张三丰" in note for note in notes)


def test_the_job_is_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["complaint-anonymise"]["args"] == ["complaints.anonymise"]
