"""A substantiated complaint with the veto flag counts against the yearly assessment (一票否决):
against the named teacher's conduct record (师德), or against the school; staff see it on the
school and teacher pages (issue 9, step 5)."""

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Finding, Responsibility
from complaints.selectors import complaint_vetoes
from tests.complaints.factories import to_state
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def conclude(complaint, handler, **kwargs):
    data = {"finding": Finding.SUBSTANTIATED, "responsibility": Responsibility.INDIVIDUAL,
            "measures": "给予警告处分，退还补课费。", "veto": True}
    data.update(kwargs)
    return services.complaint_conclude(complaint=complaint, by=handler, **data)


def test_a_vetoing_conclusion_against_a_teacher_goes_on_the_conduct_record(school, complainant, handler):
    teacher = TeacherFactory(school=school, name="赵老师")
    complaint = to_state("investigating", school=school, complainant=complainant, handler=handler)
    done = conclude(complaint, handler, teacher=teacher)
    record = teacher.conduct_records.get()
    assert record.is_veto and done.conduct_record == record
    assert complaint.tracking_number in record.finding and "给予警告处分" in record.finding
    assert "张三丰" not in record.finding and "138" not in record.finding


def test_a_school_veto_is_the_complaint_itself(school, complainant, handler):
    complaint = to_state("investigating", school=school, complainant=complainant, handler=handler)
    done = conclude(complaint, handler, responsibility=Responsibility.SCHOOL)
    assert done.conduct_record is None
    assert list(complaint_vetoes(user=handler, school=school)) == [done]


def test_no_veto_no_record(school, complainant, handler):
    teacher = TeacherFactory(school=school)
    complaint = to_state("investigating", school=school, complainant=complainant, handler=handler)
    conclude(complaint, handler, teacher=teacher, veto=False)
    assert not teacher.conduct_records.exists()
    assert not complaint_vetoes(user=handler, school=school).exists()


def test_a_conclusion_after_the_appeal_that_no_longer_vetoes_lifts_it(school, complainant, handler):
    teacher = TeacherFactory(school=school)
    complaint = to_state("investigating", school=school, complainant=complainant, handler=handler)
    complaint = conclude(complaint, handler, teacher=teacher)
    complaint = services.complaint_reply(complaint=complaint, by=handler, text="已处理")
    complaint = services.complaint_appeal(complaint=complaint, by=complainant, reason="处分过重？不，是处理不实")
    complaint = services.complaint_record(complaint=complaint, by=handler, text="复查")
    conclude(complaint, handler, teacher=teacher, finding=Finding.PARTLY, veto=False)
    record = teacher.conduct_records.get()
    assert not record.is_veto


def test_staff_see_the_vetoes_on_the_school_and_teacher_pages_and_the_school_does_not(
    client, school, complainant, handler, staff_user, principal_user,
):
    teacher = TeacherFactory(school=school, name="赵老师")
    complaint = conclude(to_state("investigating", school=school, complainant=complainant, handler=handler),
                         handler, teacher=teacher)
    school_page = reverse("schools:school_detail", args=[school.pk])
    teacher_page = reverse("schools:teacher_detail", args=[teacher.pk])
    client.force_login(staff_user)
    for url in (school_page, teacher_page):
        html = client.get(url).content.decode()
        assert complaint.tracking_number in html and reverse("complaints:detail", args=[complaint.pk]) in html
    client.force_login(principal_user)
    html = client.get(school_page).content.decode()
    assert reverse("complaints:detail", args=[complaint.pk]) not in html
    assert "张三丰" not in client.get(teacher_page).content.decode()
