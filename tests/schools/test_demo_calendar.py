"""The demo's school years follow the day it is loaded (schools/demo/geography.py), and the
portal's current term follows the date (schools.selectors.term_now)."""

import dataclasses
import datetime

import pytest

from bureau.demo import demo_data_load
from schools.demo import geography
from schools.demo.geography import SCALES, DemoCalendar
from schools.models import ConductRecord, Rotation, SchoolClass, SchoolYearStat, TrainingRecord
from schools.selectors import current_school_year, stats_school_year, term_now
from tests.factories import SchoolYearFactory, TermFactory


@pytest.mark.parametrize(("today", "current"), [
    (datetime.date(2026, 9, 1), 2026),  # the first day of a school year
    (datetime.date(2026, 11, 28), 2026),  # in the first term
    (datetime.date(2027, 1, 30), 2026),  # winter holidays
    (datetime.date(2027, 4, 10), 2026),  # in the second term
    (datetime.date(2027, 7, 20), 2026),  # summer holidays: a school year ends with August
    (datetime.date(2027, 8, 31), 2026),
])
def test_the_demo_calendar_reaches_the_school_year_of_the_load_day(today, current):
    calendar = DemoCalendar(today)
    assert calendar.current_year == current
    assert calendar.school_years == (current - 2, current - 1, current)
    begun = [term for term in calendar.terms() if calendar.started(term[2])]
    assert begun and begun[-1][0] == current, "the latest term with classes is of the current school year"
    assert all(start <= today for _year, _number, start, _end in begun)


@pytest.mark.django_db
@pytest.mark.parametrize("today", [datetime.date(2026, 11, 28), datetime.date(2027, 2, 1), datetime.date(2027, 7, 20)])
def test_a_load_reaches_the_current_term_and_year_whatever_the_day(today, monkeypatch):
    # A small district, loaded on a given day: the term the portal calls current has classes,
    # the current school year has statistics, and nothing is dated after the load day.
    monkeypatch.setattr(geography, "load_date", lambda: today)
    monkeypatch.setitem(SCALES, "district", dataclasses.replace(SCALES["district"], schools_per_district=12))
    demo_data_load(seed=3, scale="district")

    now = term_now(today)
    assert now.term is not None and now.position in ("in", "ended")
    assert SchoolClass.objects.filter(term=now.term).exists()
    assert not SchoolClass.objects.filter(term__start_date__gt=today).exists()
    year = current_school_year(today)
    assert year.start_year == DemoCalendar(today).current_year
    assert stats_school_year(current=year) == year
    assert SchoolYearStat.objects.filter(school_year=year).exists()
    assert not TrainingRecord.objects.filter(date__gt=today).exists()
    assert not ConductRecord.objects.filter(date__gt=today).exists()
    assert not Rotation.objects.filter(start_date__gt=today).exists()


# ---- the current term from the date --------------------------------------------------------


@pytest.fixture
def two_years(db):
    """2025–2026 and 2026–2027, with the usual term dates (Sept 1 – Jan 20, Feb 15 – July 5)."""
    terms = {}
    for start_year in (2025, 2026):
        year = SchoolYearFactory(start_year=start_year)
        for number in (1, 2):
            start, end = geography.term_dates(start_year, number)
            terms[(start_year, number)] = TermFactory(school_year=year, number=number, start_date=start, end_date=end)
    return terms


@pytest.mark.parametrize(("today", "term", "position", "next_term"), [
    # The issue: 2026-11-28 read "2025–2026 第二学期".
    (datetime.date(2026, 11, 28), (2026, 1), "in", None),
    (datetime.date(2026, 9, 1), (2026, 1), "in", None),
    (datetime.date(2027, 1, 20), (2026, 1), "in", None),
    # Winter holidays: the first term has ended, the second is coming.
    (datetime.date(2027, 2, 1), (2026, 1), "ended", (2026, 2)),
    (datetime.date(2027, 3, 1), (2026, 2), "in", None),
    # Summer holidays after the last recorded term: it stays current, no next term is known.
    (datetime.date(2027, 8, 1), (2026, 2), "ended", None),
    # Between the years: the next is recorded.
    (datetime.date(2026, 8, 1), (2025, 2), "ended", (2026, 1)),
    # Before any term.
    (datetime.date(2025, 6, 1), (2025, 1), "coming", None),
])
def test_the_current_term_comes_from_the_date(two_years, today, term, position, next_term):
    now = term_now(today)
    assert now.term == two_years[term]
    assert now.position == position
    assert now.next_term == (two_years[next_term] if next_term else None)
    assert current_school_year(today) == two_years[term].school_year


def test_the_label_says_which_term_and_whether_it_has_ended(two_years, client, staff_user, monkeypatch):
    from django.urls import reverse

    client.force_login(staff_user)
    monkeypatch.setattr("schools.selectors.timezone.localdate", lambda: datetime.date(2026, 11, 28))
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Current term: 2026–2027 First term" in page
    assert "2025–2026 Second term" not in page
    monkeypatch.setattr("schools.selectors.timezone.localdate", lambda: datetime.date(2027, 2, 1))
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Holidays: 2026–2027 First term ended on 2027-01-20; 2026–2027 Second term begins on 2027-02-15" in page
