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


def test_an_administrator_sets_when_a_report_is_made(client, admin_user, staff_user):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="report: complaint_quarterly")  # made after migrate
    assert (task.crontab.day_of_month, task.crontab.month_of_year, task.enabled) == ("1", "1,4,7,10", True)
    url = reverse("reports:schedule_update", args=["complaint_quarterly"])
    form = {"complaint_quarterly-minute": "15", "complaint_quarterly-hour": "5",
            "complaint_quarterly-day_of_month": "2", "complaint_quarterly-month_of_year": "1,4,7,10"}
    client.force_login(staff_user)
    assert client.post(url, form).status_code == 403
    client.force_login(admin_user)
    bad = client.post(url, {**form, "complaint_quarterly-hour": "25"})
    assert bad.status_code == 400 and 'has-error' in bad.content.decode()
    task.refresh_from_db()
    assert task.crontab.hour == "6"
    assert client.post(url, form).status_code == 302
    task.refresh_from_db()
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month, task.enabled) == ("15", "5", "2", False)
    # A restart of beat (migrate, the demo) leaves the administrator's time alone.
    from reports.schedules import schedules_ensure

    schedules_ensure()
    task.refresh_from_db()
    assert task.crontab.hour == "5"


def test_beat_s_entry_makes_the_last_period_s_reports(district, zone, django_capture_on_commit_callbacks):
    from bureau import jobs
    from bureau.tasks import job_enqueue_periodic

    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.Job.objects.get(pk=job_enqueue_periodic("reports.scheduled.monthly_inspection"))
        jobs.job_run(job_id=job.pk)
    assert Report.objects.filter(kind="monthly_inspection", scheduled=True).count() == 2  # district, zone


def test_a_principal_reads_its_own_school_s_assessment_only(client, district, school, staff_user, principal_user,
                                                           admin_user, media):
    from tests.factories import SchoolFactory

    SchoolFactory(district=district, code="3204020009", name="天宁区第九小学")
    client.force_login(principal_user)
    assert "天宁区第九小学" not in client.get(reverse("reports:my_school")).content.decode()
    report = services.report_request(kind="school_assessment", district=district, start=D(2026, 1, 1),
                                     by=staff_user, today=TODAY)
    services.report_gather(report_id=report.pk)
    services.report_render(report_id=report.pk)
    page = client.get(reverse("reports:my_school")).content.decode()

    assert "天宁区第九小学" not in page and "100.0" in page
    # The weights: an administrator's; a weight out of range is refused on the page.
    from reports.models import AssessmentCriterion

    criterion = AssessmentCriterion.objects.get(code="complaints")
    client.force_login(admin_user)
    assert client.post(reverse("reports:criteria"), {"criterion": criterion.pk, "weight": "120"}).status_code == 400
    assert client.post(reverse("reports:criteria"), {"criterion": criterion.pk, "weight": "25"}).status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == 25
