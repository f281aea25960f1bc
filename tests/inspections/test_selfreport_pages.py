"""Term self-reports through their pages: staff open a round; the principal fills in the form,
sees each breaking value flagged with its rule, and submits; staff review and return or accept.
The lists cost the same for 2 schools as for 20."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bureau import calendar
from inspections.models import SelfReport, SelfReportRound
from inspections.services import selfreports as services
from tests.factories import SchoolFactory, TermFactory, ZoneSchoolFactory
from tests.inspections.selfreport_factories import GOOD_PRIMARY, SelfReportFactory

pytestmark = pytest.mark.django_db
Status = SelfReport.Status


def form_data(**values):
    data = {name: "" if value is None else (value.strftime("%H:%M") if hasattr(value, "strftime") else value)
            for name, value in {**GOOD_PRIMARY, **values}.items()}
    return {name: value for name, value in data.items() if value is not False}


@pytest.fixture
def report(school):
    return SelfReportFactory(school=school, round__district=school.district)


def test_staff_open_a_round_for_every_school(client, english, district, school, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("inspections:selfreport_round_create"))
    assert page.status_code == 200 and school.name in page.content.decode()
    due = calendar.add_working_days(timezone.localdate(), 5, district=district.pk)
    response = client.post(reverse("inspections:selfreport_round_create"), {
        "district": district.pk, "term": TermFactory().pk, "due_date": due.isoformat()})
    round_ = SelfReportRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspections:selfreport_round",
                                                                             args=[round_.pk])
    assert round_.reports.get().school == school


def test_a_bad_due_date_is_said_on_its_field(client, english, district, school, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("inspections:selfreport_round_create"), {
        "district": district.pk, "term": TermFactory().pk, "due_date": "2020-01-06"})
    assert response.status_code == 400 and "The due date has passed" in response.content.decode()
    assert not SelfReportRound.objects.exists()


def test_the_form_carries_each_rule_for_the_live_flags(client, english, report, principal_user):
    client.force_login(principal_user)
    page = client.get(reverse("inspections:selfreport_edit", args=[report.pk])).content.decode()
    assert 'data-rule="homework_minutes" data-rule-cmp="&lt;=" data-rule-limit="60"' in page
    assert 'data-rule-limit="08:20"' in page and 'name="start_junior"' not in page  # a primary school
    assert "js/selfreport.js" in page and "<script>" not in page


def test_saving_a_breaking_value_flags_it_with_the_rule_and_its_source(client, report, principal_user):
    client.force_login(principal_user)
    url = reverse("inspections:selfreport_edit", args=[report.pk])
    response = client.post(url, {**form_data(homework_grade_4=61), "action": "save"})
    assert response.status_code == 302
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "三至六年级书面作业平均完成时间不超过60分钟" in page and "“双减”" in page
    assert 'data-flag-for="id_homework_grade_4" role="status">' in page  # shown: the breaking grade
    assert 'data-flag-for="id_homework_grade_3" role="status" hidden>' in page  # hidden: within the rule
    report.refresh_from_db()
    assert report.breaches == ["homework_minutes"] and report.status == Status.DRAFT


def test_out_of_range_says_which_field(client, english, report, principal_user):
    client.force_login(principal_user)
    response = client.post(reverse("inspections:selfreport_edit", args=[report.pk]),
                           {**form_data(after_school_hours="30"), "action": "save"})
    assert response.status_code == 400 and "Ensure this value is less than or equal to 12" not in (
        response.content.decode()) and "Enter 12 or less." in response.content.decode()
    report.refresh_from_db()
    assert report.saved_at is None


def test_submit_return_correct_accept(client, english, report, principal_user, staff_user):
    client.force_login(principal_user)
    client.post(reverse("inspections:selfreport_edit", args=[report.pk]),
                {**form_data(activity_minutes=45), "action": "submit"})
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    client.force_login(staff_user)
    review = client.get(reverse("inspections:selfreport_detail", args=[report.pk])).content.decode()
    assert "Daily physical activity" in review and "Accept" in review
    client.post(reverse("inspections:selfreport_return", args=[report.pk]), {"comments": "体育活动不足1小时。"})
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    client.force_login(principal_user)
    assert "体育活动不足1小时" in client.get(reverse("inspections:selfreport_edit", args=[report.pk])).content.decode()
    client.post(reverse("inspections:selfreport_edit", args=[report.pk]), {**form_data(), "action": "submit"})
    client.force_login(staff_user)
    client.post(reverse("inspections:selfreport_accept", args=[report.pk]), {"note": ""})
    report.refresh_from_db()
    assert (report.status, report.breaches) == (Status.ACCEPTED, [])
    client.force_login(principal_user)
    assert client.get(reverse("inspections:selfreport_edit", args=[report.pk])).status_code == 302  # locked
    response = client.post(reverse("inspections:selfreport_correct", args=[report.pk]))
    correction = SelfReport.objects.get(is_current=True)
    assert response["Location"] == reverse("inspections:selfreport_edit", args=[correction.pk])
    assert correction.version == 2


def test_return_without_comments_is_refused_on_the_field(client, english, report, principal_user, staff_user):
    services.selfreport_save(report=report, data=GOOD_PRIMARY, by=principal_user)
    services.selfreport_submit(report=report, by=principal_user)
    client.force_login(staff_user)
    response = client.post(reverse("inspections:selfreport_return", args=[report.pk]), {"comments": " "})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_an_inspector_reads_its_zones_reports_only(client, district, zone, school, inspector_user):
    inside = SelfReportFactory(school=school, round__district=district)
    outside = SelfReportFactory(round=inside.round, school=SchoolFactory(district=district))
    client.force_login(inspector_user)
    page = client.get(reverse("inspections:selfreport_round", args=[inside.round.pk])).content.decode()
    assert reverse("inspections:selfreport_detail", args=[inside.pk]) in page
    assert reverse("inspections:selfreport_detail", args=[outside.pk]) not in page
    detail = client.get(reverse("inspections:selfreport_detail", args=[inside.pk])).content.decode()
    assert "selfreport_accept" not in detail and "/accept/" not in detail and "/edit/" not in detail


def _grow(round_, zone, n):
    for i in range(n):
        school = SchoolFactory(district=round_.district)
        ZoneSchoolFactory(zone=zone, school=school)
        SelfReportFactory(round=round_, school=school, status=[Status.SUBMITTED, Status.ACCEPTED, Status.DRAFT][i % 3],
                          breaches=["physical_activity"] if i % 2 else [],
                          submitted_at=timezone.now() - datetime.timedelta(days=1) if i % 3 < 2 else None)


# session, user, (a bureau account: its city's districts,) the round, its reports, the counts,
# the shares; the inspector's zones are a subquery of each.
@pytest.mark.parametrize(("persona", "queries"), [("staff_user", 7), ("inspector_user", 6)])
def test_the_round_page_is_flat(client, request, zone, school, persona, queries, django_assert_num_queries):
    user = request.getfixturevalue(persona)
    round_ = SelfReportFactory(school=school, round__district=school.district).round
    client.force_login(user)
    url = reverse("inspections:selfreport_round", args=[round_.pk])
    _grow(round_, zone, 2)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _grow(round_, zone, 18)
    with django_assert_num_queries(queries):
        page = client.get(url).content.decode()
    assert page.count("/inspections/self-reports/") >= 21


def test_the_rounds_list_is_flat(client, district, zone, school, staff_user, django_assert_num_queries):
    client.force_login(staff_user)
    url = reverse("inspections:selfreport_rounds")
    for year in (2020, 2021):
        round_ = SelfReportFactory(school=school, round__district=district,
                                   round__term=TermFactory(school_year__start_year=year)).round
        _grow(round_, zone, 3)
    # session, user, the city's districts, the rounds, the counts of their reports
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    for year in range(2010, 2018):
        SelfReportFactory(school=school, round__district=district, round__term=TermFactory(school_year__start_year=year))
    with django_assert_num_queries(5):
        assert client.get(url).content.decode().count("/self-reports/rounds/") == 10


def test_staff_home_shows_the_reports_waiting_for_review(client, english, report, principal_user, staff_user,
                                                         leader_user, django_assert_num_queries):
    from inspections.selfreport_home import selfreports_waiting

    services.selfreport_save(report=report, data=GOOD_PRIMARY, by=principal_user)
    services.selfreport_submit(report=report, by=principal_user)
    client.force_login(staff_user)
    assert "Waiting for review" in client.get(reverse("home")).content.decode()
    with django_assert_num_queries(1):  # one aggregate (the user's districts are cached on it)
        staff_user._scope_district_ids = frozenset({report.round.district_id})
        assert selfreports_waiting(staff_user) == {"waiting": 1, "missing": 0}
    assert selfreports_waiting(leader_user) is None  # leaders read; they do not review


def test_the_principal_starts_at_its_school_with_its_draft_due(client, english, report, principal_user,
                                                                django_assert_num_queries):
    from inspections.selfreport_home import school_selfreports_due

    client.force_login(principal_user)
    page = client.get(reverse("schools:school_detail", args=[report.school_id])).content.decode()
    assert "Term self-report to send" in page and reverse("inspections:selfreport_edit", args=[report.pk]) in page
    with django_assert_num_queries(1):
        assert school_selfreports_due(principal_user, report.school)["reports"] == [report]
    other = SchoolFactory(district=report.school.district)
    assert school_selfreports_due(principal_user, other) is None


def test_the_round_page_filters_what_staff_look_for(client, district, school, staff_user):
    round_ = SelfReportFactory(school=school, round__district=district,
                               round__due_date=timezone.localdate() - datetime.timedelta(days=1)).round
    waiting = SelfReportFactory(round=round_, school=SchoolFactory(district=district), status=Status.SUBMITTED,
                                saved_at=timezone.now(), submitted_at=timezone.now() - datetime.timedelta(days=3))
    flagged = SelfReportFactory(round=round_, school=SchoolFactory(district=district), status=Status.ACCEPTED,
                                saved_at=timezone.now(), breaches=["key_classes"],
                                submitted_at=timezone.now() - datetime.timedelta(days=3))
    not_started = round_.reports.get(school=school)  # and late: past the due date, not submitted
    client.force_login(staff_user)
    url = reverse("inspections:selfreport_round", args=[round_.pk])

    def shown(query):
        page = client.get(url + query).content.decode()
        return {r for r in (waiting, flagged, not_started)
                if reverse("inspections:selfreport_detail", args=[r.pk]) in page}

    assert shown("") == {waiting, flagged, not_started}
    assert shown("?show=submitted") == {waiting}
    assert shown("?show=flagged") == {flagged}
    assert shown("?show=not_started") == {not_started}
    assert shown("?show=late") == {not_started}
    assert shown("?rule=key_classes") == {flagged}
    assert shown("?rule=homework_minutes") == set()


def test_the_review_page_costs_the_same_whatever_the_files_and_history(client, report, principal_user,
                                                                       staff_user, django_assert_num_queries):
    from inspections.models import SelfReportFile

    def round_trip(n):
        for i in range(n):
            services.selfreport_save(report=report, data={**GOOD_PRIMARY, "activity_minutes": 60 + i}, by=principal_user)
            submitted = services.selfreport_submit(report=report, by=principal_user)
            services.selfreport_return(report=submitted, comments=f"第{i}次退回", by=staff_user)
            SelfReportFile.objects.create(report=report, file=f"evidence/selfreports/{i}.pdf", kind="pdf",
                                          label=f"附件{i}.pdf", size=10, uploaded_by=principal_user)
        services.selfreport_save(report=report, data=GOOD_PRIMARY, by=principal_user)
        return services.selfreport_submit(report=report, by=principal_user)

    round_trip(1)
    client.force_login(staff_user)
    url = reverse("inspections:selfreport_detail", args=[report.pk])
    client.get(url)
    # session, user, the city's districts, the report with school, round and term, its files,
    # its versions, the change history (audit rows and status changes, with actors)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    services.selfreport_return(report=report.__class__.objects.get(pk=report.pk), comments="再核实", by=staff_user)
    round_trip(6)
    with django_assert_num_queries(8):
        page = client.get(url).content.decode()
    assert page.count("附件") >= 7 and "第5次退回" in page
