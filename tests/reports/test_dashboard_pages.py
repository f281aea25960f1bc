"""The dashboards: what they show, for whom, and what they cost. Their query counts are
pinned and do not grow with the number of schools (they read snapshots only)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import SelfReportRound
from reports import snapshots
from reports.dashboard_views import SIDE_BY_SIDE
from reports.models import Snapshot, Target
from schools.models import ClassBalance
from tests import factories
from tests.inspections.factories import FiledVisitFactory
from tests.inspections.selfreport_factories import SelfReportFactory, SelfReportRoundFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 12, 1)


@pytest.fixture
def term():
    return factories.TermFactory(school_year=factories.SchoolYearFactory(start_year=2025))


def _add_schools(district, zone, term, n):
    for i in range(n):
        school = factories.SchoolFactory(district=district)
        factories.ZoneSchoolFactory(zone=zone, school=school)
        factories.SchoolYearStatFactory(school=school, school_year=term.school_year, computers=40 + i)
        factories.SchoolClassFactory(school=school, term=term, boys=30, girls=28 + i)
        factories.TeacherFactory(school=school)
        FiledVisitFactory(school=school, date=datetime.date(2025, 10, 3))
        # The self-reports' and the class draws' figures: one row per school each, and more.
        round_ = SelfReportRound.objects.filter(district=district, term=term).first() or SelfReportRoundFactory(
            district=district, term=term)
        SelfReportFactory(round=round_, school=school, status="accepted", breaches=["homework_minutes"] * (i % 2))
        ClassBalance.objects.create(school=school, term=term, section="primary", measure="teacher_title",
                                    cv=Decimal("0.1") * i, classes=3)


def _compute(city, term):
    snapshots.snapshots_compute(area_id=city.pk, term=term, today=TODAY)


def _pages(district, zone, school, cls, term):
    q = f"?term={term.pk}"
    return {
        "district": reverse("reports:district", args=[district.pk]) + q,
        "city": reverse("reports:city") + q,
        "targets": reverse("reports:targets"),
        "zone": reverse("reports:zone", args=[zone.pk]) + q,
        "school": reverse("reports:school", args=[school.pk]) + q,
        "class": reverse("reports:class", args=[cls.pk]),
    }


def _counts(client, user, pages):
    client.force_login(user)
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


# FRAME (session, user, the districts a city reaches) + the page's own reads, each one query:
# district  the district, the terms, its snapshots, its zones, theirs, its schools', the names
#           of the schools below a standard, the trends, the targets and their history, the
#           area's state, its open job = 3 + 12
# city      its districts, the terms, their snapshots, the city's, state, job = 3 + 6
# targets   the targets, their history, the form's zones and departments = 3 + 4
# zone      the zone, the terms, its snapshots, its schools, theirs, state, job = 3 + 7
# school    the school, the terms, its snapshots, the district's, its classes' snapshots and
#           rows, state, job, open notices (record panel), complaints (twice: the panel of
#           vetoes and the list) = 3 + 11
# class     the class, its snapshots, its school's = 3 + 3
def test_query_counts_do_not_grow_with_the_schools(client, city, district, zone, school, leader_user, term):
    cls = factories.SchoolClassFactory(school=school, term=term)
    Target.objects.create(indicator="computers", district=district, value=8.5, deadline=datetime.date(2026, 7, 1),
                          department=factories.DepartmentFactory())
    _add_schools(district, zone, term, 2)
    _compute(city, term)
    pages = _pages(district, zone, school, cls, term)
    few = _counts(client, leader_user, pages)
    _add_schools(district, zone, term, 12)
    _compute(city, term)
    many = _counts(client, leader_user, pages)
    assert few == many
    assert many == {"district": 15, "city": 9, "targets": 7, "zone": 10, "school": 14, "class": 6}, many


def test_the_district_dashboard_shows_the_cvs_against_their_limits(client, city, district, zone, school,
                                                                   leader_user, term):
    _add_schools(district, zone, term, 3)
    _compute(city, term)
    client.force_login(leader_user)
    page = client.get(reverse("reports:district", args=[district.pk]) + f"?term={term.pk}").content.decode()
    assert "校际差异系数（小学）" in page and "0.50" in page  # the chart's limit line
    assert "县域义务教育优质均衡发展督导评估办法" in page  # the source next to the standard
    assert "数据计算于" in page  # how fresh


def test_the_zones_side_by_side_in_counting_order(client, city, district, zone, school, leader_user, term):
    """第二 before 第三 before 第十: the database's order puts 第七 before 第三 before 第二."""
    for name in ("第十责任区", "第三责任区", "第七责任区", "第二责任区"):
        factories.InspectorZoneFactory(district=district, name=name)
    _compute(city, term)
    client.force_login(leader_user)
    page = client.get(reverse("reports:district", args=[district.pk]) + f"?term={term.pk}").content.decode()
    table = page[page.index("第一责任区"):]
    places = [table.index(name) for name in ("第一", "第二", "第三", "第七", "第十")]
    assert places == sorted(places)


def test_exports_are_xlsx_with_unrounded_figures(client, city, district, zone, school, leader_user, term):
    _add_schools(district, zone, term, 3)
    _compute(city, term)
    client.force_login(leader_user)
    url = reverse("reports:district", args=[district.pk])
    for table in ("indicators", "cv", "failing", "zones"):
        response = client.get(f"{url}?term={term.pk}&export={table}")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), table
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.active.max_row >= 1
    # The zones side by side: each figure a number, unrounded, not the page's rounded text.
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}?term={term.pk}&export=zones").content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    stored = {(s.indicator, s.stage): s.value for s in Snapshot.objects.filter(level="zone", scope_id=zone.pk,
                                                                                 term=term, value__isnull=False)}
    cells = [(rows[zone.name][1 + n], stored[key]) for n, key in enumerate(SIDE_BY_SIDE) if key in stored]
    assert cells and all(isinstance(cell, (int, float)) and cell == float(value) for cell, value in cells)
    assert any(value != value.quantize(Decimal("0.01")) for _cell, value in cells)  # some the page rounds


def test_a_principal_reaches_its_school_only(client, city, district, zone, school, principal_user, term):
    other = factories.SchoolFactory(district=district)
    _compute(city, term)
    client.force_login(principal_user)
    assert client.get(reverse("reports:school", args=[school.pk])).status_code == 200
    assert client.get(reverse("reports:school", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:zone", args=[zone.pk])).status_code == 403
    assert client.get(reverse("reports:district", args=[district.pk])).status_code == 403


def test_an_inspector_reaches_its_zones_only(client, district, zone, inspector_user):
    other = factories.InspectorZoneFactory(district=district)
    client.force_login(inspector_user)
    assert client.get(reverse("reports:zone", args=[zone.pk])).status_code == 200
    assert client.get(reverse("reports:zone", args=[other.pk])).status_code == 404


def test_the_office_sets_a_target_and_sees_it_on_the_board(client, city, district, school, term, leader_user,
                                                           staff_user):
    factories.SchoolYearStatFactory(school=school, school_year=term.school_year)
    office = factories.DepartmentFactory(code="office", name="办公室")
    data = {"indicator": "computers", "stage": "", "comparator": ">=", "value": "8.5", "baseline": "6",
            "deadline": "2026-07-31", "department": office.pk, "source": "到2016年，中小学每百名学生配备计算机8.5台"}
    client.force_login(staff_user)  # of 基础教育科: reads the board, sets nothing
    assert client.post(reverse("reports:targets"), data).status_code == 404
    client.force_login(leader_user)
    response = client.post(reverse("reports:targets"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    target = Target.objects.get()
    assert (target.district, target.created_by) == (district, leader_user)
    page = client.get(reverse("reports:targets")).content.decode()
    assert "每百名学生配备计算机8.5台" in page and "暂无数据" in page
    _compute(city, term)
    page = client.get(reverse("reports:targets")).content.decode()
    assert "暂无数据" not in page


def test_a_refresh_is_one_job_and_shows_its_progress(client, city, district, leader_user):
    client.force_login(leader_user)
    url = reverse("reports:refresh", args=[district.pk])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("bureau.jobs.job_ring", lambda **kw: True)
        client.post(url)
        client.post(url)
    from bureau.models import Job

    assert Job.objects.filter(kind=snapshots.JOB_KIND).count() == 1
    page = client.get(reverse("reports:district", args=[district.pk])).content.decode()
    assert 'id="job-progress"' in page
    status = client.get(reverse("reports:refresh_status", args=[district.pk])).json()
    assert status["running"] is True
