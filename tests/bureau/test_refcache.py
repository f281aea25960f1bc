"""Reference data in the cache (bureau.refcache): read once, forgotten on every change, never
stale after a rollback, and never a reason for a page to fail when the cache is down.

The suite switches the cache off (tests/test_settings); these tests switch it on, outside
a test transaction (pytest-django's `transaction=True`), as a page runs in production."""

import datetime

import pytest
from django.db import transaction

from bureau import refcache, scope
from bureau.models import User
from schools import selectors
from schools.models import District, School, SchoolYear, SchoolYearStat, Term
from tests.factories import DistrictFactory, SchoolFactory, SchoolYearStatFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.REFCACHE_SECONDS = 300


def test_the_terms_are_read_once_then_from_the_cache(django_assert_num_queries):
    TermFactory()
    with django_assert_num_queries(1):
        first = selectors.term_now(D(2025, 10, 1))
    with django_assert_num_queries(0):
        assert selectors.term_now(D(2025, 10, 1)).term == first.term


def test_a_term_saved_or_deleted_is_seen_at_once():
    term = TermFactory()
    assert selectors.term_now(D(2025, 10, 1)).term == term
    term.end_date = D(2025, 9, 15)
    term.save()
    assert selectors.term_now(D(2025, 10, 1)).position == "ended"
    term.delete()
    assert selectors.term_now(D(2025, 10, 1)).term is None


def test_a_value_read_inside_a_rolled_back_transaction_is_not_kept():
    TermFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        Term.objects.update(end_date=D(2025, 9, 15))  # no signal: as a bulk writer would
        assert selectors.term_now(D(2025, 10, 1)).position == "ended"
        raise RuntimeError("rolled back")
    assert selectors.term_now(D(2025, 10, 1)).position == "in"


def test_a_city_account_reaches_a_district_the_moment_it_joins_or_leaves(django_assert_num_queries):
    city = DistrictFactory(code="320400", name="常州市", level=District.Level.CITY)
    first = DistrictFactory(code="320402", name="天宁区", parent=city)
    staff = UserFactory(role="staff", district=city)
    assert scope.district_ids(staff) == {city.pk, first.pk}
    staff = User.objects.get(pk=staff.pk)  # the next request's user
    with django_assert_num_queries(0):
        assert scope.district_ids(staff) == {city.pk, first.pk}

    joined = DistrictFactory(code="320411", name="新北区", parent=city)
    staff = User.objects.get(pk=staff.pk)
    assert scope.district_ids(staff) == {city.pk, first.pk, joined.pk}
    assert SchoolFactory(district=joined) in School.objects.visible_to(staff)

    # A district that leaves the city leaves its reach: scope must never lag behind.
    joined.parent = None
    joined.save()
    staff = User.objects.get(pk=staff.pk)
    assert scope.district_ids(staff) == {city.pk, first.pk}


def test_statistics_of_a_new_year_are_seen_whether_saved_or_imported(staff_user, school):
    stat = SchoolYearStatFactory(school=school)
    assert selectors.stats_school_year(current=None) == stat.school_year
    later = SchoolYearStatFactory(school=school, school_year=SchoolYear.objects.create(start_year=2026))
    assert selectors.stats_school_year(current=None) == later.school_year
    # A bulk insert sends no signal: its writer forgets everything (the import engine does).
    newest = SchoolYearStatFactory.build(school=school, school_year=SchoolYear.objects.create(start_year=2027))
    selectors.stats_school_year(current=None)  # cached again, still without the newest year
    SchoolYearStat.objects.bulk_create([newest])
    assert selectors.stats_school_year(current=None) == later.school_year
    refcache.forget_all()
    assert selectors.stats_school_year(current=None) == newest.school_year


def test_with_the_cache_down_pages_read_the_database(monkeypatch, client, staff_user, django_assert_num_queries):
    TermFactory()

    def down(*args, **kwargs):
        raise ConnectionError("the cache does not answer")

    from django.core.cache import cache

    for method in ("get", "set", "delete_many"):
        monkeypatch.setattr(cache, method, down)
    assert selectors.term_now(D(2025, 10, 1)).position == "in"
    refcache.forget_all()  # logged, not raised
    client.force_login(staff_user)
    assert client.get("/").status_code == 200


def test_switched_off_nothing_is_cached(settings, django_assert_num_queries):
    settings.REFCACHE_SECONDS = 0
    TermFactory()
    selectors.term_now(D(2025, 10, 1))
    with django_assert_num_queries(1):
        selectors.term_now(D(2025, 10, 1))
