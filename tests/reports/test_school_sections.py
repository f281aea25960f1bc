"""A principal's own school in the reports: its part of the latest monthly summary of its
zone, of the quarterly complaint analysis, of the health bulletin and of the assessment,
beside the zone's or the district's figures; never another school's line, on the page and
in the API."""

import datetime

import pytest
from django.urls import reverse

from reports import services
from reports.models import Report
from reports.periodic.sections import school_sections
from tests.factories import SchoolFactory, SchoolYearFactory, SchoolYearStatFactory, UserFactory, ZoneSchoolFactory
from tests.reports import test_periodic
from tests.reports.test_periodic import TODAY, build

D = datetime.date
OTHER = "天宁区第三小学"
quarter = test_periodic.quarter  # the fixture: two complaints of `school` in February


@pytest.fixture
def reports(district, zone, school, staff_user, quarter, django_capture_on_commit_callbacks, media, settings):
    """The principal's school and a second school of its zone, each with health tests and
    (the principal's) two complaints; every kind with a school part built."""
    second = SchoolFactory(district=district, code="3204020003", name=OTHER)
    ZoneSchoolFactory(zone=zone, school=second)
    year = SchoolYearFactory(start_year=2025)
    SchoolYearStatFactory(school=school, school_year=year, health_tested=100, health_excellent=10, health_good=30,
                          health_pass=50, myopia=35)
    SchoolYearStatFactory(school=second, school_year=year, health_tested=50, health_excellent=5, health_good=14,
                          health_pass=25, myopia=20)
    made = {}
    for kind, start, zone_of in (("monthly_inspection", D(2026, 3, 1), zone), ("monthly_inspection", D(2026, 3, 1), None),
                                 ("complaint_quarterly", D(2026, 1, 1), None), ("health_bulletin", D(2026, 1, 1), None),
                                 ("school_assessment", D(2026, 1, 1), None)):
        report = services.report_request(kind=kind, district=district, zone=zone_of, start=start, by=staff_user,
                                         today=TODAY)
        made[(kind, zone_of is not None)] = build(report, django_capture_on_commit_callbacks)
    assert all(r.status == Report.Status.READY for r in made.values())
    return made, second


def test_each_kind_gives_the_school_its_own_part(reports, school, zone):
    made, second = reports
    sections = {s["kind"].code: s for s in school_sections(school=school)}
    assert set(sections) == {"monthly_inspection", "complaint_quarterly", "health_bulletin", "school_assessment"}
    # The monthly part comes from the zone's summary, which has a line per school.
    assert sections["monthly_inspection"]["report"] == made[("monthly_inspection", True)]
    assert sections["monthly_inspection"]["part"]["total"]["schools"] == 2
    health = sections["health_bulletin"]["part"]
    assert (health["row"]["good_rate"], health["row"]["meets"], health["total"]["good_rate"]) == (40.0, True, 39.3)
    complaints = sections["complaint_quarterly"]["part"]
    assert complaints["row"] == {**complaints["row"], "school_id": school.pk, "total": 2, "concluded": 1,
                                 "substantiated": 100.0}
    assert sections["school_assessment"]["part"]["row"]["school_id"] == school.pk
    # The other school has its own health line and none of these complaints.
    theirs = {s["kind"].code: s for s in school_sections(school=second)}
    assert theirs["health_bulletin"]["part"]["row"]["good_rate"] == 38.0 and "complaint_quarterly" not in theirs


def test_a_newer_version_is_read_and_a_failed_one_is_not(reports, school, staff_user, district,
                                                          django_capture_on_commit_callbacks):
    made, _second = reports
    newer = build(services.report_request(kind="health_bulletin", district=district, start=D(2026, 1, 1),
                                          by=staff_user, today=TODAY), django_capture_on_commit_callbacks)
    sections = {s["kind"].code: s for s in school_sections(school=school)}
    assert sections["health_bulletin"]["report"] == newer and newer.version == 2
    Report.objects.filter(pk=newer.pk).update(status=Report.Status.FAILED)
    sections = {s["kind"].code: s for s in school_sections(school=school)}
    assert sections["health_bulletin"]["report"].version == 1


def test_the_principal_reads_its_school_on_the_page_and_in_the_api(reports, client, school, principal_user,
                                                                   django_assert_max_num_queries):
    client.force_login(principal_user)
    with django_assert_max_num_queries(8):  # session, user, the zone, the reports, their data, menus
        page = client.get(reverse("reports:my_school")).content.decode()
    assert page.count('class="card report-part"') == 4 and "40.0 %" in page and "39.3 %" in page
    assert OTHER not in page and "38.0" not in page
    answer = client.get("/api/v1/my-school-reports/").json()
    assert {a["kind"] for a in answer} == {"monthly_inspection", "complaint_quarterly", "health_bulletin",
                                           "school_assessment"}
    assert OTHER not in str(answer) and "38.0" not in str(answer)


def test_a_principal_without_reports_is_told_so(client, district):
    lone = SchoolFactory(district=district, code="3204020077", name="天宁区第七十七小学")
    principal = UserFactory(role="principal", school=lone, district=district)
    client.force_login(principal)
    assert "还没有" in client.get(reverse("reports:my_school")).content.decode()
    assert client.get("/api/v1/my-school-reports/").json() == []
