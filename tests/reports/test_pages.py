"""The report pages: progress while a report is built, what each role reaches, and the
list's cost."""

import datetime

import pytest
from django.urls import reverse

from reports import services
from reports.models import Report
from tests.factories import InspectorZoneFactory, UserFactory

D = datetime.date
MARCH = D(2026, 3, 1)
TODAY = D(2026, 4, 10)


def _ask(district, staff_user, zone=None, start=MARCH):
    return services.report_request(kind="monthly_inspection", district=district, zone=zone, start=start,
                                   by=staff_user, today=TODAY)


def test_a_report_being_built_shows_its_progress(client, district, staff_user):
    report = _ask(district, staff_user)  # its jobs wait (nothing runs on commit in this test)
    client.force_login(staff_user)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="job-progress"' in page and reverse("reports:status", args=[report.pk]) in page
    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert status["running"] and status["status"] == "queued" and status["processed"] == 0
    services.report_gather(report_id=report.pk)
    assert client.get(reverse("reports:status", args=[report.pk])).json()["processed"] == 1


def test_a_zone_report_is_its_inspectors_and_the_bureau_s(client, district, zone, staff_user, inspector_user,
                                                         leader_user, principal_user):
    zone_report = _ask(district, staff_user, zone=zone)
    district_report = _ask(district, staff_user)
    other_zone = InspectorZoneFactory(district=district, name="第二责任区")
    stranger = UserFactory(role="inspector", district=district, inspector_kind="part_time")
    other_zone.inspectors.add(stranger)
    answers = {}
    for user in (inspector_user, stranger, leader_user, principal_user):
        client.force_login(user)
        answers[user.username] = [client.get(reverse("reports:detail", args=[r.pk])).status_code
                                  for r in (zone_report, district_report)]
    assert answers == {inspector_user.username: [200, 404], stranger.username: [404, 404],
                       leader_user.username: [200, 200], principal_user.username: [403, 403]}


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_costs_the_same_for_2_and_12_reports(client, district, staff_user, count,
                                                      django_assert_num_queries):
    for n in range(count):
        _ask(district, staff_user, start=D(2025 + n // 12, n % 12 + 1, 1))
    assert Report.objects.count() == count
    client.force_login(staff_user)
    client.get(reverse("reports:list"))
    # 1 session, 2 user with department and district, 3 the city's districts (its reach),
    # 4 whether the form has one district to choose, 5 its districts, 6 its zones, 7 the
    # reports with their district and zone.
    with django_assert_num_queries(7):
        client.get(reverse("reports:list"))
