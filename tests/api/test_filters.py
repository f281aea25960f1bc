"""Filters and page numbers of every list endpoint: a value that cannot be read is a 400 that
names the field and gives Django's reason in the requester's language, never "no filter".

The cases are read from the router and each endpoint's FilterSet, so a new endpoint or
filter is tested without being listed here (and a filter of an unknown kind fails).
"""

import re

import django_filters
import pytest
from django.utils import translation
from rest_framework.test import APIClient

from bureau.api_filters import BooleanFilter, IntegerFilter
from bureau.api_urls import router
from tests.factories import SchoolClassFactory, SchoolYearFactory, TeacherFactory, TermFactory

API = "/api/v1/"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def bad_values(filter_):
    """Values the filter must refuse; None for free text, which refuses nothing."""
    if isinstance(filter_, BooleanFilter):
        return ["banana", "0.5", "yes"]
    if isinstance(filter_, IntegerFilter):
        return ["2.5", "abc", "-1", "99999999999"]
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        return ["abc", "0"]
    if isinstance(filter_, django_filters.ChoiceFilter):
        return ["castle"]
    if isinstance(filter_, django_filters.DateFilter):
        return ["2025-13-45", "yesterday"]
    if isinstance(filter_, django_filters.CharFilter):
        return None
    raise AssertionError(f"no bad value known for a {type(filter_).__name__}: add one to this test")


FILTERED = [
    (prefix, viewset.filterset_class) for prefix, viewset, _basename in router.registry
    if getattr(viewset, "filterset_class", None)
]
PAGINATED = [
    prefix for prefix, viewset, _basename in router.registry if getattr(viewset, "pagination_class", None)
]
CASES = [
    pytest.param(prefix, name, value, id=f"{prefix}-{name}={value}")
    for prefix, filterset in FILTERED
    for name, filter_ in filterset.base_filters.items()
    for value in bad_values(filter_) or []
]


@pytest.fixture
def staff(staff_user):
    client = APIClient()
    client.force_login(staff_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


def test_every_filter_kind_is_covered():
    # Every endpoint with a FilterSet, every kind of filter; none of django-filter's lax ones.
    assert {prefix for prefix, _ in FILTERED} >= {"schools", "teachers", "classes", "school-year-stats"}
    for prefix, filterset in FILTERED:
        for name, filter_ in filterset.base_filters.items():
            lax = (django_filters.BooleanFilter, django_filters.NumberFilter)
            if isinstance(filter_, lax):
                assert isinstance(filter_, (BooleanFilter, IntegerFilter)), f"{prefix}?{name} is not strict"
            bad_values(filter_)  # a kind this test does not know fails here
    kinds = {type(f) for _, fs in FILTERED for f in fs.base_filters.values()}
    assert {BooleanFilter, IntegerFilter, django_filters.ChoiceFilter, django_filters.ModelChoiceFilter,
            django_filters.DateFilter} <= kinds


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "name", "value"), CASES)
def test_bad_filter_value_is_a_400_with_the_field(staff, prefix, name, value):
    response = staff.get(f"{API}{prefix}/", {name: value})
    assert response.status_code == 400, (response.status_code, response.content)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == [name]
    [reason] = body[name]
    assert CHINESE.search(reason), reason


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PAGINATED)
@pytest.mark.parametrize("page", ["", "abc", "0", "-1", "1.5", "last"])
def test_bad_page_is_a_400(staff, prefix, page):
    response = staff.get(f"{API}{prefix}/", {"page": page})
    assert response.status_code == 400, (response.status_code, response.content)
    [reason] = response.json()["page"]
    assert CHINESE.search(reason), reason


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PAGINATED)
def test_page_past_the_end_is_a_json_404(staff, prefix):
    assert staff.get(f"{API}{prefix}/", {"page": 1}).status_code == 200
    response = staff.get(f"{API}{prefix}/", {"page": 2})
    assert response.status_code == 404
    assert response.json() == {"detail": "无效页面。"}


@pytest.mark.django_db
def test_the_examples_of_the_issue(staff, school):
    """?is_backbone=banana, ?super_big=0.5 and ?page= used to return the whole list."""
    term = TermFactory(school_year=SchoolYearFactory(start_year=2025))
    TeacherFactory(school=school)
    SchoolClassFactory(school=school, term=term, grade=1, boys=40, girls=30)
    with translation.override("en"):
        staff.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        assert staff.get(f"{API}teachers/", {"is_backbone": "banana"}).json() == {
            "is_backbone": ["“banana” value must be either True or False."]
        }
        assert staff.get(f"{API}classes/", {"super_big": "0.5"}).json() == {
            "super_big": ["“0.5” value must be either True or False."]
        }
        assert staff.get(f"{API}schools/", {"page": ""}).json() == {"page": ["This field is required."]}


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "count"), [("true", 1), ("TRUE", 1), ("1", 1), ("false", 0), ("0", 0), ("", 1)])
def test_good_boolean_values(staff, school, value, count):
    term = TermFactory(school_year=SchoolYearFactory(start_year=2025))
    SchoolClassFactory(school=school, term=term, grade=1, boys=40, girls=30)
    # An empty value means "no filter", as django-filter has it everywhere.
    response = staff.get(f"{API}classes/", {"super_big": value})
    assert response.status_code == 200
    assert response.json()["count"] == count
