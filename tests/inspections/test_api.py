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


def test_the_whole_journey_through_the_api(client, district, school, inspector_user, principal_user,
                                           school_outside_zone):
    from django.utils import timezone

    from inspections.models import RectificationNotice
    from tests.inspections.factories import ChecklistItemFactory

    today = timezone.localdate()
    theme = MonthlyThemeFactory(district=district, year=today.year, month=today.month)
    ChecklistItemFactory(theme=theme, code="03-2", text="体育活动")
    client.force_login(inspector_user)
    assert client.post(reverse("api:visit-list"), {"school": school_outside_zone.pk, "kind": "routine"},
                       content_type="application/json").status_code == 400  # not its zone
    started = client.post(reverse("api:visit-list"), {"school": school.pk, "kind": "routine"},
                          content_type="application/json")
    assert started.status_code == 201
    visit = started.json()
    item = visit["items"][0]["id"]
    url = reverse("api:visit-detail", args=[visit["id"]])
    bad = client.patch(url, {"items": [{"id": item, "result": "maybe"}]}, content_type="application/json")
    assert bad.status_code == 400
    saved = client.patch(url, {"feedback": "请保证每天1小时体育活动。", "items": [{"id": item, "result": "not_met"}]},
                         content_type="application/json")
    assert saved.status_code == 200 and saved.json()["items"][0]["result"] == "not_met"
    file_url = reverse("api:visit-file", args=[visit["id"]])
    assert client.post(file_url).json()["status"] == "filed"
    again = client.post(file_url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.status_code == 400 and "已于" in again.json()["detail"][0]
    # An item that does not exist (or that the inspector may not see) is a bad field, not a missing page.
    unknown = client.post(reverse("api:rectification-notice-list"),
                          {"item": item + 10_000, "requirement": "调整作息", "working_days": 5},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert unknown.status_code == 400 and list(unknown.json()) == ["item"], unknown.json()
    assert "检查项" in unknown.json()["item"][0]
    issued = client.post(reverse("api:rectification-notice-list"),
                         {"item": item, "requirement": "调整作息", "working_days": 5}, content_type="application/json")
    assert issued.status_code == 201 and issued.json()["status"] == "issued"
    notice = issued.json()["id"]

    client.force_login(principal_user)
    assert client.post(file_url).status_code == 403
    assert "private_notes" not in client.get(url).json()
    answered = client.post(reverse("api:rectification-notice-answer", args=[notice]), {"answer": "已调整"},
                           content_type="application/json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert client.post(reverse("api:rectification-notice-verify", args=[notice])).status_code == 400  # not its move

    client.force_login(inspector_user)
    returned = client.post(reverse("api:rectification-notice-return", args=[notice]), {"reason": "缺作息表"},
                           content_type="application/json")
    assert returned.json()["status"] == "returned"
    client.force_login(principal_user)
    client.post(reverse("api:rectification-notice-answer", args=[notice]), {"answer": "附作息表"},
                content_type="application/json")
    client.force_login(inspector_user)
    verified = client.post(reverse("api:rectification-notice-verify", args=[notice]))
    assert verified.json()["status"] == "verified"
    assert RectificationNotice.objects.get().status == "verified"
