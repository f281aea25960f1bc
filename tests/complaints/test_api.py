"""Complaints through the API: scoped as on the pages, through the same services and forms."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bureau.models import AuditLog
from complaints.models import Complaint
from tests.complaints.factories import audit_department, lodge, parent, to_state

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # messages asserted in their English source
    client.force_authenticate(user)
    return client


def test_a_parents_token_sees_and_lodges_its_own(school, complainant):
    other = lodge(school=school, by=parent(username="neighbour", mobile="13700000001"))
    client = api(complainant)
    token = str(uuid.uuid4())
    body = {"token": token, "school": school.pk, "category": "homework", "description": "作业太多",
            "happened_on": "2026-09-01"}
    first = client.post(reverse("api:complaint-list"), body, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["tracking_number"].startswith("TS")
    again = client.post(reverse("api:complaint-list"), body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    listed = client.get(reverse("api:complaint-list")).json()
    assert [item["id"] for item in listed["results"]] == [first.json()["id"]]
    assert client.get(reverse("api:complaint-detail", args=[other.pk])).status_code == 404
    # A parent reads nothing else of the API.
    assert client.get(reverse("api:school-list")).status_code == 403


def test_bad_input_is_a_400_with_fields(school, complainant):
    response = api(complainant).post(reverse("api:complaint-list"), {"token": "x", "school": 999999,
                                                                     "category": "nope"}, format="json")
    assert response.status_code == 400
    assert {"token", "school", "category", "description", "happened_on"} <= set(response.json())
    assert not Complaint.objects.exists()


def test_the_principal_gets_no_complainant_field_nor_the_reply(school, complainant, handler, principal_user):
    handed = to_state("replied", school=school, complainant=complainant, handler=handler)
    to_state("assigned", school=school, complainant=complainant, handler=handler, to_school=False)
    client = api(principal_user)
    listed = client.get(reverse("api:complaint-list")).json()
    assert [item["id"] for item in listed["results"]] == [handed.pk]
    item = client.get(reverse("api:complaint-detail", args=[handed.pk])).json()
    assert "complainant_name" not in item and "complainant_mobile" not in item
    assert item["reply"] is None and item["finding"] is None
    raw = str(item)
    assert "张" not in raw and "1381234" not in raw and "****" not in raw
    assert client.post(reverse("api:complaint-complainant", args=[handed.pk])).status_code == 403


def test_the_office_sees_masks_and_a_logged_look(school, complainant, handler):
    complaint = lodge(school=school, by=complainant)
    client = api(handler)
    item = client.get(reverse("api:complaint-detail", args=[complaint.pk])).json()
    assert (item["complainant_name"], item["complainant_mobile"]) == ("张**", "138****1234")
    assert not AuditLog.objects.filter(action="view").exists()
    identity = client.post(reverse("api:complaint-complainant", args=[complaint.pk])).json()
    assert identity == {"name": "张三丰", "mobile": "13812341234"}
    assert AuditLog.objects.filter(action="view", actor=handler, object_id=str(complaint.pk)).count() == 1


def test_steps_through_the_api(school, complainant, handler, english):
    complaint = lodge(school=school, by=complainant)
    client = api(handler)
    url = lambda step: reverse("api:complaint-step", args=[complaint.pk, step])  # noqa: E731
    assert client.post(url("accept"), {"expected": "submitted"}, format="json").json()["status"] == "accepted"
    # The state the client saw is gone: a clear 400.
    stale = client.post(url("reject"), {"expected": "submitted", "reason": "重复"}, format="json")
    assert stale.status_code == 400 and "changed by someone else" in stale.json()["detail"][0]
    missing = client.post(url("assign"), {"expected": "accepted"}, format="json")
    assert missing.status_code == 400 and "department" in missing.json()
    done = client.post(url("assign"), {"expected": "accepted", "department": audit_department().pk}, format="json")
    assert done.json()["status"] == "assigned"
    assert client.post(url("nonsense"), {}, format="json").status_code == 404
    # A step of another role: the parent may not accept, the office may not rate.
    assert api(complainant).post(url("accept"), {"expected": "assigned"}, format="json").status_code == 403
    assert client.post(url("rate"), {"rating": 5}, format="json").status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_for_2_and_20(school, handler, count, django_assert_num_queries):
    for n in range(count):
        lodge(school=school, by=parent(username=f"p{n}", mobile=f"137{n:08d}"))
    client = api(handler)
    client.get(reverse("api:complaint-list"))
    # The user (forced, so no session) keeps its department and district ids from the first
    # call: 1 count, 2 the page with school and department.
    with django_assert_num_queries(2):
        client.get(reverse("api:complaint-list"))
