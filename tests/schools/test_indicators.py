"""The seven resource indicators, the "6 of 7, the rest ≥ 85 %" verdict and class-size flags.

Pure functions over plain objects: no database.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from bureau.rules import RESOURCE_INDICATORS
from schools.indicators import class_size_flag, evaluate_section, overall
from schools.models import Section

CODES = [rule.code for rule in RESOURCE_INDICATORS]


def stat(**values):
    base = {"teaching_area": Decimal(0), "sports_ground_area": Decimal(0), "equipment_value": Decimal(0),
            "multimedia_classrooms": 0}
    return SimpleNamespace(**{**base, **values})


def exactly_at_threshold(section):
    """Inputs that put every indicator of a 1,000-student section exactly on its threshold."""
    if section == Section.PRIMARY:
        return (
            stat(teaching_area=Decimal(4500), sports_ground_area=Decimal(7500), equipment_value=Decimal(2_000_000),
                 multimedia_classrooms=23),
            {"above_education": 42, "backbone": 10, "sports_arts": 9},
        )
    return (
        stat(teaching_area=Decimal(5800), sports_ground_area=Decimal(10200), equipment_value=Decimal(2_500_000),
             multimedia_classrooms=24),
        {"above_education": 53, "backbone": 10, "sports_arts": 9},
    )


# One unit less of the input behind each indicator (1,000 students).
ONE_LESS = {
    "teachers_above_education": ("teachers", "above_education", 1),
    "backbone_teachers": ("teachers", "backbone", 1),
    "sports_arts_teachers": ("teachers", "sports_arts", 1),
    "teaching_area": ("stat", "teaching_area", Decimal(10)),
    "sports_ground_area": ("stat", "sports_ground_area", Decimal(10)),
    "equipment_value": ("stat", "equipment_value", Decimal(10_000)),
    "multimedia_classrooms": ("stat", "multimedia_classrooms", 1),
}


def evaluate(section, school_stat, teachers, students=1000):
    return evaluate_section(section=section, students=students, share=Decimal(1), stat=school_stat, teachers=teachers)


@pytest.mark.parametrize("section", [Section.PRIMARY, Section.JUNIOR])
def test_all_seven_met_exactly_at_their_thresholds(section):
    result = evaluate(section, *exactly_at_threshold(section))
    assert [r.met for r in result.indicators] == [True] * 7
    assert [r.value for r in result.indicators] == [r.threshold for r in result.indicators]
    assert (result.met_count, result.meets_standard) == (7, True)


@pytest.mark.parametrize("section", [Section.PRIMARY, Section.JUNIOR])
@pytest.mark.parametrize("code", CODES)
def test_each_indicator_not_met_just_below_its_threshold(section, code):
    school_stat, teachers = exactly_at_threshold(section)
    where, name, less = ONE_LESS[code]
    if where == "teachers":
        teachers = {**teachers, name: teachers[name] - less}
    else:
        setattr(school_stat, name, getattr(school_stat, name) - less)
    result = evaluate(section, school_stat, teachers)
    met = {r.rule.code: r.met for r in result.indicators}
    assert met.pop(code) is False
    assert all(met.values())
    assert result.met_count == 6


def test_thresholds_follow_the_2017_measures():
    primary = evaluate(Section.PRIMARY, *exactly_at_threshold(Section.PRIMARY))
    junior = evaluate(Section.JUNIOR, *exactly_at_threshold(Section.JUNIOR))
    assert [str(r.threshold) for r in primary.indicators] == ["4.2", "1", "0.9", "4.5", "7.5", "2000", "2.3"]
    assert [str(r.threshold) for r in junior.indicators] == ["5.3", "1", "0.9", "5.8", "10.2", "2500", "2.4"]


def with_equipment_per_student(value):
    school_stat, teachers = exactly_at_threshold(Section.PRIMARY)
    school_stat.equipment_value = Decimal(value) * 1000
    return evaluate(Section.PRIMARY, school_stat, teachers)


@pytest.mark.parametrize(
    ("per_student", "meets"),
    [
        ("1999.99", True),  # 6 of 7, the seventh at 99.99 %
        ("1700", True),  # exactly 85 % of the 2000 yuan threshold
        ("1680", False),  # 84 %
        ("1000", False),  # 50 %
    ],
)
def test_six_of_seven_with_the_85_percent_rule(per_student, meets):
    result = with_equipment_per_student(per_student)
    assert result.met_count == 6
    assert result.meets_standard is meets


def test_just_under_85_percent_fails():
    result = with_equipment_per_student("1699.80")  # 84.99 %
    assert result.meets_standard is False


def test_two_missed_fails_even_when_both_near():
    school_stat, teachers = exactly_at_threshold(Section.PRIMARY)
    school_stat.equipment_value = Decimal(1_900_000)  # 95 %
    school_stat.teaching_area = Decimal(4400)  # 97.8 %
    result = evaluate(Section.PRIMARY, school_stat, teachers)
    assert (result.met_count, result.meets_standard) == (5, False)


def test_no_students_gives_no_verdict():
    result = evaluate(Section.PRIMARY, *exactly_at_threshold(Section.PRIMARY), students=0)
    assert result.meets_standard is None
    assert all(r.value is None for r in result.indicators)
    assert overall([result]) == (None, None)


def test_overall_takes_the_weakest_section():
    good = evaluate(Section.PRIMARY, *exactly_at_threshold(Section.PRIMARY))
    school_stat, teachers = exactly_at_threshold(Section.JUNIOR)
    school_stat.equipment_value = Decimal(2_400_000)  # 96 %: 6 of 7, still meets
    near = evaluate(Section.JUNIOR, school_stat, teachers)
    assert overall([good, near]) == (6, True)
    school_stat.equipment_value = Decimal(1_000_000)
    assert overall([good, evaluate(Section.JUNIOR, school_stat, teachers)]) == (6, False)


@pytest.mark.parametrize(
    ("size", "section", "flag"),
    [
        (45, Section.PRIMARY, ""),
        (46, Section.PRIMARY, "over"),
        (50, Section.JUNIOR, ""),
        (51, Section.JUNIOR, "over"),
        (50, Section.PRIMARY, "over"),
        (55, Section.PRIMARY, "over"),
        (55, Section.JUNIOR, "over"),
        (56, Section.PRIMARY, "big"),
        (56, Section.JUNIOR, "big"),
        (65, Section.JUNIOR, "big"),
        (66, Section.JUNIOR, "super_big"),
        (66, Section.PRIMARY, "super_big"),
        (0, Section.PRIMARY, ""),
    ],
)
def test_class_size_flag_boundaries(size, section, flag):
    assert class_size_flag(size, section) == flag


def test_weighted_cv_is_enrolment_weighted_not_plain():
    from schools.indicators import weighted_cv

    # Two units: 1000 students at 10, 100 students at 20. Weighted mean = 12000/1100 = 10.909…
    # S = √((1000·0.909…² + 100·9.0909…²)/1100) = 2.8748…, CV = 0.2635…
    assert weighted_cv([(10, 1000), (20, 100)]) == Decimal("0.264")
    # A plain (unweighted) CV of the same values would be 0.333: the formula must not give that.
    assert weighted_cv([(10, 1), (20, 1)]) == Decimal("0.333")
    assert weighted_cv([(10, 1000)]) is None
    assert weighted_cv([(0, 10), (0, 10)]) is None


def test_class_equipment_cv_per_section():
    from types import SimpleNamespace

    from schools.indicators import class_equipment_cv

    def cls(grade, size, value):
        return SimpleNamespace(size=size, equipment_value=Decimal(value),
                               section=Section.PRIMARY if grade <= 6 else Section.JUNIOR)

    result = class_equipment_cv([cls(1, 40, 40000), cls(2, 40, 40000), cls(7, 50, 50000), cls(8, 50, 150000)])
    assert result[Section.PRIMARY] == Decimal("0.000")
    assert result[Section.JUNIOR] == Decimal("0.500")
