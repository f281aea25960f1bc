"""The visit list's filters (kind, status, zone, school, month, inspector), on the page and in
the API: each narrows what the user already sees, offers only records in its scope, refuses
a value it cannot read, and costs the same for any number of visits."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bureau.models import Role
from inspections.models import Visit
from tests.factories import InspectorZoneFactory, SchoolFactory, UserFactory, ZoneSchoolFactory
from tests.inspections.factories import FiledVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(district, school, zone, inspector_user, other_district):
    near = SchoolFactory(district=district, code="3132000002", name="天宁区第二小学")
    second_zone = InspectorZoneFactory(district=district, name="第二责任区")
    ZoneSchoolFactory(zone=second_zone, school=near)
    colleague = UserFactory(role=Role.INSPECTOR, district=district, name="李督学", inspector_kind="part_time")
    second_zone.inspectors.add(colleague)
    return {
        "march": FiledVisitFactory(school=school, inspector=inspector_user, date=datetime.date(2026, 3, 10)),
        "april_special": FiledVisitFactory(school=school, inspector=inspector_user, kind="special",
                                           date=datetime.date(2026, 4, 2)),
        "draft": VisitFactory(school=school, inspector=inspector_user, date=datetime.date(2026, 4, 20)),
        "near": FiledVisitFactory(school=near, inspector=colleague, date=datetime.date(2026, 3, 15)),
        "elsewhere": FiledVisitFactory(school=SchoolFactory(district=other_district, code="3132000099"),
                                       date=datetime.date(2026, 3, 12)),
        "near_school": near, "second_zone": second_zone, "colleague": colleague,
    }


def _listed(client, visits, **query):
    page = client.get(reverse("inspections:visit_list"), query)
    assert page.status_code == 200
    html = page.content.decode()
    return {name for name, visit in visits.items() if isinstance(visit, Visit)
            and f'href="/inspections/visits/{visit.pk}/"' in html}


def test_each_filter_narrows_the_page(client, staff_user, visits, zone, school):
    client.force_login(staff_user)
    every = {"march", "april_special", "draft", "near"}
    assert _listed(client, visits) == every
    assert _listed(client, visits, kind="special") == {"april_special"}
    assert _listed(client, visits, status="draft") == {"draft"}
    assert _listed(client, visits, zone=visits["second_zone"].pk) == {"near"}
    assert _listed(client, visits, school=school.pk) == {"march", "april_special", "draft"}
    assert _listed(client, visits, month="2026-03") == {"march", "near"}
    assert _listed(client, visits, inspector=visits["colleague"].pk) == {"near"}
    assert _listed(client, visits, month="2026-04", kind="routine") == {"draft"}


def test_a_bad_value_is_said_on_its_field_and_lists_no_wider(client, staff_user, visits, english):
    client.force_login(staff_user)
    response = client.get(reverse("inspections:visit_list"), {"month": "2026-13", "zone": "999999"})
    form = response.context["filter_form"]
    assert set(form.errors) == {"month", "zone"}
    assert "has-error" in response.content.decode()


def test_the_choices_stay_in_scope(client, principal_user, inspector_user, visits, school):
    client.force_login(principal_user)
    form = client.get(reverse("inspections:visit_list")).context["filter_form"]
    assert [s.pk for s in form.fields["school"].queryset] == [school.pk]
    # The inspectors of its own filed visits only: not the neighbour's.
    assert list(form.fields["inspector"].queryset) == [inspector_user]
    assert _listed(client, visits) == {"march", "april_special"}  # filed only
    assert _listed(client, visits, status="draft") == set()
    # Another school's id is refused on the field (not a record it may pick), never a wider list.
    assert _listed(client, visits, school=visits["near_school"].pk) == {"march", "april_special"}
    assert "school" in client.get(reverse("inspections:visit_list"),
                                  {"school": visits["near_school"].pk}).context["filter_form"].errors


def test_the_api_filters_the_same_way(staff_user, visits):
    client = APIClient()
    client.force_authenticate(staff_user)
    url = reverse("api:visit-list")
    ids = lambda **q: {v["id"] for v in client.get(url, q).json()["results"]}  # noqa: E731
    assert ids(month="2026-03") == {visits["march"].pk, visits["near"].pk}
    assert ids(kind="special", school=visits["march"].school_id) == {visits["april_special"].pk}
    assert ids(inspector=visits["colleague"].pk) == {visits["near"].pk}
    bad = client.get(url, {"month": "March"})
    assert bad.status_code == 400 and list(bad.json()) == ["month"]
    elsewhere = client.get(url, {"school": visits["elsewhere"].school_id})
    assert elsewhere.status_code == 400 and list(elsewhere.json()) == ["school"]


@pytest.mark.parametrize("count", [2, 20])
def test_a_filtered_list_costs_the_same_for_2_or_20(client, staff_user, school, inspector_user, zone, count,
                                                    django_assert_num_queries):
    FiledVisitFactory.create_batch(count, school=school, inspector=inspector_user)
    client.force_login(staff_user)
    url = reverse("inspections:visit_list")
    query = {"kind": "routine", "status": "filed", "zone": zone.pk, "school": school.pk, "month": "2026-03",
             "inspector": inspector_user.pk}
    client.get(url, query)
    # session, user with its department, scope districts, the chosen zone, school and
    # inspector (each read to check it is in scope), the count for the pages, the page of
    # visits, and the form's zones, schools and inspectors
    with django_assert_num_queries(11):
        response = client.get(url, query)
    assert len(response.context["page_obj"]) == count
