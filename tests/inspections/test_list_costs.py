"""The inspector's month, the inspectors' load, the draws and the sign search cost the same
for 2 rows as for 20 (each expected query named)."""

import pytest
from django.urls import reverse

from bureau.models import Department, Role
from inspections.models import DrawAssignment, UnannouncedDraw
from inspections.services import notice_issue
from tests.factories import InspectorZoneFactory, SchoolFactory, UserFactory, ZoneSchoolFactory
from tests.inspections.factories import FiledVisitFactory, VisitFactory, VisitItemFactory

pytestmark = pytest.mark.django_db


def _grow(district, zone, inspector, n):
    """n schools in the inspector's zone, each with a filed visit, a draft and an open notice;
    and n more inspectors in zones of their own."""
    for _ in range(n):
        school = SchoolFactory(district=district)
        ZoneSchoolFactory(zone=zone, school=school)
        item = VisitItemFactory(visit=FiledVisitFactory(school=school, inspector=inspector), result="not_met")
        notice_issue(item=item, requirement="整改", working_days=5, by=inspector)
        VisitFactory(school=school, inspector=inspector)
        other = InspectorZoneFactory(district=district)
        other.inspectors.add(UserFactory(role=Role.INSPECTOR, district=district))
        ZoneSchoolFactory(zone=other, school=SchoolFactory(district=district))


def _this_month(visit_model):
    from django.utils import timezone

    visit_model.objects.update(date=timezone.localdate())


def test_the_inspectors_month_is_flat(client, district, zone, inspector_user, django_assert_num_queries):
    from inspections.models import Visit

    client.force_login(inspector_user)
    url = reverse("inspections:my_month")
    _grow(district, zone, inspector_user, 2)
    _this_month(Visit)
    client.get(url)
    # session, user, its zones, their schools, the month's visits, the open notices by school,
    # the overdue notices, its draw assignments; the start form's choices are never drawn on
    # this page
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    _grow(district, zone, inspector_user, 18)
    _this_month(Visit)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count("/visits/") >= 20


def test_the_inspectors_load_is_flat(client, district, zone, inspector_user, leader_user, django_assert_num_queries):
    client.force_login(leader_user)
    url = reverse("inspections:inspector_load")
    _grow(district, zone, inspector_user, 2)
    client.get(url)
    # session, user, scope districts, zones with school counts, their schools, their
    # inspectors, visits this month by inspector, open notices by inspector
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    _grow(district, zone, inspector_user, 18)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_draws_page_is_flat(client, district, school, inspector_user, django_assert_num_queries):
    office = UserFactory(role=Role.STAFF, district=district, department=Department.objects.get(code="inspection"))
    client.force_login(office)
    url = reverse("inspections:draw_list")

    def add(n):
        for _ in range(n):
            draw = UnannouncedDraw.objects.create(
                district=district, title="突击", count=1, seed=1, candidates=[school.pk], pool=[inspector_user.pk],
                sample_size=1, inspectors_per_school=1, created_by=office,
            )
            DrawAssignment.objects.create(draw=draw, school=school, inspector=inspector_user, position=0)

    add(2)
    client.get(url)
    # session, user with its department, scope districts, the draws with district, zone and
    # drawer, the form's districts (the planner's), its district and zone choices
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    add(18)
    with django_assert_num_queries(7):
        assert client.get(url).content.decode().count("/inspections/draws/") >= 20


def test_the_sign_search_is_flat(client, district, django_assert_num_queries):
    url = reverse("sign:search") + "?q=测试"
    for _ in range(2):
        SchoolFactory(district=district)
    client.get(url)
    # the schools found with their districts (no login: no session, no user)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    for _ in range(18):
        SchoolFactory(district=district)
    with django_assert_num_queries(1):
        assert client.get(url).content.decode().count("/sign/") >= 20


def test_a_school_is_due_until_its_routine_visit_of_the_month_is_filed(client, school, inspector_user, english):
    from django.utils import timezone

    from tests.inspections.factories import FiledVisitFactory as Filed

    client.force_login(inspector_user)
    today = timezone.localdate()
    Filed(school=school, inspector=inspector_user, kind="special", date=today)
    assert "Visit due" in client.get(reverse("inspections:my_month")).content.decode()
    Filed(school=school, inspector=inspector_user, kind="routine", date=today)
    page = client.get(reverse("inspections:my_month")).content.decode()
    assert ">Due<" not in page and "2 visits filed" in page
