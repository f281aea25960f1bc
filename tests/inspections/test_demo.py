"""The inspections' demo data (inspections/demo.py): every school in one zone, about five per inspector."""

import pytest

from bureau.models import Role, User
from inspections.models import InspectorZone, ZoneSchool
from schools.models import School
from tests.demo_support import demo_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_loaded(django_db_blocker)


def test_every_school_in_one_zone_and_five_per_inspector(demo):
    assert ZoneSchool.objects.count() == School.objects.count()
    assert not School.objects.filter(zone_link__isnull=True).exists()
    inspectors = User.objects.filter(role=Role.INSPECTOR)
    assert inspectors.exists()
    assert 3.75 <= School.objects.count() / inspectors.count() <= 6.25
    assert not InspectorZone.objects.filter(inspectors__isnull=True).exists()
    # A zone holds neighbouring schools: the urban ones fill the first zones.
    first = InspectorZone.objects.get(name="第一责任区")
    assert set(first.school_links.values_list("school__location", flat=True)) == {"urban"}


def test_the_printed_inspector_sees_its_zone(demo):
    row = next(row for row in demo.accounts if row[0] == "inspector01")
    zone = InspectorZone.objects.get(inspectors__username="inspector01")
    assert row[2] == User.objects.get(username="inspector01").name
    assert row[3].startswith(zone.name)
    for link in zone.school_links.select_related("school"):
        assert link.school.name in row[3]


def test_zones_pass_model_validation(demo):
    for zone in InspectorZone.objects.all():
        zone.full_clean()


def test_the_demo_has_seed_004s_calendar_and_the_inspectors_march_visits(demo):
    from inspections.models import MonthlyTheme, Visit

    themes = MonthlyTheme.objects.filter(district__users__username="inspector01").distinct()
    assert sorted(themes.values_list("month", flat=True)) == [2, 3, 4, 5, 6]
    visits = Visit.objects.filter(inspector__username="inspector01")
    zone = InspectorZone.objects.get(inspectors__username="inspector01")
    march = visits.filter(theme__month=3)
    assert march.filter(status="filed").count() == zone.school_links.count()
    assert visits.filter(status="draft").count() == 1
    assert march.filter(items__result="not_met").exists()
    for visit in march:
        visit.full_clean()
        for item in visit.items.all():
            item.full_clean()


def test_the_demo_shows_a_notice_and_the_gate_signs(demo):
    from inspections.models import InspectorCard, RectificationNotice

    notice = RectificationNotice.objects.get(inspector__username="inspector01")
    assert notice.item.result == "not_met" and notice.item.visit.status == "filed" and notice.deadline > notice.issued_on
    notice.full_clean()
    assert not InspectorZone.objects.filter(complaint_phone="").exists()
    assert InspectorCard.objects.count() == User.objects.filter(role=Role.INSPECTOR).count()


def test_the_demo_has_a_closed_survey_with_figures_and_an_open_one_to_answer(demo):
    from inspections.models import Campaign, CampaignSchool, SurveyAggregate

    closed = Campaign.objects.get(status="closed")
    figures = SurveyAggregate.objects.filter(campaign=closed, question__code="sleep_hours").exclude(school=None)
    assert figures.filter(suppressed=False).count() > figures.filter(suppressed=True).count() > 0
    opened = Campaign.objects.get(status="open")
    printed = next(note for note in demo.notes if "访问码" in note or "access code" in note)
    code = CampaignSchool.objects.filter(campaign=opened).order_by("school__code").first().access_code
    assert code in printed


def test_the_demo_has_a_years_routine_visits_and_leaves_this_month_to_do(demo):
    """Every school visited most months since last school year began, by its own zone's
    inspectors, none this month (the inspector's journey opens it) and none in the holidays."""
    import datetime

    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from inspections.models import Visit

    today = timezone.localdate()
    routine = Visit.objects.filter(status="filed", kind="routine")
    assert not routine.filter(date__gte=today.replace(day=1)).exists()
    assert not routine.filter(date__month__in=(1, 7, 8)).exists()
    months = {row["month"].month for row in routine.annotate(month=TruncMonth("date")).values("month")}
    assert len(months) >= 9  # two autumns (or a spring and an autumn) of school months
    schools = ZoneSchool.objects.values_list("school", flat=True)
    per_school = dict(routine.values("school").annotate(n=Count("pk")).values_list("school", "n"))
    assert set(schools) <= set(per_school) and min(per_school.values()) >= len(months) * 2 // 3
    for visit in routine.select_related("school__zone_link").prefetch_related("items")[:50]:
        assert visit.inspector.inspector_zones.filter(pk=visit.school.zone_link.zone_id).exists()
        assert visit.date < today and visit.date >= datetime.date(today.year - 2, 9, 1)
        visit.full_clean()
        for item in visit.items.all():
            item.full_clean()
