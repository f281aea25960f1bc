"""Periodic reports: what they contain on fixture data, how they are claimed and built once,
and that a published bulletin names nobody."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from bureau import jobs
from bureau.errors import DomainError
from bureau.models import Job
from complaints.models import Complaint
from inspections.models import ItemResult, RectificationNotice
from reports import services
from reports.models import Report
from schools.models import Rotation, SchoolYearStat
from tests.complaints.factories import handler_for, lodge, parent, to_state
from tests.factories import SchoolFactory, ZoneSchoolFactory
from tests.inspections.factories import FiledVisitFactory, VisitFactory, VisitItemFactory
from tests.pdfs import pdf_text

D = datetime.date
S = Report.Status
MARCH = D(2026, 3, 1)
TODAY = D(2026, 4, 10)


def build(report, capture):
    """Run the report's jobs the way a worker would: the gather, then the render it queues."""
    with capture(execute=True):
        for _round in range(3):
            for job in Job.objects.filter(state=Job.State.QUEUED).order_by("pk"):
                jobs.job_run(job_id=job.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def march(district, zone, school, inspector_user):
    """Zone 第一责任区 with two schools: one visited in March (an item not met, a notice now
    overdue), one not; plus a draft and an April visit that do not count."""
    second = SchoolFactory(district=district, code="3204020002", name="天宁区第二小学")
    ZoneSchoolFactory(zone=zone, school=second)
    visit = FiledVisitFactory(school=school, inspector=inspector_user, date=D(2026, 3, 12))
    VisitItemFactory(visit=visit, code="M-01", text="每天校内体育活动一小时", result=ItemResult.NOT_MET)
    VisitItemFactory(visit=visit, code="M-02", text="大课间活动", result=ItemResult.MET)
    item = VisitItemFactory(visit=visit, code="M-03", text="体质健康测试", result=ItemResult.NOT_MET)
    RectificationNotice.objects.create(item=item, school=school, inspector=inspector_user, requirement="保证活动时间", working_days=10,
                                       issued_on=D(2026, 3, 12), deadline=D(2026, 3, 26))
    VisitFactory(school=second, inspector=inspector_user, date=D(2026, 3, 20))  # a draft: not done
    FiledVisitFactory(school=second, inspector=inspector_user, date=D(2026, 4, 2))  # April
    return second


def test_the_monthly_summary_counts_visits_findings_and_notices(march, district, zone, staff_user,
                                                               django_capture_on_commit_callbacks, media):
    report = services.report_request(kind="monthly_inspection", district=district, start=MARCH, by=staff_user,
                                     today=TODAY)
    report = build(report, django_capture_on_commit_callbacks)
    assert report.status == S.READY
    data = report.data
    assert data["total"] | {} == {"label": "合计", "schools": 2, "visited": 1, "due": 2, "share": 50.0, "visits": 1,
                                  "opened": 1, "closed": 0, "overdue": 1}
    assert [row["label"] for row in data["rows"]] == ["第一责任区"]
    assert {item["code"]: (item["met"], item["not_met"]) for item in data["items"]} == {
        "M-01": (0, 1), "M-02": (1, 0), "M-03": (0, 1)}
    text = pdf_text(default_storage.open(report.pdf.name).read())
    assert "月度督导" in text or "督导" in text
    assert "每天校内体育活动一小时" in text and "第一责任区" in text
    # Cover, contents, then the sections: page numbers in the footer.
    assert "目录" in text and re.search(r"\b2\s*/\s*3\b", text)


def test_a_zone_summary_lists_its_schools(march, district, zone, staff_user, django_capture_on_commit_callbacks,
                                          media):
    report = services.report_request(kind="monthly_inspection", district=district, zone=zone, start=MARCH,
                                     by=staff_user, today=TODAY)
    report = build(report, django_capture_on_commit_callbacks)
    assert [(row["label"], row["visited"]) for row in report.data["rows"]] == [("天宁区第二小学", 0), ("天宁区实验小学", 1)] \
        or sorted(row["label"] for row in report.data["rows"]) == sorted([march.name, zone.school_links.first().school.name])


def test_the_data_is_frozen_and_a_rerender_gives_the_same_document(march, district, staff_user, school,
                                                                   inspector_user, django_capture_on_commit_callbacks,
                                                                   media):
    report = services.report_request(kind="monthly_inspection", district=district, start=MARCH, by=staff_user,
                                     today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_gather(report_id=report.pk)
    frozen = Report.objects.get(pk=report.pk).data
    FiledVisitFactory(school=march, inspector=inspector_user, date=D(2026, 3, 25))  # filed later
    with django_capture_on_commit_callbacks(execute=True):
        services.report_gather(report_id=report.pk)  # a second delivery of the gather
    assert Report.objects.get(pk=report.pk).data == frozen
    first = services.report_html(Report.objects.get(pk=report.pk), pdf=True)
    assert services.report_html(Report.objects.get(pk=report.pk), pdf=True) == first
    # A new version sees the new visit; the old one keeps its numbers.
    second = services.report_request(kind="monthly_inspection", district=district, start=MARCH, by=staff_user,
                                     today=TODAY)
    second = build(second, django_capture_on_commit_callbacks)
    assert second.version == 2 and second.data["total"]["visited"] == 2
    assert Report.objects.get(pk=report.pk).data["total"]["visited"] == 1


def test_a_duplicate_render_finishes_one_report(march, district, staff_user, django_capture_on_commit_callbacks,
                                                media):
    report = services.report_request(kind="monthly_inspection", district=district, start=MARCH, by=staff_user,
                                     today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_gather(report_id=report.pk)
    services.report_render(report_id=report.pk)
    again = services.report_render(report_id=report.pk)
    assert again.status == S.READY
    assert Report.objects.filter(kind="monthly_inspection").count() == 1
    stored = default_storage.listdir("reports")[1]
    assert len(stored) == 1


def test_a_run_whose_worker_died_is_taken_back_and_finishes_once(march, district, staff_user,
                                                                 django_capture_on_commit_callbacks, media):
    report = services.report_request(kind="monthly_inspection", district=district, start=MARCH, by=staff_user,
                                     today=TODAY)
    gather = Job.objects.get(key=f"report-gather:{report.pk}")
    # The worker took the gather and was killed before it finished: RUNNING with a stale heartbeat.
    Job.objects.filter(pk=gather.pk).update(state=Job.State.RUNNING, attempts=1,
                                            heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    assert jobs.jobs_sweep()["taken_back"] == 1
    report = build(report, django_capture_on_commit_callbacks)
    assert report.status == S.READY and Report.objects.count() == 1


def test_a_gather_that_keeps_failing_fails_the_report_with_a_reason_and_can_run_again(
        march, district, staff_user, monkeypatch, django_capture_on_commit_callbacks, media):
    import dataclasses

    from reports import periodic

    def broken(**kwargs):
        raise RuntimeError("数据库不可用")

    monkeypatch.setitem(periodic._KINDS, "monthly_inspection",
                        dataclasses.replace(periodic.kind_for("monthly_inspection"), gather=broken))
    report = services.report_request(kind="monthly_inspection", district=district, start=MARCH, by=staff_user,
                                     today=TODAY)
    for _attempt in range(3):
        Job.objects.filter(state=Job.State.QUEUED).update(run_after=timezone.now())
        build(report, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.status == S.FAILED and "数据库不可用" in report.failure
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_rerun(report=report, by=staff_user)
    assert build(report, django_capture_on_commit_callbacks).status == S.READY


def test_the_schedule_makes_last_month_once_per_district_and_zone(march, district, zone,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        assert services.reports_scheduled(kind="monthly_inspection", today=TODAY) == 2  # district and its zone
        assert services.reports_scheduled(kind="monthly_inspection", today=TODAY) == 0  # a duplicate tick
    made = Report.objects.filter(kind="monthly_inspection")
    assert {(r.scope_key, r.period_start, r.version, r.scheduled) for r in made} == {
        (f"district:{district.pk}", MARCH, 1, True), (f"zone:{zone.pk}", MARCH, 1, True)}


def test_requests_are_checked(district, other_district, zone, staff_user, leader_user, principal_user):
    with pytest.raises(DomainError, match="尚未开始|has not begun"):
        services.report_request(kind="monthly_inspection", district=district, start=D(2026, 5, 1), by=staff_user,
                                today=TODAY)
    with pytest.raises(DomainError):
        services.report_request(kind="monthly_inspection", district=district, start=D(2026, 3, 2), by=staff_user,
                                today=TODAY)
    with pytest.raises(DomainError):
        services.report_request(kind="complaint_quarterly", district=district, zone=zone, start=D(2026, 1, 1),
                                by=staff_user, today=TODAY)
    for outsider in (leader_user, principal_user):
        with pytest.raises(DomainError):
            services.report_request(kind="monthly_inspection", district=district, start=MARCH, by=outsider,
                                    today=TODAY)
    with pytest.raises(DomainError):
        services.report_request(kind="monthly_inspection", district=other_district, start=MARCH, by=staff_user,
                                today=TODAY)


@pytest.fixture
def quarter(district, school, settings):
    settings.COMPLAINT_SUBMIT_PER_DAY = 100
    handler = handler_for(district)
    complainant = parent(name="欧阳娜娜", mobile="13900001111")
    concluded = to_state("concluded", school=school, complainant=complainant, handler=handler)
    Complaint.objects.filter(pk=concluded.pk).update(teacher_name="司马老师")
    lodge(school=school, by=complainant, teacher_name="诸葛老师")
    Complaint.objects.update(received_at=timezone.make_aware(datetime.datetime(2026, 2, 10, 9)))
    return handler, complainant


def test_the_complaint_analysis_counts_and_a_bulletin_names_nobody(quarter, district, staff_user, leader_user,
                                                                   client, django_capture_on_commit_callbacks, media):
    report = services.report_request(kind="complaint_quarterly", district=district, start=D(2026, 1, 1),
                                     by=staff_user, today=TODAY)
    report = build(report, django_capture_on_commit_callbacks)
    assert report.data["total"] == 2 and report.data["concluded"] == 1 and report.data["substantiated"] == 100.0
    assert report.data["by_month"] == [[1, 0], [2, 2], [3, 0]]
    services.report_publish(report=report, by=leader_user)
    page = client.get(f"/bulletins/{report.pk}/").content.decode()
    pdf = pdf_text(client.get(f"/bulletins/{report.pk}/pdf/").getvalue())
    assert "作业" in page or "2" in page
    for name in ("欧阳娜娜", "13900001111", "司马老师", "诸葛老师", "监审科王科员"):
        assert name not in page and name not in pdf and name not in str(report.data)


def test_only_a_leader_publishes_and_only_published_reports_are_public(quarter, district, staff_user, leader_user,
                                                                      client, django_capture_on_commit_callbacks,
                                                                      media):
    from bureau.workflow import WorkflowError

    report = build(services.report_request(kind="complaint_quarterly", district=district, start=D(2026, 1, 1),
                                           by=staff_user, today=TODAY), django_capture_on_commit_callbacks)
    assert client.get(f"/bulletins/{report.pk}/").status_code == 404
    with pytest.raises(WorkflowError):
        services.report_publish(report=report, by=staff_user)
    services.report_publish(report=report, by=leader_user)
    assert client.get(f"/bulletins/{report.pk}/").status_code == 200
    assert client.get("/bulletins/").content.decode().count(f"/bulletins/{report.pk}/") == 1
    with pytest.raises(DomainError):
        services.report_withdraw(report=Report.objects.get(pk=report.pk), by=leader_user, note=" ")
    services.report_withdraw(report=Report.objects.get(pk=report.pk), by=leader_user, note="数据有误")
    assert client.get(f"/bulletins/{report.pk}/").status_code == 404


def test_the_health_bulletin_rates_schools_against_40_percent(district, school, staff_user,
                                                              django_capture_on_commit_callbacks, media):
    from tests.factories import SchoolYearFactory, SchoolYearStatFactory

    year = SchoolYearFactory(start_year=2025)
    second = SchoolFactory(district=district, code="3204020003", name="天宁区第三小学")
    SchoolYearStatFactory(school=school, school_year=year, health_tested=100, health_excellent=10, health_good=30,
                          health_pass=50, myopia=35)
    SchoolYearStatFactory(school=second, school_year=year, health_tested=50, health_excellent=5, health_good=14,
                          health_pass=25, myopia=20)
    report = build(services.report_request(kind="health_bulletin", district=district, start=D(2026, 1, 1),
                                           by=staff_user, today=TODAY), django_capture_on_commit_callbacks)
    data = report.data
    by_name = {row["name"]: row for row in data["schools"]}
    assert (by_name[school.name]["good_rate"], by_name[school.name]["meets"]) == (40.0, True)  # at the target
    assert (by_name["天宁区第三小学"]["good_rate"], by_name["天宁区第三小学"]["meets"]) == (38.0, False)
    assert (data["total"]["health_tested"], data["total"]["good_rate"], data["total"]["meets"]) == (150, 39.3, False)
    assert data["total"]["pass_rate"] == 89.3 and data["below"] == 1 and data["school_year"] == "2025–2026"
    text = pdf_text(default_storage.open(report.pdf.name).read())
    assert "天宁区第三小学" in text and "38.0 %" in text


def test_the_assessment_scores_vetoes_and_ranks(district, school, staff_user, inspector_user, settings,
                                                django_capture_on_commit_callbacks, media):
    from tests.factories import (
        SchoolClassFactory,
        SchoolYearFactory,
        SchoolYearStatFactory,
        TeacherFactory,
        TermFactory,
    )

    settings.COMPLAINT_SUBMIT_PER_DAY = 100
    year = SchoolYearFactory(start_year=2025)
    term = TermFactory(school_year=year)
    vetoed = SchoolFactory(district=district, code="3204020004", name="天宁区第四小学")
    clean = SchoolFactory(district=district, code="3204020005", name="天宁区第五小学")
    # `school`: resources met (100); 2 of 3 classes within 45 (66.7); its one notice answered
    # late (0); one substantiated complaint (80); 1 of 5 teachers rotated, 20 % against 15 % (100).
    SchoolYearStatFactory(school=school, school_year=year)
    SchoolYearStat.objects.filter(school=school).update(meets_resource_standard=True)
    for number, (boys, girls) in enumerate([(20, 20), (22, 23), (24, 24)], 1):
        SchoolClassFactory(school=school, term=term, grade=3, number=number, boys=boys, girls=girls)
    teachers = [TeacherFactory(school=school) for _n in range(5)]
    Rotation.objects.create(teacher=teachers[0], from_school=school, to_school=clean, kind="exchange",
                            start_date=D(2026, 9, 1))
    visit = FiledVisitFactory(school=school, inspector=inspector_user, date=D(2026, 3, 12))
    RectificationNotice.objects.create(
        item=VisitItemFactory(visit=visit, result=ItemResult.NOT_MET), school=school, inspector=inspector_user,
        requirement="整改", working_days=5, issued_on=D(2026, 3, 12), deadline=D(2026, 3, 19),
        status="answered", answered_at=timezone.make_aware(datetime.datetime(2026, 3, 25, 10)))
    handler, complainant = handler_for(district), parent(name="欧阳娜娜", mobile="13900001111")
    concluded = timezone.make_aware(datetime.datetime(2026, 6, 1, 10))
    plain = to_state("concluded", school=school, complainant=complainant, handler=handler)
    veto = to_state("concluded", school=vetoed, complainant=complainant, handler=handler)
    Complaint.objects.filter(pk__in=[plain.pk, veto.pk]).update(concluded_at=concluded)
    Complaint.objects.filter(pk=veto.pk).update(veto=True, teacher_name="司马老师")

    report = build(services.report_request(kind="school_assessment", district=district, start=D(2026, 1, 1),
                                           by=staff_user, today=TODAY), django_capture_on_commit_callbacks)
    rows = {row["name"]: row for row in report.data["schools"]}
    codes = [c["code"] for c in report.data["criteria"]]
    assert codes == ["resources", "class_size", "rectification", "complaints", "rotation"]
    assert rows[school.name]["scores"] == [100.0, 66.7, 0.0, 80.0, 100.0]
    assert rows[school.name]["total"] == 71.0  # (30·100 + 15·66.7 + 20·0 + 20·80 + 15·100) / 100
    # Only what it has data for: rectification and complaints, both full.
    assert rows["天宁区第五小学"]["scores"] == [None, None, 100.0, 100.0, None] and rows["天宁区第五小学"]["total"] == 100.0
    assert rows["天宁区第四小学"]["vetoed"] and "rank" not in rows["天宁区第四小学"]
    assert "2026-06-01" in rows["天宁区第四小学"]["veto_reasons"][0]
    assert (rows["天宁区第五小学"]["rank"], rows["天宁区第五小学"]["candidate"]) == (1, True)
    assert (rows[school.name]["rank"], rows[school.name]["candidate"]) == (2, False)
    assert "司马老师" not in str(report.data) and "欧阳娜娜" not in str(report.data)
