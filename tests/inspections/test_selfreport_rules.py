"""Each burden rule flags a self-report value at its boundary, through the one check."""

import datetime
from decimal import Decimal

import pytest

from bureau import rules
from inspections.selfreport_rules import breach_codes, breaches
from tests.factories import SchoolFactory


def broken(values, school):
    return breach_codes(breaches(values, school))


@pytest.fixture
def primary(db):
    return SchoolFactory(stage="primary")


@pytest.fixture
def nine_year(db):
    return SchoolFactory(stage="nine_year")


@pytest.mark.parametrize(("minutes", "flagged"), [(59, False), (60, False), (61, True)])
def test_homework_of_grades_3_to_6_at_60_minutes(primary, minutes, flagged):
    for grade in (3, 6):
        assert broken({f"homework_grade_{grade}": minutes}, primary) == (["homework_minutes"] if flagged else [])


@pytest.mark.parametrize(("minutes", "flagged"), [(89, False), (90, False), (91, True)])
def test_homework_of_grades_7_to_9_at_90_minutes(nine_year, minutes, flagged):
    assert broken({"homework_grade_8": minutes}, nine_year) == (["homework_minutes"] if flagged else [])


def test_grades_1_and_2_get_no_written_homework(primary):
    assert broken({"homework_grade_1": 0, "homework_grade_2": 0}, primary) == []
    assert broken({"homework_grade_2": 1}, primary) == ["homework_minutes"]


def test_a_grade_the_school_does_not_teach_is_not_checked(primary):
    assert broken({"homework_grade_8": 200}, primary) == []


@pytest.mark.parametrize(("hours", "flagged"), [("1.9", True), ("2.0", False), ("2.5", False)])
def test_after_school_service_two_hours_a_day(primary, hours, flagged):
    assert broken({"after_school_hours": Decimal(hours)}, primary) == (["after_school_hours"] if flagged else [])


@pytest.mark.parametrize(("days", "flagged"), [(4, True), (5, False)])
def test_after_school_service_five_days_a_week(primary, days, flagged):
    assert broken({"after_school_days": days}, primary) == (["after_school_days"] if flagged else [])


@pytest.mark.parametrize(("minutes", "flagged"), [(59, True), (60, False)])
def test_physical_activity_an_hour_a_day(primary, minutes, flagged):
    assert broken({"activity_minutes": minutes}, primary) == (["physical_activity"] if flagged else [])


@pytest.mark.parametrize(("start", "flagged"), [((8, 19), True), ((8, 20), False)])
def test_primary_school_day_starts_no_earlier_than_8_20(primary, start, flagged):
    assert broken({"start_primary": datetime.time(*start)}, primary) == (["school_day_start"] if flagged else [])


def test_junior_start_is_checked_against_its_own_setting(nine_year, settings):
    assert broken({"start_junior": datetime.time(8, 0)}, nine_year) == []
    assert broken({"start_junior": datetime.time(7, 59)}, nine_year) == ["school_day_start"]
    settings.SCHOOL_START_JUNIOR = datetime.time(7, 50)
    assert broken({"start_junior": datetime.time(7, 55)}, nine_year) == []
    assert "07:50" in rules.SCHOOL_START.statement


@pytest.mark.parametrize("field", ["weekend_classes", "rankings_published", "key_classes", "extra_fees"])
def test_any_ban_breaks_its_rule(primary, field):
    assert broken({field: False}, primary) == []
    assert len(broken({field: True}, primary)) == 1


def test_curriculum_hours_differing_from_the_plan(primary):
    assert breach_codes(breaches({}, primary, {"pe": {"plan": 4, "actual": 4}})) == []
    found = breaches({}, primary, {"pe": {"plan": 4, "actual": 3}, "arts": {"plan": 2}})
    assert [(field, b.value, b.threshold) for field, b in found] == [("curriculum_pe_actual", 3, 4)]


def test_a_missing_value_is_not_a_breach(primary):
    assert broken({"activity_minutes": None, "after_school_days": None}, primary) == []


def test_every_burden_rule_says_its_text_and_source():
    for rule in rules.BURDEN_RULES:
        assert rule.statement and str(rule.source) and rules.RULES[rule.code] is rule
