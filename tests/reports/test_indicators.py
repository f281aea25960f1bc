"""Each indicator on hand-computed data, on both sides of its standard.

The period is the first term of 2025–2026 (1 September 2025 – 20 January 2026), read on
31 December 2025: four calendar months of visits and complaints.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from complaints.models import Complaint, Finding
from inspections.models import RectificationNotice, VisitItem
from reports.indicators import CLASS, DISTRICT, REGISTRY, SCHOOL, ZONE, Inputs, compute_all
from schools.models import SchoolStage
from tests import factories
from tests.inspections.factories import FiledVisitFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 12, 31)


@pytest.fixture
def term():
    return factories.TermFactory(school_year=factories.SchoolYearFactory(start_year=2025))


def figures(district, term, today=TODAY):
    values = compute_all(Inputs((district.pk,), term, today))
    return {(v.indicator, v.level, v.scope_id, v.stage): v for v in values}


def met(code, value, stage=""):
    return REGISTRY[code].is_met(value.value, stage)


def stat(school, term, **fields):
    return factories.SchoolYearStatFactory(school=school, school_year=term.school_year, **fields)


def test_class_size_at_45_and_50(district, school, term):
    junior = factories.SchoolFactory(district=district, stage=SchoolStage.JUNIOR)
    sizes = {(school, 1, 45): True, (school, 2, 46): False, (junior, 7, 50): True, (junior, 8, 51): False}
    made = {key: factories.SchoolClassFactory(school=key[0], term=term, grade=key[1], boys=key[2], girls=0)
            for key in sizes}
    got = figures(district, term)
    for key, expected in sizes.items():
        stage = "primary" if key[1] <= 6 else "junior"
        value = got[("class_size", CLASS, made[key].pk, stage)]
        assert value.value == key[2] and met("class_size", value, stage) is expected


@pytest.mark.parametrize(("big", "share", "ok"), [(1, Decimal(5), True), (2, Decimal(10), False)])
def test_big_class_share_at_five_percent(district, school, term, big, share, ok):
    for n in range(20):
        size = 56 if n < big else 55  # 55 is not big
        factories.SchoolClassFactory(school=school, term=term, grade=n % 6 + 1, number=n + 1, boys=size, girls=0)
    got = figures(district, term)
    value = got[("big_class_share", DISTRICT, district.pk, "")]
    assert value.value == share and met("big_class_share", value) is ok
    assert got[("big_classes", SCHOOL, school.pk, "")].value == big
    assert got[("class_bucket.7", DISTRICT, district.pk, "")].value == big  # 56–65
    assert got[("class_bucket.6", DISTRICT, district.pk, "")].value == 20 - big  # 51–55


def test_super_big_classes_none_allowed(district, school, term):
    factories.SchoolClassFactory(school=school, term=term, grade=1, number=1, boys=65, girls=0)
    got = figures(district, term)
    assert met("super_big_classes", got[("super_big_classes", DISTRICT, district.pk, "")]) is True
    factories.SchoolClassFactory(school=school, term=term, grade=1, number=2, boys=66, girls=0)
    got = figures(district, term)
    value = got[("super_big_classes", DISTRICT, district.pk, "")]
    assert value.value == 1 and met("super_big_classes", value) is False


def test_between_class_equipment_cv(district, school, term):
    # Two classes of 40: 200 and 400 yuan a pupil. X̄ = 300, S = 100, CV = 1/3 > 0.3.
    factories.SchoolClassFactory(school=school, term=term, grade=1, boys=40, girls=0, equipment_value=8000)
    factories.SchoolClassFactory(school=school, term=term, grade=2, boys=40, girls=0, equipment_value=16000)
    value = figures(district, term)[("class_equipment_cv", SCHOOL, school.pk, "primary")]
    assert abs(value.value - Decimal(1) / 3) < Decimal("1e-12") and met("class_equipment_cv", value, "primary") is False


def test_school_size_limits(district, term):
    small = factories.SchoolFactory(district=district)
    big = factories.SchoolFactory(district=district)
    nine = factories.SchoolFactory(district=district, stage=SchoolStage.NINE_YEAR)
    stat(small, term, primary_students=2000)
    stat(big, term, primary_students=2001)
    stat(nine, term, primary_students=1500, junior_students=1000)
    got = figures(district, term)
    assert met("school_size", got[("school_size", SCHOOL, small.pk, "primary")], "primary") is True
    assert met("school_size", got[("school_size", SCHOOL, big.pk, "primary")], "primary") is False
    assert met("school_size", got[("school_size", SCHOOL, nine.pk, "combined")], "combined") is True
    assert got[("oversize_schools", DISTRICT, district.pk, "")].value == 1


def test_certified_teachers_all_or_not(district, school, term):
    for _ in range(9):
        factories.TeacherFactory(school=school)
    got = figures(district, term)
    assert got[("certified_teachers", SCHOOL, school.pk, "")].value == 100
    factories.TeacherFactory(school=school, certificate_type="", certificate_number="")
    value = figures(district, term)[("certified_teachers", SCHOOL, school.pk, "")]
    assert value.value == 90 and met("certified_teachers", value) is False


def test_training_360_hours_in_five_years(district, school, term):
    done, short, old = (factories.TeacherFactory(school=school) for _ in range(3))
    for _ in range(3):
        factories.TrainingRecordFactory(teacher=done, hours=120, date=datetime.date(2024, 3, 1) + datetime.timedelta(days=_))
        factories.TrainingRecordFactory(teacher=short, hours=Decimal("119.5") if _ == 0 else 120,
                                        date=datetime.date(2024, 3, 1) + datetime.timedelta(days=_))
        # Outside the five years up to 31 December 2025: does not count.
        factories.TrainingRecordFactory(teacher=old, hours=200, date=datetime.date(2020, 12, 1) + datetime.timedelta(days=_))
    value = figures(district, term)[("training_done", SCHOOL, school.pk, "")]
    assert value.numerator == 1 and value.denominator == 3 and met("training_done", value) is False


@pytest.mark.parametrize(("rotating", "ok"), [(3, True), (2, False)])
def test_rotation_fifteen_percent_per_school(district, school, term, rotating, ok):
    teachers = [factories.TeacherFactory(school=school) for _ in range(20)]
    for teacher in teachers[:rotating]:
        factories.RotationFactory(teacher=teacher, start_date=datetime.date(2025, 9, 1))
    # A rotation of the year before does not count.
    factories.RotationFactory(teacher=teachers[-1], start_date=datetime.date(2025, 3, 1))
    value = figures(district, term)[("rotation_share", SCHOOL, school.pk, "")]
    assert value.value == Decimal(rotating * 5) and met("rotation_share", value) is ok


def test_rotation_of_the_eligible_and_backbone_share(district, school, term):
    long_ago = datetime.date(2019, 9, 1)  # six years before 1 September 2025: eligible
    eligible = [factories.TeacherFactory(school=school, joined_school_date=long_ago) for _ in range(10)]
    factories.TeacherFactory(school=school, joined_school_date=datetime.date(2019, 9, 2))  # not yet
    others = [factories.TeacherFactory(school=school, backbone_level="" if n else "county") for n in range(4)]
    for teacher in [eligible[0], *others]:
        factories.RotationFactory(teacher=teacher, start_date=datetime.date(2025, 10, 8))
    got = figures(district, term)
    eligible_share = got[("rotation_eligible", DISTRICT, district.pk, "")]
    assert eligible_share.denominator == 10 and eligible_share.numerator == 5
    backbone = got[("rotation_backbone", DISTRICT, district.pk, "")]
    assert backbone.value == 20 and met("rotation_backbone", backbone) is True


@pytest.mark.parametrize(("standardized", "ok"), [(17, True), (16, False)])
def test_school_shares_at_85_percent(district, term, standardized, ok):
    for n in range(20):
        stat(factories.SchoolFactory(district=district), term, is_standardized=n < standardized,
             is_digital_campus=n < 17, is_feature_school=n < 16)
    got = figures(district, term)
    value = got[("standardized_share", DISTRICT, district.pk, "")]
    assert met("standardized_share", value) is ok
    assert met("digital_share", got[("digital_share", DISTRICT, district.pk, "")]) is True
    assert met("feature_share", got[("feature_share", DISTRICT, district.pk, "")]) is True  # 80 %


def test_computers_retention_health(district, school, term):
    stat(school, term, primary_students=1000, computers=85, dropouts=50, health_tested=1000, health_excellent=150,
         health_good=250)
    got = figures(district, term)
    for code in ("computers", "retention", "health_good"):
        assert met(code, got[(code, SCHOOL, school.pk, "")]) is True, code
    assert got[("computers", SCHOOL, school.pk, "")].value == Decimal("8.5")
    assert got[("retention", SCHOOL, school.pk, "")].value == 95
    assert got[("health_good", SCHOOL, school.pk, "")].value == 40
    school.year_stats.update(computers=84, dropouts=51, health_good=249)
    got = figures(district, term)
    for code in ("computers", "retention", "health_good"):
        assert met(code, got[(code, SCHOOL, school.pk, "")]) is False, code


def _visit(school, day):
    return FiledVisitFactory(school=school, date=day)


@pytest.mark.parametrize(("visits", "ok"), [(4, True), (3, False)])
def test_visits_once_a_month(district, school, zone, term, visits, ok):
    for n in range(visits):
        _visit(school, datetime.date(2025, 9 + n, 10))
    _visit(school, datetime.date(2026, 1, 5))  # after the day the figures are read
    got = figures(district, term)
    value = got[("visits_monthly", SCHOOL, school.pk, "")]
    assert value.denominator == 4 and met("visits_monthly", value) is ok
    assert got[("visits", ZONE, zone.pk, "")].value == visits


@pytest.mark.parametrize(("today", "months", "rate"), [
    # A month is due once it is over: on 4 December, September to November (the school
    # visited each, and once already in December: a visit, not yet a month's due).
    (datetime.date(2025, 12, 4), 3, Decimal(1)),
    # The day December ends it is due, and the school has its four.
    (datetime.date(2025, 12, 31), 4, Decimal(1)),
    # Read after the term (it ends on 20 January in the holiday): January is not due.
    (datetime.date(2026, 3, 1), 4, Decimal(1)),
    # In the term's first month no month is over: no rate at all, rather than "behind".
    (datetime.date(2025, 9, 20), 0, None),
])
def test_the_monthly_visit_rate_counts_the_months_that_are_over(district, school, term, today, months, rate):
    for month in (9, 10, 11, 12):
        _visit(school, datetime.date(2025, month, 2))
    got = figures(district, term, today=today)
    value = got.get(("visits_monthly", SCHOOL, school.pk, ""))
    assert (value.value if value else None) == rate and (value.denominator if value else 0) == months
    assert got[("visits", SCHOOL, school.pk, "")].value == sum(1 for m in (9, 10, 11, 12)
                                                                if datetime.date(2025, m, 2) <= today)


def test_a_spring_terms_due_months_are_seed_004s_february_to_june(district, school):
    """15 February – 5 July: February (the start-of-term visits) to June; July ends in the holiday."""
    spring = factories.TermFactory(school_year=factories.SchoolYearFactory(start_year=2025), number=2,
                                   start_date=datetime.date(2026, 2, 15), end_date=datetime.date(2026, 7, 5))
    inputs = Inputs((district.pk,), spring, datetime.date(2026, 9, 1))
    assert [day.month for day in inputs.months_ended] == [2, 3, 4, 5, 6]


def _notice(school, *, deadline, answered=None, verified=None):
    visit = _visit(school, datetime.date(2025, 10, 1))
    item = VisitItem.objects.create(visit=visit, code=f"C{uuid.uuid4().hex[:6]}", text="作业", source="s",
                                    result="not_met")
    aware = lambda day: day and timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))  # noqa: E731
    return RectificationNotice.objects.create(
        item=item, school=school, inspector=visit.inspector, requirement="整改", working_days=5,
        issued_on=datetime.date(2025, 10, 1), deadline=deadline, answered_at=aware(answered),
        verified_at=aware(verified), status="verified" if verified else ("answered" if answered else "issued"),
    )


def test_open_and_overdue_notices(district, school, term):
    _notice(school, deadline=datetime.date(2025, 12, 30))  # overdue on 31 December
    _notice(school, deadline=datetime.date(2025, 12, 31))  # due today: open, not overdue
    _notice(school, deadline=datetime.date(2025, 11, 1), answered=datetime.date(2025, 10, 30))  # answered
    _notice(school, deadline=datetime.date(2025, 11, 1), verified=datetime.date(2025, 11, 2))  # closed
    got = figures(district, term)
    assert got[("notices_open", SCHOOL, school.pk, "")].value == 3
    overdue = got[("notices_overdue", DISTRICT, district.pk, "")]
    assert overdue.value == 1 and met("notices_overdue", overdue) is False


def _complaint(school, *, concluded=None, due=None, finding=""):
    received = timezone.make_aware(datetime.datetime(2025, 10, 9, 9))
    return Complaint.objects.create(
        tracking_number=f"TS{uuid.uuid4().hex[:10]}", school=school, category="homework", description="作业多",
        happened_on=datetime.date(2025, 10, 1), complainant_name="张三", complainant_mobile="13800000000",
        received_at=received, accept_due=datetime.date(2025, 10, 11), conclude_due=due, finding=finding,
        accepted_at=received, concluded_at=concluded and timezone.make_aware(datetime.datetime.combine(
            concluded, datetime.time(23, 30))), status="concluded" if concluded else "investigating",
    )


def test_complaints_per_thousand_on_time_and_substantiated(district, school, term):
    stat(school, term, primary_students=2000)
    due = datetime.date(2025, 10, 30)
    _complaint(school, concluded=due, due=due, finding=Finding.SUBSTANTIATED)  # on the last day, late evening
    _complaint(school, concluded=datetime.date(2025, 10, 31), due=due, finding=Finding.UNSUBSTANTIATED)
    _complaint(school)
    _complaint(school)
    got = figures(district, term)
    assert got[("complaints_per_1000", SCHOOL, school.pk, "")].value == 2
    assert got[("complaints_on_time", DISTRICT, district.pk, "")].value == 50
    assert got[("complaints_substantiated", DISTRICT, district.pk, "")].value == 50


def test_every_rule_of_the_rule_registry_is_an_indicator():
    from bureau.rules import RULES

    # The burden rules through the self-reports' shares, the survey rules through the surveys'.
    judged = {indicator.rule.code for indicator in REGISTRY if indicator.rule is not None}
    assert set(RULES) - judged == {"training_hours"}  # judged per teacher by training_done


def test_each_burden_rule_is_one_entry_that_the_surveys_share():
    from bureau import rules

    assert rules.SURVEY_RULES["homework_minutes"] is rules.HOMEWORK
    assert rules.SURVEY_RULES["physical_activity"] is rules.PHYSICAL_ACTIVITY
    assert rules.SURVEY_RULES["after_school_days"] is rules.AFTER_SCHOOL_DAYS
    titles = [str(rule.title) for rule in rules.RULES.values()]
    assert len(titles) == len(set(titles)), "two rules of one name"
