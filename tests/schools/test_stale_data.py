"""A page whose latest data is older than the current school year or term says so (issue 6)."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import SchoolClassFactory, SchoolYearFactory, SchoolYearStatFactory, TermFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("schools.selectors.timezone.localdate", lambda: TODAY)


@pytest.fixture
def terms():
    """2025–2026 and 2026–2027, first terms; today is in the latter."""
    old = TermFactory(school_year=SchoolYearFactory(start_year=2025))
    new = TermFactory(school_year=SchoolYearFactory(start_year=2026))
    return old, new


def test_the_statistics_tab_says_its_latest_year_is_older(client, staff_user, school, terms, english):
    SchoolYearStatFactory(school=school, school_year=terms[0].school_year)
    client.force_login(staff_user)
    url = reverse("schools:school_detail", args=[school.pk])
    page = client.get(url, {"tab": "statistics"}).content.decode()
    assert "The latest statistics are of the school year 2025–2026; 2026–2027 has none yet." in page
    profile = client.get(url).content.decode()
    assert "The latest statistics are of 2025–2026; 2026–2027 has none yet." in profile
    SchoolYearStatFactory(school=school, school_year=terms[1].school_year)
    assert "has none yet" not in client.get(url, {"tab": "statistics"}).content.decode()


def test_the_classes_tab_says_its_latest_term_is_older(client, staff_user, school, terms, english):
    SchoolClassFactory(school=school, term=terms[0])
    client.force_login(staff_user)
    url = reverse("schools:school_detail", args=[school.pk])
    page = client.get(url, {"tab": "classes"}).content.decode()
    assert "These are the latest classes recorded, of 2025–2026 First term; none are recorded for 2026–2027" in page
    # A term picked on purpose is not "the latest".
    chosen = client.get(url, {"tab": "classes", "term": terms[0].pk}).content.decode()
    assert "latest classes recorded" not in chosen


def test_the_list_and_home_say_which_year_their_verdicts_are_of(client, staff_user, school, terms, english):
    from schools.services import school_stats_evaluate

    SchoolYearStatFactory(school=school, school_year=terms[0].school_year)
    school_stats_evaluate(school_ids=[school.pk])
    client.force_login(staff_user)
    listing = client.get(reverse("schools:school_list")).content.decode()
    assert "from the latest statistics, 2025–2026 (2026–2027 has none yet)" in listing
    # The latest year's verdict, not an empty current year's (the legend shows "No data" once).
    assert listing.count('badge neutral">No data') == 1
    home = client.get(reverse("home")).content.decode()
    assert "Latest statistics: 2025–2026" in home
    assert "Current term: 2026–2027 First term" in home
