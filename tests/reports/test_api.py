"""The reports API: made, published and read through the same services as the pages."""

import pytest
from rest_framework.test import APIClient

from reports.models import Report


@pytest.fixture
def api():
    return APIClient()


def test_staff_make_a_report_a_leader_publishes_it_anyone_reads_the_bulletin(api, district, zone, staff_user,
                                                                            leader_user, media,
                                                                            django_capture_on_commit_callbacks):
    api.force_authenticate(staff_user)
    with django_capture_on_commit_callbacks(execute=True):  # Celery is eager: built on commit
        made = api.post("/api/v1/reports/", {"kind": "monthly_inspection", "district": district.pk,
                                             "period_start": "2026-03-01"}, format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    detail = api.get(f"/api/v1/reports/{pk}/").json()
    assert detail["status"] == "ready" and detail["data"]["total"]["due"] == 1 and detail["pdf_url"]
    assert api.post(f"/api/v1/reports/{pk}/publish/").status_code == 400  # staff do not publish
    api.force_authenticate(leader_user)
    assert api.post(f"/api/v1/reports/{pk}/publish/").json()["status"] == "published"
    anonymous = APIClient()
    listed = anonymous.get("/api/v1/bulletins/").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    assert listed["results"][0]["pdf_url"] == f"/bulletins/{pk}/pdf/"
    assert anonymous.get(f"/api/v1/bulletins/{pk}/").json()["data"]["total"]["due"] == 1


def test_bad_requests_say_what_is_wrong_by_field(api, district, zone, staff_user, other_district):
    api.force_authenticate(staff_user)
    answer = api.post("/api/v1/reports/", {"kind": "weekly", "district": other_district.pk,
                                           "period_start": "2026-13-01"}, format="json")
    assert answer.status_code == 400 and {"kind", "district", "period_start"} <= set(answer.json())
    answer = api.post("/api/v1/reports/", {"kind": "monthly_inspection", "district": district.pk,
                                           "period_start": "2026-03-02"}, format="json")
    assert answer.status_code == 400 and Report.objects.count() == 0
