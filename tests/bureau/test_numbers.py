"""Numbers on pages (issue 6: money and areas showed as 3496512.00): thousands separators and
units, from one filter library (bureau/templatetags/numbers.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from bureau.templatetags.numbers import amount, area, number
from tests.factories import SchoolClassFactory, SchoolYearStatFactory, TermFactory


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("3496512.00"), "3,496,512.00\u00a0yuan"),
    (Decimal("3496512.005"), "3,496,512.01\u00a0yuan"),  # half up, as money is rounded
    (1200, "1,200.00\u00a0yuan"),
    (None, "—"),
])
def test_amount(value, shown):
    with translation.override("en"):
        assert amount(value) == shown


def test_amount_in_chinese_and_without_unit():
    with translation.override("zh-hans"):
        # The unit's word comes from the catalogue ("%(amount)s yuan" → "%(amount)s 元").
        assert amount(Decimal("3496512")).startswith("3,496,512.00")
    assert amount(Decimal("3496512"), "plain") == "3,496,512.00"


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("6500.00"), "6,500\u00a0m²"), (Decimal("812.50"), "812.5\u00a0m²"), (Decimal("0"), "0\u00a0m²"),
])
def test_area(value, shown):
    assert area(value) == shown
    assert area(value, "plain") == shown.removesuffix("\u00a0m²")


@pytest.mark.parametrize(("value", "shown"), [
    (1218, "1,218"), (Decimal("2345.678"), "2,345.68"), (Decimal("84.30"), "84.3"), (None, "—"), ("", "—"),
])
def test_number(value, shown):
    assert number(value) == shown


@pytest.mark.django_db
def test_the_statistics_tab_shows_amounts_and_areas_with_separators_and_units(client, staff_user, school, english):
    SchoolYearStatFactory(school=school, equipment_value=Decimal("3496512.00"), teaching_area=Decimal("6500"),
                          sports_ground_area=Decimal("12345.5"))
    client.force_login(staff_user)
    page = client.get(reverse("schools:school_detail", args=[school.pk]), {"tab": "statistics"}).content.decode()
    assert "3496512" not in page
    assert "3,496,512.00\u00a0yuan" in page and "6,500\u00a0m²" in page and "12,345.5\u00a0m²" in page
    assert "1,000" in page  # the students


@pytest.mark.django_db
def test_the_classes_tab_and_the_list_group_their_numbers(client, staff_user, school):
    term = TermFactory()
    SchoolClassFactory(school=school, term=term, equipment_value=Decimal("61234"))
    SchoolYearStatFactory(school=school, school_year=term.school_year, primary_students=1218)
    client.force_login(staff_user)
    classes = client.get(reverse("schools:school_detail", args=[school.pk]), {"tab": "classes"}).content.decode()
    assert "61,234.00" in classes and "61234" not in classes
    listing = client.get(reverse("schools:school_list")).content.decode()
    assert ">1,218<" in listing
