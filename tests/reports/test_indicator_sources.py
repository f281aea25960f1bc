"""The indicators of the self-reports, the surveys and the class draws, on hand-computed data
at the boundaries of their standards: through the compute function and through the pages;
and the changes in those apps that ask for new figures."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from inspections.models import CampaignSchool, SurveyAggregate
from inspections.surveys import services as survey_services
from inspections.surveys.aggregates import aggregates_build
from reports import snapshots
from reports.indicators import DISTRICT, SCHOOL, ZONE
from reports.models import AreaState
from schools.models import ClassBalance
from tests import factories
from tests.inspections.selfreport_factories import SelfReportFactory, SelfReportRoundFactory
from tests.inspections.survey_factories import answer, make_campaign, survey_staff
from tests.reports.test_indicators import figures, met

pytestmark = pytest.mark.django_db


@pytest.fixture
def term():
    return factories.TermFactory(school_year=factories.SchoolYearFactory(start_year=2025))


# ---- self-reports -------------------------------------------------------------------------

def _accepted_reports(district, school, term):
    """School A keeps every rule (accepted; its correction still a draft), B broke the homework
    limit (accepted), C broke the activity rule but is only submitted: it does not count."""
    other = factories.SchoolFactory(district=district)
    waiting = factories.SchoolFactory(district=district)
    round_ = SelfReportRoundFactory(district=district, term=term)
    kept = SelfReportFactory(round=round_, school=school, status="accepted", breaches=[], is_current=False)
    SelfReportFactory(round=round_, school=school, version=2, corrects=kept, status="draft",
                      breaches=["weekend_classes"])
    SelfReportFactory(round=round_, school=other, status="accepted", breaches=["homework_minutes"])
    SelfReportFactory(round=round_, school=waiting, status="submitted", breaches=["physical_activity"])
    return other


def test_a_school_within_each_burden_rule_or_not_and_the_share_of_schools(district, school, zone, term):
    other = _accepted_reports(district, school, term)
    got = figures(district, term)
    homework = "burden.homework_minutes"
    assert got[(homework, SCHOOL, school.pk, "")].value == 100 and met(homework, got[(homework, SCHOOL, school.pk, "")])
    assert got[(homework, SCHOOL, other.pk, "")].value == 0
    assert met(homework, got[(homework, SCHOOL, other.pk, "")]) is False
    district_value = got[(homework, DISTRICT, district.pk, "")]
    assert (district_value.value, district_value.numerator, district_value.denominator) == (50, 1, 2)
    assert met(homework, district_value) is False  # the aim is every school
    activity = got[("burden.physical_activity", DISTRICT, district.pk, "")]
    assert activity.value == 100 and met("burden.physical_activity", activity) is True  # the submitted one waits
    assert got[("burden.weekend_classes", SCHOOL, school.pk, "")].value == 100  # the draft correction waits
    assert got[(homework, ZONE, zone.pk, "")].value == 100  # the zone holds the first school only
    # Every rule at once: A keeps them all, B breaks one; the submitted C waits.
    assert got[("burden.all", SCHOOL, school.pk, "")].value == 100
    assert got[("burden.all", SCHOOL, other.pk, "")].value == 0
    whole = got[("burden.all", DISTRICT, district.pk, "")]
    assert (whole.value, whole.numerator, whole.denominator) == (50, 1, 2) and met("burden.all", whole) is False


def test_no_accepted_report_no_figure(district, school, term):
    SelfReportFactory(round=SelfReportRoundFactory(district=district, term=term), school=school, status="draft")
    assert not [key for key in figures(district, term) if key[0].startswith("burden.")]


# ---- surveys --------------------------------------------------------------------------------

def _survey(district, schools, term, answers_by_school):
    """A parents' campaign of `term` at `schools`, answered, then closed (its figures built)."""
    staff = survey_staff(district)
    campaign = make_campaign(district, schools, staff=staff)
    type(campaign).objects.filter(pk=campaign.pk).update(term=term)
    for school, given in answers_by_school.items():
        participant = CampaignSchool.objects.get(campaign=campaign, school=school)
        for kwargs, times in given:
            answer(participant, times=times, **kwargs)
    return campaign, staff


def test_survey_shares_at_their_standards_and_the_campaigns_own_figures(district, school, term):
    second, small = factories.SchoolFactory(district=district), factories.SchoolFactory(district=district)
    campaign, staff = _survey(district, [school, second, small], term, {
        # Grade 4: homework 60 min is within, 61 not; sleep 10 h is within, 9.5 not.
        school: [({"homework": 60, "sleep": 10, "satisfaction": "very"}, 9),
                 ({"homework": 61, "sleep": "9.5", "satisfaction": "fair"}, 1)],
        second: [({"homework": 30, "satisfaction": "satisfied"}, 8),
                 ({"homework": 90, "satisfaction": "fair", "paid_tutoring": "yes"}, 2)],
        small: [({"satisfaction": "very"}, 9)],  # below the ten answers a figure needs
    })
    assert not [key for key in figures(district, term) if key[0].startswith("survey.")]  # still open
    survey_services.campaign_close(campaign=campaign, by=staff)
    got = figures(district, term)
    satisfied = got[("survey.satisfaction", SCHOOL, school.pk, "")]
    assert satisfied.value == 90 and met("survey.satisfaction", satisfied) is True  # 90 % is the standard
    assert got[("survey.satisfaction", SCHOOL, second.pk, "")].value == 80
    assert met("survey.satisfaction", got[("survey.satisfaction", SCHOOL, second.pk, "")]) is False
    assert got[("survey.homework", SCHOOL, school.pk, "")].value == 90
    assert got[("survey.sleep", SCHOOL, school.pk, "")].value == 90
    assert met("survey.homework", got[("survey.homework", SCHOOL, school.pk, "")]) is None  # no aim for the share
    assert got[("survey.no_tutoring", SCHOOL, second.pk, "")].value == 80
    assert got[("survey.no_tutoring", SCHOOL, school.pk, "")].value == 100
    withheld = got[("survey.satisfaction", SCHOOL, small.pk, "")]
    assert (withheld.value, withheld.numerator, withheld.denominator) == (None, None, 9)
    district_value = got[("survey.satisfaction", DISTRICT, district.pk, "")]
    assert (district_value.numerator, district_value.denominator) == (9 + 8 + 9, 29)
    # The campaign's own figures, built by its app, say the same of each school.
    aggregates_build(campaign_id=campaign.pk)
    for row in SurveyAggregate.objects.filter(campaign=campaign, school__isnull=False,
                                              question__measure__in=["homework", "sleep", "satisfaction"]):
        code = {"homework": "survey.homework", "sleep": "survey.sleep", "satisfaction": "survey.satisfaction"}
        value = got[(code[row.question.measure], SCHOOL, row.school_id, "")].value
        assert (None if value is None else round(value, 1)) == row.within_share


# ---- class draws ----------------------------------------------------------------------------

def test_between_class_teacher_cvs_per_school_and_their_mean(district, school, zone, term):
    other = factories.SchoolFactory(district=district)
    for owner, cv in ((school, "0.100"), (other, "0.300")):
        ClassBalance.objects.create(school=owner, term=term, section="primary", measure="teacher_backbone",
                                    cv=Decimal(cv), classes=4)
    ClassBalance.objects.create(school=school, term=term, section="senior", measure="teacher_backbone",
                                cv=Decimal("0.9"), classes=2)  # not compulsory education
    ClassBalance.objects.create(school=other, term=term, section="junior", measure="teacher_title", cv=None)
    got = figures(district, term)
    code = "draw_cv.teacher_backbone"
    assert got[(code, SCHOOL, school.pk, "primary")].value == Decimal("0.1")
    mean = got[(code, DISTRICT, district.pk, "primary")]
    assert round(Decimal(mean.value), 3) == Decimal("0.200") and mean.denominator == 2
    assert round(Decimal(got[(code, ZONE, zone.pk, "primary")].value), 3) == Decimal("0.100")
    assert (code, SCHOOL, school.pk, "senior") not in got
    assert not [key for key in got if key[0] == "draw_cv.teacher_title"]


# ---- the pages ------------------------------------------------------------------------------

TODAY = datetime.date(2025, 12, 1)


def test_the_dashboards_show_the_new_rows_against_standard_and_district(client, city, district, zone, school,
                                                                        leader_user, term):
    _accepted_reports(district, school, term)
    ClassBalance.objects.create(school=school, term=term, section="primary", measure="teacher_title",
                                cv=Decimal("0.125"), classes=3)
    snapshots.snapshots_compute(area_id=city.pk, term=term, today=TODAY)
    client.force_login(leader_user)
    page = client.get(reverse("reports:district", args=[district.pk]) + f"?term={term.pk}").content.decode()
    assert "自查：学校符合减负规定的情况" in page and "班级间师资均衡" in page  # the groups
    assert "书面作业平均每天完成时间" in page and "≥ 100" in page and "50.0" in page
    school_page = client.get(reverse("reports:school", args=[school.pk]) + f"?term={term.pk}").content.decode()
    assert "100.0" in school_page and "50.0" in school_page  # the school against the district
    assert "班级间差异系数：教师职称" in school_page and "0.125" in school_page


# ---- what asks for new figures ------------------------------------------------------------

def test_an_accepted_self_report_a_closed_campaign_and_a_draw_ask_for_new_figures(
        city, district, school, term, staff_user, django_capture_on_commit_callbacks):
    from bureau.models import Job
    from inspections.services.selfreports import selfreport_accept

    report = SelfReportFactory(round=SelfReportRoundFactory(district=district, term=term), school=school,
                               status="submitted")
    campaign = make_campaign(district, [school])
    draw = factories.ClassDrawFactory(school=school, term=term, status="published")
    assert not AreaState.objects.filter(area=city).exists()  # submitted, open, published: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        report.comments = "补充说明"
        report.save(update_fields=["comments"])  # a save that moves no status asks for nothing
    assert not AreaState.objects.filter(area=city).exists()
    with django_capture_on_commit_callbacks(execute=True):
        selfreport_accept(report=report, by=staff_user)
        survey_services.campaign_close(campaign=campaign, by=survey_staff(district))
        draw.status = "drawn"  # what draw_run's transition saves (its roster and seed are the draw app's tests)
        draw.save(update_fields=["status"])
    assert AreaState.objects.get(area=city).inputs_version == 3
    # A burst is one job (debounced under the area's key).
    assert Job.objects.filter(kind=snapshots.JOB_KIND).count() == 1


def test_every_indicator_is_listed_in_a_group_of_the_table():
    from reports.indicators import GROUP_LABELS, REGISTRY
    from reports.selectors import OWN_SECTIONS

    assert {i.group for i in REGISTRY} <= set(GROUP_LABELS) | set(OWN_SECTIONS)
