"""The home page's school counts and the school list's pages, cached per reader's reach
(bureau.refcache.cached_for): read once, shared by readers who reach the same schools, never
shown to a reader of another reach, and forgotten by every change to what they show.

The suite switches the cache off (tests/test_settings); these tests switch it on, outside a
test transaction (pytest-django's `transaction=True`), as a page runs in production."""

import pytest
from django.urls import reverse

from bureau import scope
from schools import services
from schools.models import School, SchoolClass, SchoolYearStat
from tests.factories import SchoolClassFactory, SchoolFactory, SchoolYearFactory, SchoolYearStatFactory, TermFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("refcache_on")]

FRAME = 2  # the session and the user


@pytest.fixture
def term(db):
    return TermFactory(school_year=SchoolYearFactory(start_year=2025), number=1)


def _names(client):
    response = client.get(reverse("schools:school_list"))
    assert response.status_code == 200
    return [row.name for row in response.context["page_obj"]]


def _summary(client):
    response = client.get("/")
    assert response.status_code == 200
    return next(context for _template, context in response.context["panels"] if "classes" in context)


def test_a_page_of_the_list_is_worked_out_once(client, staff_user, school, term, django_assert_num_queries):
    SchoolYearStatFactory(school=school, school_year=term.school_year)
    client.force_login(staff_user)
    assert _names(client) == [school.name]
    # FRAME only: the user's districts (scope), the terms, the years with statistics and the
    # page as printed (its filter form's groups and districts too) come from the cache.
    with django_assert_num_queries(FRAME):
        assert _names(client) == [school.name]


def test_a_change_to_a_school_its_statistics_or_classes_shows_at_once(client, staff_user, school, term):
    client.force_login(staff_user)
    stat = SchoolYearStatFactory(school=school, school_year=term.school_year, meets_resource_standard=True)
    first = client.get(reverse("schools:school_list")).context["page_obj"][0]
    assert not first.has_big_class
    school.name = "天宁区实验小学（新址）"
    school.save()
    assert _names(client) == ["天宁区实验小学（新址）"]
    SchoolClassFactory(school=school, term=term, grade=3, number=1, boys=30, girls=30)
    assert client.get(reverse("schools:school_list")).context["page_obj"][0].has_big_class
    stat.meets_resource_standard = False
    stat.save()
    assert "badge bad" in client.get(reverse("schools:school_list")).context["page_obj"][0].verdict
    SchoolFactory(district=school.district, code="3132000002", name="天宁区第二小学")
    assert len(_names(client)) == 2


def test_a_bulk_update_of_the_verdicts_is_seen(client, staff_user, school, term):
    """school_stats_evaluate writes the verdicts by bulk_update, which sends no signal."""
    client.force_login(staff_user)
    SchoolYearStatFactory(school=school, school_year=term.school_year)
    SchoolYearStat.objects.update(meets_resource_standard=None, resource_met_count=None)  # not evaluated yet
    assert "badge neutral" in client.get(reverse("schools:school_list")).context["page_obj"][0].verdict
    assert services.school_stats_evaluate(school_ids=[school.pk]) == 1
    meets = SchoolYearStat.objects.get().meets_resource_standard
    assert meets is not None
    shown = client.get(reverse("schools:school_list")).context["page_obj"][0].verdict
    assert ("badge ok" if meets else "badge bad") in shown


def test_readers_of_another_reach_never_see_a_cached_page(client, users, other_staff_user, school, other_school,
                                                         school_outside_zone, term):
    for user in (users["staff"], users["leader"]):  # cached by the first, read by the second's own key
        client.force_login(user)
        assert set(_names(client)) == {school.name, school_outside_zone.name}
    client.force_login(users["principal"])
    assert _names(client) == [school.name]
    client.force_login(users["inspector"])  # its zone holds `school` only: not cached by reach
    assert scope.reach_key(users["inspector"], School) is None
    assert _names(client) == [school.name]
    client.force_login(other_staff_user)
    assert _names(client) == [other_school.name]


def test_each_language_has_its_own_page(client, staff_user, school, term):
    school.status = School.Status.CLOSED
    school.save()
    client.force_login(staff_user)
    chinese = client.get(reverse("schools:school_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").context["page_obj"][0]
    english = client.get(reverse("schools:school_list"), HTTP_ACCEPT_LANGUAGE="en").context["page_obj"][0]
    assert chinese.status != english.status


def test_the_home_counts_follow_every_change(client, staff_user, school, term, django_assert_num_queries):
    client.force_login(staff_user)
    SchoolClassFactory(school=school, term=term, grade=1, number=1, boys=20, girls=20)
    assert (_summary(client)["schools"], _summary(client)["classes"]) == (1, 1)
    added = SchoolFactory(district=school.district, code="3132000002", name="天宁区第二小学")
    assert _summary(client)["schools"] == 2
    SchoolClassFactory(school=added, term=term, grade=1, number=1, boys=20, girls=20)
    assert _summary(client)["classes"] == 2
    SchoolClass.objects.filter(school=added).delete()
    assert _summary(client)["classes"] == 1
