"""The inspections API: scoped as the pages; an unannounced visit unknown to the school until filed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Visit, VisitKind
from tests.inspections.factories import FiledVisitFactory, MonthlyThemeFactory, VisitFactory, VisitItemFactory

pytestmark = pytest.mark.django_db


def test_an_unannounced_visit_is_not_in_the_schools_api_until_filed(client, school, principal_user, inspector_user):
    visit = VisitFactory(school=school, inspector=inspector_user, kind=VisitKind.UNANNOUNCED)
    VisitItemFactory(visit=visit)
    detail = reverse("api:visit-detail", args=[visit.pk])
    client.force_login(principal_user)
    listing = client.get(reverse("api:visit-list")).json()
    assert listing["count"] == 0 and listing["results"] == []
    assert client.get(detail).status_code == 404
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.FILED)
    listing = client.get(reverse("api:visit-list")).json()
    assert listing["count"] == 1 and "private_notes" not in listing["results"][0]
    assert client.get(detail).json()["items"][0]["code"] == visit.items.get().code


def test_private_notes_reach_the_inspectors_only(client, school, inspector_user, staff_user, leader_user):
    visit = FiledVisitFactory(school=school, inspector=inspector_user)
    url = reverse("api:visit-detail", args=[visit.pk])
    client.force_login(inspector_user)
    assert client.get(url).json()["private_notes"] == visit.private_notes
    for user in (staff_user, leader_user):
        client.force_login(user)
        assert "private_notes" not in client.get(url).json()


def test_the_lists_cost_the_same_for_2_or_20(client, school, district, inspector_user, staff_user):
    # Each list: the session, the user, the scope's districts, the count, the page of rows
    # with their joins and one prefetch per nested list (checklist items): none per row.
    client.force_login(staff_user)

    def counts():
        sizes = {}
        for name in ("api:visit-list", "api:theme-list", "api:rectification-notice-list"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name)).status_code == 200
            sizes[name] = len(ctx.captured_queries)
        return sizes

    for month in (1, 2):
        MonthlyThemeFactory(district=district, month=month)
        VisitItemFactory(visit=FiledVisitFactory(school=school, inspector=inspector_user))
    counts()
    few = counts()
    for month in range(3, 13):
        MonthlyThemeFactory(district=district, month=month)
    for _ in range(18):
        VisitItemFactory(visit=FiledVisitFactory(school=school, inspector=inspector_user))
    assert counts() == few
