"""The term inspection and survey report: self-reports against the rules, survey figures and
the term's visits, on hand-made data; the numbers agree with the self-report round's and the
survey figures' own pages, and a published bulletin holds nothing of a respondent or a student."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from inspections.models import Campaign, ItemResult, RectificationNotice, SelfReport
from inspections.selfreport_rules import breach_codes, report_breaches
from inspections.selfreport_selectors import round_shares
from inspections.surveys.aggregates import aggregates_build
from inspections.surveys.selectors import campaign_figures
from reports import services
from reports.forms import ReportRequestForm
from reports.models import Report
from reports.periodic import periods
from schools.models import District
from tests.factories import IncomingStudentFactory, SchoolFactory, TermFactory, ZoneSchoolFactory
from tests.inspections.factories import FiledVisitFactory, VisitItemFactory
from tests.inspections.selfreport_factories import GOOD_PRIMARY, SelfReportFactory, SelfReportRoundFactory
from tests.inspections.survey_factories import answer, make_campaign
from tests.pdfs import pdf_text
from tests.reports.test_periodic import build

D = datetime.date
TODAY = D(2026, 4, 10)
TERM_START = D(2025, 9, 1)
Status = SelfReport.Status
# What a respondent wrote and a student's name: neither may reach the report.
SECRET_TEXT = "欧阳晓明的妈妈：数学老师周某某周末收费补课"
STUDENT = "上官小雨"


def _report(round_, school, status, **values):
    report = SelfReportFactory(round=round_, school=school, status=status, **{**GOOD_PRIMARY, **values})
    report.refresh_from_db()  # the values as stored (a decimal, not the factory's text)
    SelfReport.objects.filter(pk=report.pk).update(breaches=breach_codes(report_breaches(report)))
    return report


@pytest.fixture
def term_data(district, zone, school, inspector_user):
    """The first term of 2025–2026: a self-report round of three schools (one within every
    rule, one over the homework limit, one not sent), a parents' survey at the three (10,
    12 and 5 respondents), and the visits of the term (two filed, one before it)."""
    term = TermFactory(school_year__start_year=2025, number=1)
    second = SchoolFactory(district=district, code="3132000002", name="天宁区第二小学")
    third = SchoolFactory(district=district, code="3132000004", name="天宁区第三小学")
    ZoneSchoolFactory(zone=zone, school=second)
    round_ = SelfReportRoundFactory(district=district, term=term, due_date=D(2025, 11, 14))
    _report(round_, school, Status.ACCEPTED)
    _report(round_, second, Status.SUBMITTED, homework_grade_3=90, activity_minutes=45)
    _report(round_, third, Status.DRAFT)

    campaign = make_campaign(district, [school, second, third])
    Campaign.objects.filter(pk=campaign.pk).update(term=term)
    first, two, three = campaign.participants.order_by("school__code")
    answer(first, times=10, suggestion=SECRET_TEXT)  # within every rule
    answer(two, times=6, homework=50)
    answer(two, times=6, homework=75, satisfaction="no")  # over grade 4's 60 minutes; not satisfied
    answer(three, times=5)  # too few: withheld
    aggregates_build(campaign_id=campaign.pk)
    IncomingStudentFactory(name=STUDENT, draw__school=school, draw__term=term)

    visit = FiledVisitFactory(school=school, inspector=inspector_user, date=D(2025, 10, 15))
    VisitItemFactory(visit=visit, code="T-01", text="作业总量控制", result=ItemResult.NOT_MET)
    item = VisitItemFactory(visit=visit, code="T-02", text="课后服务", result=ItemResult.NOT_MET)
    VisitItemFactory(visit=visit, code="T-03", text="睡眠管理", result=ItemResult.MET)
    RectificationNotice.objects.create(item=item, school=school, inspector=inspector_user, requirement="整改课后服务",
                                       working_days=10, issued_on=D(2025, 10, 15), deadline=D(2025, 10, 29))
    FiledVisitFactory(school=second, inspector=inspector_user, date=D(2025, 12, 3))
    FiledVisitFactory(school=second, inspector=inspector_user, date=D(2025, 8, 20))  # the summer: not the term
    return {"term": term, "round": round_, "campaign": campaign, "second": second, "third": third}


def _made(district, staff_user, capture, zone=None):
    report = services.report_request(kind="term_survey", district=district, zone=zone, start=TERM_START,
                                     by=staff_user, today=TODAY)
    return build(report, capture)


def test_the_term_report_holds_the_rounds_surveys_and_visits(term_data, district, school, staff_user,
                                                             django_capture_on_commit_callbacks, media):
    report = _made(district, staff_user, django_capture_on_commit_callbacks)
    assert report.status == Report.Status.READY and report.period_end == D(2026, 1, 20)
    data = report.data
    assert data["term"] == "2025–2026 第一学期" and "term_survey" in dict(services.periodic.choices())

    sr = data["selfreports"]
    assert (sr["schools"], sr["sent"], sr["flagged"], sr["missing"]) == (3, 2, 1, ["天宁区第三小学"])
    rules = {rule["code"]: rule for rule in sr["rules"]}
    assert (rules["homework_minutes"]["within"], rules["homework_minutes"]["counted"]) == (1, 2)
    assert rules["homework_minutes"]["percent"] == 50 and rules["homework_minutes"]["outside"] == ["天宁区第二小学"]
    assert rules["physical_activity"]["outside"] == ["天宁区第二小学"]
    assert rules["school_day_start"]["outside"] == [] and rules["school_day_start"]["percent"] == 100
    # The round's own page counts the same: one count, rule by rule.
    page = {s.rule.code: (s.within, s.counted, s.percent) for s in round_shares(user=staff_user,
                                                                                   round=term_data["round"])}
    assert {code: (r["within"], r["counted"], r["percent"]) for code, r in rules.items()} == page

    (survey,) = data["campaigns"]
    assert (survey["respondents"], survey["sample_size"], survey["sought"]) == (27, 50, 150)
    assert [(s["name"], s["respondents"]) for s in survey["by_school"]] == [
        ("天宁区实验小学", 10), ("天宁区第二小学", 12), ("天宁区第三小学", 5)]
    questions = {q["text"]: q for q in survey["questions"]}
    # The figures page's own rows (the stored figures), question by question.
    for question, district_row, school_rows in campaign_figures(user=staff_user, campaign=term_data["campaign"]):
        mine = questions[question.text]
        assert mine["district"]["answers"] == district_row.answers
        assert mine["district"]["within"] == district_row.within_share
        assert [(row["name"], row["answers"], row["within"], row["suppressed"]) for row in mine["schools"]] == [
            (row.school.name, row.answers, row.within_share, row.suppressed) for row in school_rows]
    homework = next(q for q in survey["questions"] if q["rule"] and "作业" in q["text"])
    assert [(s["name"], s["within"]) for s in homework["schools"]] == [
        ("天宁区实验小学", 100.0), ("天宁区第二小学", 50.0), ("天宁区第三小学", None)]
    assert homework["district"]["within"] == round(100 * 21 / 27, 1)
    assert homework["schools"][2]["suppressed"] and homework["schools"][2]["distribution"] == []
    assert not any("text" == q["kind"] for q in survey["questions"])

    visits = data["visits"]
    assert (visits["total"]["visits"], visits["total"]["visited"], visits["total"]["schools"]) == (2, 2, 2)
    assert (visits["total"]["opened"], visits["total"]["overdue"]) == (1, 1)
    assert {item["code"]: item["not_met"] for item in visits["items"]} == {"T-01": 1, "T-02": 1, "T-03": 0}

    text = pdf_text(default_storage.open(report.pdf.name).read())
    for expected in ("学期督导与调查报告", "2025–2026学年第一学期", "天宁区第三小学", "50 %", "作业总量控制",
                     "目录", "问卷"):
        assert expected in text, expected
    html = services.report_html(report)
    assert html.count("<svg") >= 4  # self-reports, the survey's rules, visited, visits by kind: wide and narrow

    # Each school's principal reads its own line: the second school outside two rules, its
    # homework share (50 %) beside the district's; the third school's not sent, withheld.
    from reports.periodic.sections import school_sections

    def part(of):
        return next(s["part"] for s in school_sections(school=of) if s["kind"].code == "term_survey")

    second, third = part(term_data["second"]), part(term_data["third"])
    assert second["selfreport"]["sent"] and len(second["selfreport"]["outside"]) == 2
    (mine,) = second["campaigns"]
    assert mine["respondents"] == 12 and any(fig and fig["within"] == 50.0 and rule["within"] == homework["district"]
                                             ["within"] for rule, fig in mine["lines"])
    assert not third["selfreport"]["sent"] and all(fig is None or fig["suppressed"]
                                                   for _rule, fig in third["campaigns"][0]["lines"])
    assert part(school)["selfreport"]["outside"] == []
    # And its visits of the term beside the district's: the summer's visit is not the term's.
    mine, whole = part(school)["visits"]["row"], part(school)["visits"]["total"]
    assert (mine["visits"], mine["opened"], mine["overdue"]) == (1, 1, 1)
    assert part(term_data["second"])["visits"]["row"]["visits"] == 1
    assert third["visits"] is None  # in no zone: no school a zone visits
    assert (whole["visits"], whole["visited"], whole["due"]) == (2, 2, 2)


def test_a_zone_report_keeps_to_the_zones_schools(term_data, district, zone, school, staff_user,
                                                  django_capture_on_commit_callbacks, media):
    data = _made(district, staff_user, django_capture_on_commit_callbacks, zone=zone).data
    assert data["selfreports"]["schools"] == 2 and data["selfreports"]["missing"] == []
    assert [s["name"] for s in data["campaigns"][0]["by_school"]] == ["天宁区实验小学", "天宁区第二小学"]
    assert sorted(row["label"] for row in data["visits"]["rows"]) == ["天宁区实验小学", "天宁区第二小学"]


def test_a_term_without_round_or_survey_says_so(district, school, staff_user, django_capture_on_commit_callbacks,
                                                media):
    TermFactory(school_year__start_year=2025, number=1)
    report = _made(district, staff_user, django_capture_on_commit_callbacks)
    assert report.data["selfreports"] is None and report.data["campaigns"] == []
    text = pdf_text(default_storage.open(report.pdf.name).read())
    assert "本学期没有开展自查" in text and "本学期没有开展问卷调查" in text


def test_the_published_term_bulletin_holds_nothing_of_a_respondent_or_a_student(
        term_data, district, staff_user, leader_user, client, django_capture_on_commit_callbacks, media):
    report = _made(district, staff_user, django_capture_on_commit_callbacks)
    services.report_publish(report=report, by=leader_user)
    page = client.get(f"/bulletins/{report.pk}/").content.decode()
    pdf = pdf_text(client.get(f"/bulletins/{report.pk}/pdf/").getvalue())
    assert "天宁区第二小学" in page and "天宁区第二小学" in pdf  # schools are named
    for secret in (SECRET_TEXT, "欧阳晓明", "周某某", STUDENT):
        assert secret not in page and secret not in pdf and secret not in str(report.data)


def test_term_periods_come_from_the_bureaus_calendar(district):
    first = TermFactory(school_year__start_year=2025, number=1)
    second = TermFactory(school_year__start_year=2025, number=2, start_date=D(2026, 2, 23), end_date=D(2026, 7, 10))
    assert periods.period_starting(periods.TERM, D(2026, 2, 23)).end == second.end_date
    assert periods.period_before(periods.TERM, D(2026, 4, 10)).start == first.start_date  # in the second term
    assert periods.period_before(periods.TERM, D(2026, 2, 1)).start == first.start_date  # the winter holiday
    assert periods.period_before(periods.TERM, D(2026, 8, 1)).start == second.start_date
    assert periods.period_starting(periods.TERM, D(2026, 2, 23)).label == "2025–2026学年第二学期"
    with pytest.raises(ValueError):
        periods.period_starting(periods.TERM, D(2026, 3, 1))


def test_the_request_form_takes_a_term_by_school_year_and_number(district, staff_user):
    TermFactory(school_year__start_year=2025, number=1)

    def form(year, number):
        data = {"kind": "term_survey", "district": district.pk, "year": year, "number": number}
        return ReportRequestForm(data, districts=District.objects.all(), zones=district.zones.all())

    good = form(2025, 1)
    assert good.is_valid() and good.cleaned_data["start"] == TERM_START
    assert "number" in form(2025, 3).errors and "year" in form(2024, 1).errors


def test_the_schedule_reports_the_term_just_ended_once(term_data, district, zone, django_capture_on_commit_callbacks,
                                                       media):
    made = services.reports_scheduled(kind="term_survey", today=D(2026, 2, 1))
    assert made == 2  # the district and its one zone
    assert services.reports_scheduled(kind="term_survey", today=D(2026, 2, 1)) == 0
    assert set(Report.objects.filter(kind="term_survey").values_list("period_start", flat=True)) == {TERM_START}
    assert services.reports_scheduled(kind="term_survey", today=D(2025, 10, 1)) == 0  # no term has ended yet


def test_the_gathering_costs_the_same_for_more_schools(term_data, district, zone):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.models import CampaignSchool
    from reports.periodic import term_survey

    period = periods.period_starting(periods.TERM, TERM_START)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            term_survey.gather(district=district, zone=None, period=period)
        return len(queries)

    before = cost()
    for n in range(3):
        more = SchoolFactory(district=district, code=f"313200010{n}", name=f"天宁区新校{n}")
        ZoneSchoolFactory(zone=zone, school=more)
        _report(term_data["round"], more, Status.SUBMITTED, activity_minutes=30)
        answer(CampaignSchool.objects.create(campaign=term_data["campaign"], school=more, access_code=f"MORE{n}XYZ"),
               times=10)
    aggregates_build(campaign_id=term_data["campaign"].pk)
    assert cost() == before


def test_a_request_for_a_day_that_starts_no_term_is_refused_clearly(district, staff_user):
    from django.utils.translation import override

    from bureau.errors import DomainError

    TermFactory(school_year__start_year=2025, number=1)
    with override("zh-hans"), pytest.raises(DomainError, match="校历中的一个学期"):
        services.report_request(kind="term_survey", district=district, start=D(2025, 9, 2), by=staff_user,
                                today=TODAY)
    assert not Report.objects.exists()


def test_a_principal_reads_its_school_in_the_term_report(term_data, district, staff_user, principal_user, client,
                                                         django_capture_on_commit_callbacks, media):
    _made(district, staff_user, django_capture_on_commit_callbacks)
    client.force_login(principal_user)
    page = client.get(reverse("reports:my_school")).content.decode()
    assert "学期督导与调查报告" in page and "100.0 %" in page
    assert "天宁区第二小学" not in page and "天宁区第三小学" not in page
    assert "本学期督导走访" in page and "已提交督导次数" in page and "全区" in page
