"""Term self-reports through the API: the same services and scope as the pages, 400 with field
errors, and lists that cost the same for 2 reports as for 20."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bureau import calendar
from inspections.models import SelfReport, SelfReportRound
from tests.factories import SchoolFactory, TermFactory
from tests.inspections.selfreport_factories import SelfReportFactory

pytestmark = pytest.mark.django_db
Status = SelfReport.Status

GOOD = {"homework_grade_1": 0, "homework_grade_2": 0, "homework_grade_3": 40, "homework_grade_4": 45,
        "homework_grade_5": 50, "homework_grade_6": 60, "after_school_days": 5, "after_school_hours": "2.0",
        "activity_minutes": 60, "start_primary": "08:20"}


@pytest.fixture
def report(school):
    return SelfReportFactory(school=school, round__district=school.district)


def test_staff_open_a_round(client, english, district, school, staff_user):
    client.force_login(staff_user)
    due = calendar.add_working_days(timezone.localdate(), 5, district=district.pk)
    response = client.post(reverse("api:self-report-round-list"),
                           {"district": district.pk, "term": TermFactory().pk, "due_date": due.isoformat()},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    assert SelfReportRound.objects.get().reports.get().school == school
    again = client.post(reverse("api:self-report-round-list"),
                        {"district": district.pk, "term": response.json()["term"], "due_date": due.isoformat()},
                        content_type="application/json")
    assert again.status_code == 400 and "term" in again.json()


def test_the_journey_with_flags(client, english, report, principal_user, staff_user):
    url = reverse("api:self-report-detail", args=[report.pk])
    client.force_login(principal_user)
    response = client.patch(url, {**GOOD, "homework_grade_4": 61, "curriculum": {"pe": {"plan": 4, "actual": 3}}},
                            content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["breaches"] == ["homework_minutes", "curriculum_hours"]
    flag = body["flags"][0]
    assert (flag["field"], flag["rule"], flag["value"], flag["threshold"]) == (
        "homework_grade_4", "homework_minutes", "61", "60")
    assert "60 minutes" in flag["text"] and flag["source"]
    assert client.post(reverse("api:self-report-submit", args=[report.pk])).json()["status"] == Status.SUBMITTED
    client.force_login(staff_user)
    returned = client.post(reverse("api:self-report-return", args=[report.pk]), {"comments": "四年级作业超时。"},
                           content_type="application/json")
    assert returned.json()["status"] == Status.RETURNED
    client.force_login(principal_user)
    client.patch(url, {"homework_grade_4": 60, "curriculum": {"pe": {"plan": 4, "actual": 4}}},
                 content_type="application/json")
    client.post(reverse("api:self-report-submit", args=[report.pk]))
    client.force_login(staff_user)
    accepted = client.post(reverse("api:self-report-accept", args=[report.pk]), {}, content_type="application/json")
    assert (accepted.json()["status"], accepted.json()["flags"]) == (Status.ACCEPTED, [])
    client.force_login(principal_user)
    assert client.patch(url, {"activity_minutes": 70}, content_type="application/json").status_code == 400
    correction = client.post(reverse("api:self-report-correct", args=[report.pk]))
    assert correction.status_code == 201 and correction.json()["version"] == 2
    listing = client.get(reverse("api:self-report-list")).json()
    assert [r["version"] for r in listing["results"]] == [2]
    assert {r["version"] for r in client.get(reverse("api:self-report-list") + "?all_versions=1").json()["results"]} \
        == {1, 2}


def test_bad_values_answer_400_by_field(client, english, report, principal_user):
    client.force_login(principal_user)
    url = reverse("api:self-report-detail", args=[report.pk])
    response = client.patch(url, {"activity_minutes": -5, "after_school_hours": "30"},
                            content_type="application/json")
    assert response.status_code == 400 and {"activity_minutes", "after_school_hours"} <= set(response.json())
    response = client.patch(url, {"curriculum": {"pe": {"plan": 99}}}, content_type="application/json")
    assert response.status_code == 400 and "curriculum_pe_plan" in response.json()
    submit = client.post(reverse("api:self-report-submit", args=[report.pk]))
    assert submit.status_code == 400 and "homework_grade_3" in submit.json()
    report.refresh_from_db()
    assert report.saved_at is None and report.status == Status.DRAFT


def test_scope_and_roles(client, report, district, inspector_user, leader_user, principal_user):
    other = SelfReportFactory(round=report.round, school=SchoolFactory(district=district))
    client.force_login(principal_user)
    assert [r["id"] for r in client.get(reverse("api:self-report-list")).json()["results"]] == [report.pk]
    assert client.get(reverse("api:self-report-detail", args=[other.pk])).status_code == 404
    client.force_login(inspector_user)  # its zone holds `school` only; it reads, never writes
    assert [r["id"] for r in client.get(reverse("api:self-report-list")).json()["results"]] == [report.pk]
    assert client.post(reverse("api:self-report-accept", args=[report.pk])).status_code == 403
    client.force_login(leader_user)
    assert len(client.get(reverse("api:self-report-list")).json()["results"]) == 2
    assert client.post(reverse("api:self-report-return", args=[report.pk])).status_code == 403


def test_the_list_costs_the_same_for_2_or_20(client, report, district, staff_user, django_assert_num_queries):
    client.force_login(staff_user)
    url = reverse("api:self-report-list")
    for _ in range(1):
        SelfReportFactory(round=report.round, school=SchoolFactory(district=district))
    client.get(url)
    # session, user, the city's districts, the count, the page of reports with school and round
    with django_assert_num_queries(5):
        assert client.get(url).json()["count"] == 2
    for _ in range(18):
        SelfReportFactory(round=report.round, school=SchoolFactory(district=district), breaches=["key_classes"])
    with django_assert_num_queries(5):
        assert client.get(url).json()["count"] == 20
