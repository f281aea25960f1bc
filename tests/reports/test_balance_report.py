"""The yearly balance-monitoring report (优质均衡监测): the seven per school against the
standard, the CVs against their limits, class sizes, rotation and training, read from the
same snapshots as the district dashboard, so the two agree; and its PDF."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from bureau.errors import DomainError
from bureau.models import Job
from reports import services
from reports.models import Report, Snapshot
from schools.models import Rotation
from tests import factories
from tests.pdfs import pdf_text
from tests.reports.test_periodic import build

D = datetime.date
TODAY = D(2026, 4, 10)


@pytest.fixture
def year_2026(district, school):
    """The 2025–2026 school year: `school` and 第二小学 meet the standard; 第三小学 has too
    little teaching area (2.0 m² a pupil against 4.5: below 85 %) and equipment (1,800 yuan
    against 2,000: 90 %, near enough), so it meets 5 of 7 and fails. Classes of 40, 58 and 67."""
    year = factories.SchoolYearFactory(start_year=2025)
    term = factories.TermFactory(school_year=year)
    second = factories.SchoolFactory(district=district, code="3204020002", name="天宁区第二小学")
    third = factories.SchoolFactory(district=district, code="3204020003", name="天宁区第三小学")
    for each in (school, second):
        factories.SchoolYearStatFactory(school=each, school_year=year)
    factories.SchoolYearStatFactory(school=third, school_year=year, teaching_area=Decimal("2000"),
                                    equipment_value=Decimal("1800000"))
    for each in (school, second, third):
        for n in range(60):  # enough teachers of each kind per 100 pupils for 1,000 pupils
            factories.TeacherFactory(school=each, education="bachelor", backbone_level="county" if n < 15 else "",
                                     subject="体育" if n < 12 else "语文")
    factories.SchoolClassFactory(school=school, term=term, grade=3, boys=20, girls=20)
    factories.SchoolClassFactory(school=second, term=term, grade=4, boys=30, girls=28)
    factories.SchoolClassFactory(school=third, term=term, grade=5, boys=34, girls=33)
    mover = factories.TeacherFactory(school=second)
    Rotation.objects.create(teacher=mover, from_school=second, to_school=third, kind="exchange",
                            start_date=D(2025, 9, 1))
    return term, second, third


def _report(district, staff_user, capture):
    report = services.report_request(kind="balance_monitoring", district=district, start=D(2026, 1, 1),
                                     by=staff_user, today=TODAY)
    return build(report, capture)


def test_the_report_computes_missing_snapshots_and_agrees_with_the_dashboard(
        year_2026, district, school, staff_user, leader_user, client, django_capture_on_commit_callbacks, media):
    term, second, third = year_2026
    assert not Snapshot.objects.filter(term=term).exists()
    report = _report(district, staff_user, django_capture_on_commit_callbacks)
    assert report.status == Report.Status.READY, report.failure
    assert Snapshot.objects.filter(term=term, level="district", scope_id=district.pk).exists()  # computed first
    data = report.data
    assert data["term_id"] == term.pk and data["school_year"] == "2025–2026"
    (primary,) = data["stages"]
    rows = {row["name"]: row for row in primary["schools"]}
    assert (rows[third.name]["met"], rows[third.name]["meets"]) == (5, False)
    assert [cell["met"] for cell in rows[third.name]["cells"]][3] is False  # teaching area
    assert rows[school.name]["meets"] and rows[second.name]["meets"]
    assert primary["schools_meeting"] == 2 and primary["verdict"] is False
    # The dashboard's figures for the same term: the share of schools meeting, every CV.
    district_snapshots = {(s.indicator, s.stage): s for s in Snapshot.objects.filter(
        term=term, level="district", scope_id=district.pk)}
    meeting = district_snapshots[("schools_meeting_resources", "primary")]
    assert (meeting.numerator, meeting.denominator) == (2, 3)
    client.force_login(leader_user)
    page = client.get(reverse("reports:district", args=[district.pk]) + f"?term={term.pk}").content.decode()
    for cv in primary["cvs"]:
        assert cv["shown"] in page
        assert cv["value"] == pytest.approx(float(district_snapshots[(f"cv.{cv['rule']}", "primary")].value))
    teaching = next(cv for cv in primary["cvs"] if cv["rule"] == "teaching_area")
    assert teaching["met"] is (teaching["value"] <= 0.5)
    # Classes: one big (58) and one super-big (67) of three; buckets as the dashboard draws them.
    classes = data["classes"]
    assert (classes["classes"]["shown"], classes["big_classes"]["shown"], classes["super_big_classes"]["shown"]) \
        == ("3", "2", "1")
    assert classes["big_class_share"]["shown"] == "66.7" and classes["big_class_share"]["met"] is False
    assert classes["super_big_classes"]["met"] is False
    assert [b["count"] for b in data["buckets"]] == [0, 0, 0, 1, 0, 0, 0, 1, 1]
    assert [row["name"] for row in data["big_schools"]] == [third.name, second.name]
    # Rotation: one of the second school's 61 teachers; the district's share over all 181.
    teachers = {f["code"]: f for f in data["teachers"]}
    assert (teachers["rotation_share"]["numerator"], teachers["rotation_share"]["denominator"]) == (1, 181)
    assert teachers["rotation_share"]["met"] is False

    text = pdf_text(default_storage.open(report.pdf.name).read())
    assert "优质均衡" in text and "目录" in text
    for name in (school.name, second.name, third.name):
        assert name in text
    assert teaching["shown"] in text and "66.7 %" in text and "5 / 7" in text
    assert re.search(r"\b2\s*/\s*\d+\b", text)  # page numbers
    assert "<svg" not in text and "差异系数" in text

    # The third school's principal reads its own seven, not the others'.
    from reports.periodic.sections import school_sections

    (part,) = [s["part"] for s in school_sections(school=third) if s["kind"].code == "balance_monitoring"]
    (stage,) = part["stages"]
    assert (stage["row"]["met"], stage["row"]["meets"], stage["verdict"]) == (5, False, False)
    assert [cell["met"] for _name, _standard, cell in stage["lines"]][3] is False


def test_the_report_page_shows_the_charts_and_says_which_school_fails(
        year_2026, district, staff_user, client, django_capture_on_commit_callbacks, media):
    _term, _second, third = year_2026
    report = _report(district, staff_user, django_capture_on_commit_callbacks)
    client.force_login(staff_user)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "校际差异系数" in page and page.count("stroke-dasharray") >= 2  # the CV chart's limit line, twice drawn
    assert third.name in page and "✗" in page and "班额" in page
    html = services.report_html(report, pdf=True)
    assert html.count("<svg") == page.count("<svg")  # the same charts on paper


def test_a_year_without_a_term_is_refused_on_demand_and_fails_with_the_reason_on_schedule(
        district, school, staff_user, django_capture_on_commit_callbacks, media):
    with pytest.raises(DomainError, match="2025–2026学年尚未登记学期"):
        services.report_request(kind="balance_monitoring", district=district, start=D(2026, 1, 1), by=staff_user,
                                today=TODAY)
    assert not Report.objects.exists()
    report = services.report_request(kind="balance_monitoring", district=district, start=D(2026, 1, 1), by=None,
                                     scheduled=True, today=TODAY)
    for _attempt in range(3):
        Job.objects.filter(state=Job.State.QUEUED).update(run_after=timezone.now())
        build(report, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "2025–2026学年" in report.failure


def test_the_schedule_makes_last_year_s_report(district, django_capture_on_commit_callbacks):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="report: balance_monitoring")
    assert (task.crontab.day_of_month, task.crontab.month_of_year) == ("1", "1")
    with django_capture_on_commit_callbacks(execute=False):
        assert services.reports_scheduled(kind="balance_monitoring", today=D(2027, 1, 1)) >= 1
    assert Report.objects.filter(kind="balance_monitoring", period_start=D(2026, 1, 1), scheduled=True).exists()
