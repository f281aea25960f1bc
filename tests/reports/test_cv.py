"""The between-school CV of the seven, on a worked example computed by hand here.

The district: primary schools A (100 pupils, 500 m² of teaching rooms: 5.0 m² each) and B
(300 pupils, 1,800 m²: 6.0); a nine-year school C (200 primary, 100 junior pupils, 1,860 m²,
split 200 : 100 × 1.1 = 200 : 110, so 1,200 m² for primary, 6.0 each, and 660 m² for junior,
6.6 each); a teaching point D (40 primary pupils, 400 m²: 10.0), left out under 50; a
special-education school E, left out; a junior school F (200 pupils, 1,000 m²: 5.0).

Primary, weighted by pupils: X̄ = (100·5 + 300·6 + 200·6) / 600 = 3500/600 = 35/6;
S² = (100·(5 − 35/6)² + 300·(6 − 35/6)² + 200·(6 − 35/6)²) / 600 = (625/9 + 25/3 + 50/9) / 600
   = (750/9) / 600 = 5/36, S = √5 / 6, CV = (√5/6) / (35/6) = √5 / 35 ≈ 0.063888.
Unweighted (each school once): X̄ = 17/3, S² = ((−2/3)² + (1/3)² + (1/3)²) / 3 = 2/9,
   CV = (√2/3) / (17/3) = √2 / 17 ≈ 0.083189: a different figure, the known mistake.
Junior: X̄ = (100·6.6 + 200·5) / 300 = 1660/300 = 83/15; S² = (100·(6.6 − 83/15)² +
   200·(5 − 83/15)²) / 300 = (100·(16/15)² + 200·(8/15)²) / 300 = (25600/225 + 12800/225) / 300
   = 38400 / 67500 = 256/450, S = 16/√450, CV = (16/√450) / (83/15) = 240 / (83·√450) ≈ 0.136309.
"""

from decimal import Decimal

import pytest

from reports.indicators import DISTRICT, SCHOOL, Inputs
from reports.indicators.resources import compute_resources
from schools.models import SchoolStage
from tests import factories

pytestmark = pytest.mark.django_db

PRIMARY_CV = Decimal(5).sqrt() / 35
UNWEIGHTED_PRIMARY_CV = Decimal(2).sqrt() / 17
JUNIOR_CV = Decimal(240) / (83 * Decimal(450).sqrt())


def _school(district, year, stage, area, primary=0, junior=0):
    school = factories.SchoolFactory(district=district, stage=stage)
    factories.SchoolYearStatFactory(school=school, school_year=year, primary_students=primary,
                                    junior_students=junior, teaching_area=Decimal(area))
    return school


@pytest.fixture
def example(district):
    year = factories.SchoolYearFactory(start_year=2025)
    term = factories.TermFactory(school_year=year)
    schools = {
        "A": _school(district, year, SchoolStage.PRIMARY, 500, primary=100),
        "B": _school(district, year, SchoolStage.PRIMARY, 1800, primary=300),
        "C": _school(district, year, SchoolStage.NINE_YEAR, 1860, primary=200, junior=100),
        "D": _school(district, year, SchoolStage.PRIMARY, 400, primary=40),
        "E": _school(district, year, SchoolStage.SPECIAL, 900),
        "F": _school(district, year, SchoolStage.JUNIOR, 1000, junior=200),
    }
    values = list(compute_resources(Inputs((district.pk,), term, term.end_date)))
    return schools, {(v.indicator, v.level, v.scope_id, v.stage): v for v in values}


def test_primary_cv_is_weighted_by_enrolment_without_the_teaching_point(example, district):
    _schools, values = example
    cv = values[("cv.teaching_area", DISTRICT, district.pk, "primary")]
    assert abs(cv.value - PRIMARY_CV) < Decimal("1e-12")
    assert cv.denominator == 3  # A, B, C: not the teaching point D, not the special school E
    assert abs(cv.value - UNWEIGHTED_PRIMARY_CV) > Decimal("0.01")


def test_junior_cv_counts_the_nine_year_school_with_its_share(example, district):
    _schools, values = example
    cv = values[("cv.teaching_area", DISTRICT, district.pk, "junior")]
    assert abs(cv.value - JUNIOR_CV) < Decimal("1e-12")


def test_school_values_are_unrounded_and_split_1_to_1_1(example):
    schools, values = example
    c = schools["C"].pk
    assert values[("res.teaching_area", SCHOOL, c, "primary")].value == Decimal(6)
    assert abs(values[("res.teaching_area", SCHOOL, c, "junior")].value - Decimal("6.6")) < Decimal("1e-20")
    # The teaching point keeps its own value; it only stays out of the CV.
    assert values[("res.teaching_area", SCHOOL, schools["D"].pk, "primary")].value == 10
    assert not any(key[2] == schools["E"].pk for key in values)


def test_contributions_sum_to_the_whole_and_name_the_school_that_pulls(example):
    schools, values = example
    shares = {name: values[("cvshare.teaching_area", SCHOOL, s.pk, "primary")].value
              for name, s in schools.items() if name in "ABC"}
    assert abs(sum(shares.values()) - 100) < Decimal("1e-9")
    # A: 100·(5 − 35/6)² = 625/9 of the 750/9 → 83.3 %.
    assert abs(shares["A"] - Decimal(250) / 3) < Decimal("1e-9")
    assert ("cvshare.teaching_area", SCHOOL, schools["D"].pk, "primary") not in values


def test_verdict_fails_when_a_cv_is_missing_or_a_school_misses(example, district):
    _schools, values = example
    # No teachers in the example: the teacher CVs have a zero mean (None), so no verdict of "met".
    assert values[("resource_verdict", DISTRICT, district.pk, "primary")].value == 0
