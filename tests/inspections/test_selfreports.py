"""Term self-reports through their services: a round opened, a report saved, submitted,
returned, submitted again, accepted and locked, and corrected by a new version."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from bureau import calendar
from bureau.errors import DomainError
from bureau.models import Role, StatusChange
from bureau.workflow import WorkflowError
from inspections.models import SelfReport
from inspections.selfreport_selectors import late_q, report_list, round_shares
from inspections.services import selfreports as services
from tests.factories import DepartmentFactory, SchoolFactory, TermFactory, UserFactory
from tests.inspections.selfreport_factories import GOOD_PRIMARY, SelfReportFactory

Status = SelfReport.Status


def next_working_day(district, days=5):
    return calendar.add_working_days(timezone.localdate(), days, district=district.pk)


@pytest.fixture
def report(school):
    return SelfReportFactory(school=school, round__district=school.district)


def fill(report, principal, **values):
    return services.selfreport_save(report=report, data={**GOOD_PRIMARY, **values}, by=principal)


def test_a_round_calls_on_the_districts_open_compulsory_schools_by_default(district, school, staff_user):
    SchoolFactory(district=district, stage="kindergarten")
    SchoolFactory(district=district, status="closed")
    junior = SchoolFactory(district=district, stage="junior")
    round_ = services.round_open(district=district, term=TermFactory(), due_date=next_working_day(district),
                                 by=staff_user)
    assert set(round_.schools.all()) == {school, junior}
    assert {r.school for r in round_.reports.all()} == {school, junior}
    assert all(r.status == Status.DRAFT and r.version == 1 for r in round_.reports.all())


def test_a_round_is_opened_by_the_basic_education_section_or_the_inspection_office(district, school):
    term = TermFactory()
    due = next_working_day(district)
    finance = UserFactory(role=Role.STAFF, district=district, department=DepartmentFactory(code="finance", name="计财科"))
    with override("zh-hans"), pytest.raises(DomainError, match="基础教育科|督导室"):
        services.round_open(district=district, term=term, due_date=due, by=finance)
    office = UserFactory(role=Role.STAFF, district=district,
                         department=DepartmentFactory(code="inspection", name="督导室"))
    assert services.round_open(district=district, term=term, due_date=due, by=office).reports.count() == 1


def test_a_round_is_due_on_a_working_day_and_once_a_term(district, school, staff_user):
    term = TermFactory()
    today = timezone.localdate()
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    with pytest.raises(ValidationError) as error:
        services.round_open(district=district, term=term, due_date=saturday, by=staff_user)
    assert "due_date" in error.value.message_dict
    services.round_open(district=district, term=term, due_date=next_working_day(district), by=staff_user)
    with pytest.raises(ValidationError) as error:
        services.round_open(district=district, term=term, due_date=next_working_day(district), by=staff_user)
    assert "term" in error.value.message_dict


def test_saving_stores_the_rules_broken(report, principal_user):
    saved = fill(report, principal_user, homework_grade_4=61, activity_minutes=59, weekend_classes=True)
    assert saved.breaches == ["homework_minutes", "physical_activity", "weekend_classes"]
    assert saved.status == Status.DRAFT and saved.saved_at is not None
    assert fill(saved, principal_user, weekend_classes=False).breaches == []  # what is not sent is kept


def test_out_of_range_values_are_refused_by_field_and_nothing_is_saved(report, principal_user):
    with pytest.raises(ValidationError) as error:
        fill(report, principal_user, after_school_hours=30)
    assert "after_school_hours" in error.value.message_dict
    report.refresh_from_db()
    assert report.saved_at is None


def test_submit_needs_every_value_of_the_schools_grades(report, principal_user):
    services.selfreport_save(report=report, data={"activity_minutes": 60}, by=principal_user)
    with pytest.raises(ValidationError) as error:
        services.selfreport_submit(report=report, by=principal_user)
    assert {"homework_grade_3", "start_primary"} <= set(error.value.message_dict)
    assert "start_junior" not in error.value.message_dict  # a primary school has no junior start


def test_the_journey_return_resubmit_accept_and_lock(report, principal_user, deputy_user, staff_user):
    report = fill(report, principal_user, homework_grade_5=75)
    report = services.selfreport_submit(report=report, by=principal_user)
    first_submitted = report.submitted_at
    report = services.selfreport_return(report=report, comments="五年级作业时间超标，请核实并整改。", by=staff_user)
    assert report.status == Status.RETURNED and report.comments.startswith("五年级")
    report = fill(report, deputy_user, homework_grade_5=55)  # a deputy fills in for the school too
    report = services.selfreport_submit(report=report, by=deputy_user)
    assert report.submitted_at == first_submitted  # late or not: said by the first submission
    report = services.selfreport_accept(report=report, by=staff_user)
    assert report.status == Status.ACCEPTED and report.breaches == []
    moves = list(StatusChange.objects.filter(object_id=str(report.pk)).order_by("at", "id")
                 .values_list("from_status", "to_status"))
    assert moves == [("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
                     ("submitted", "accepted")]
    with override("zh-hans"), pytest.raises(DomainError, match="不能再修改"):
        fill(report, principal_user)


def test_illegal_moves_are_refused_in_chinese(report, principal_user, staff_user):
    with override("zh-hans"):
        with pytest.raises(DomainError, match="只有已提交的自查报告"):
            services.selfreport_accept(report=report, by=staff_user)
        fill(report, principal_user)
        report = services.selfreport_submit(report=report, by=principal_user)
        with pytest.raises(DomainError, match="不能再修改"):
            services.selfreport_submit(report=report, by=principal_user)
        # The school cannot accept its own report: the workflow's permission says so.
        with pytest.raises(WorkflowError, match="您无权"):
            services.selfreport_accept(report=report, by=principal_user)


def test_a_correction_opens_a_new_version_and_keeps_the_accepted_one(report, principal_user, staff_user):
    fill(report, principal_user)
    accepted = services.selfreport_accept(report=services.selfreport_submit(report=report, by=principal_user),
                                          by=staff_user)
    correction = services.selfreport_correct(report=accepted, by=principal_user)
    accepted.refresh_from_db()
    assert (correction.version, correction.status, correction.is_current, correction.corrects) == (
        2, Status.DRAFT, True, accepted)
    assert (accepted.status, accepted.is_current, accepted.activity_minutes) == (Status.ACCEPTED, False, 70)
    assert correction.activity_minutes == 70 and correction.submitted_at == accepted.submitted_at
    fill(correction, principal_user, activity_minutes=90)
    accepted.refresh_from_db()
    assert accepted.activity_minutes == 70  # the accepted version is kept as it was
    with pytest.raises(DomainError):
        services.selfreport_correct(report=accepted, by=principal_user)  # the old one: no second branch
    assert list(report_list(user=staff_user)) == [correction]


def test_late_is_submitted_after_the_due_date_or_not_by_it(district, principal_user, school, staff_user):
    on_time = SelfReportFactory(school=school, round__district=district)
    fill(on_time, principal_user)
    on_time = services.selfreport_submit(report=on_time, by=principal_user)
    other = SchoolFactory(district=district)
    missing = SelfReportFactory(school=other, round=on_time.round)
    assert not services.is_late(on_time) and not services.is_late(missing)
    later = on_time.round.due_date + datetime.timedelta(days=1)
    assert services.is_late(missing, today=later) and not services.is_late(on_time, today=later)
    SelfReport.objects.filter(pk=on_time.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(later, datetime.time(9))))
    on_time.refresh_from_db()
    assert services.is_late(on_time)
    assert set(SelfReport.objects.filter(late_q(today=later))) == {on_time, missing}


def test_the_districts_share_within_each_rule(district, school, staff_user):
    round_ = SelfReportFactory(school=school, round__district=district).round
    for n in range(3):
        SelfReportFactory(round=round_, school=SchoolFactory(district=district), status=Status.SUBMITTED,
                          breaches=["physical_activity"] if n == 0 else [])
    shares = {s.rule.code: (s.within, s.counted) for s in round_shares(user=staff_user, round=round_)}
    assert shares["physical_activity"] == (2, 3)  # the draft does not count
    assert shares["homework_minutes"] == (3, 3)


def test_the_school_is_told_of_a_new_round_and_of_a_return(district, school, principal_user, deputy_user,
                                                           staff_user):
    from bureau.models import Notice

    round_ = services.round_open(district=district, term=TermFactory(), due_date=next_working_day(district),
                                 by=staff_user)
    report = round_.reports.get()
    assert set(Notice.objects.values_list("recipient", flat=True)) == {principal_user.pk, deputy_user.pk}
    fill(report, principal_user)
    report = services.selfreport_submit(report=report, by=principal_user)
    services.selfreport_return(report=report, comments="请补充课后服务安排。", by=staff_user)
    returned = Notice.objects.filter(recipient=principal_user, body="请补充课后服务安排。").get()
    assert returned.url == f"/inspections/self-reports/{report.pk}/edit/"


def test_files_are_checked_and_kept_with_the_report(media, report, principal_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bureau.uploads import UploadError

    png = SimpleUploadedFile("作息时间表.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    saved = services.selfreport_save(report=report, data=GOOD_PRIMARY, files=[png], by=principal_user)
    assert [(f.label, f.kind) for f in saved.files.all()] == [("作息时间表.png", "png")]
    with pytest.raises(UploadError):
        services.selfreport_save(report=saved, data={"activity_minutes": 90},
                                 files=[SimpleUploadedFile("x.exe", b"MZ\x90\x00")], by=principal_user)
    saved.refresh_from_db()
    assert saved.activity_minutes == 70 and saved.files.count() == 1  # nothing half-written
