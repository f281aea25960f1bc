"""Zones in counting order (issue 6: they sorted 第一, 第七, 第三, 第二…): one key,
bureau.natural.natural_key, wherever zones are listed."""

import random

import pytest
from django.urls import reverse

from bureau.forms import UserForm
from bureau.natural import chinese_number, natural_key
from tests.factories import InspectorZoneFactory

ORDER = ["第一责任区", "第二责任区", "第三责任区", "第七责任区", "第九责任区", "第十责任区", "第十一责任区",
         "第十二责任区", "第二十责任区", "第二十一责任区"]


@pytest.mark.parametrize(("text", "value"), [
    ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("一百零五", 105), ("两千", 2000),
    ("二〇二五", 2025), ("三万零一", 30001),
])
def test_chinese_numerals_read_as_numbers(text, value):
    assert chinese_number(text) == value


def test_names_sort_as_people_count():
    shuffled = ORDER[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled) != ORDER, "code point order is not counting order"
    assert sorted(shuffled, key=natural_key) == ORDER
    assert sorted(["Zone 10", "Zone 9", "Zone 1"], key=natural_key) == ["Zone 1", "Zone 9", "Zone 10"]
    assert sorted(["第2片区", "第10片区", "第1片区"], key=natural_key) == ["第1片区", "第2片区", "第10片区"]
    assert sorted(["第二中学", "第十中学", "实验小学"], key=natural_key) == ["实验小学", "第二中学", "第十中学"]


@pytest.fixture
def zones(district, zone):
    """`zone` is 第一责任区; the others are made in a shuffled order."""
    names = [name for name in ORDER if name != zone.name]
    random.Random(7).shuffle(names)
    return [zone] + [InspectorZoneFactory(district=district, name=name) for name in names]


def positions(html, names):
    return [html.index(name) for name in names]


@pytest.mark.django_db
def test_the_zone_list_counts_in_order(client, admin_user, zones):
    client.force_login(admin_user)
    html = client.get(reverse("inspections:zone_list")).content.decode()
    assert positions(html, ORDER) == sorted(positions(html, ORDER))


@pytest.mark.django_db
def test_the_account_form_offers_zones_in_order(admin_user, zones):
    form = UserForm(admin=admin_user)
    labels = [label for _value, label in form.fields["zones"].choices]
    assert labels == ORDER


@pytest.mark.django_db
def test_an_inspectors_home_lists_its_zones_in_order(client, inspector_user, zones):
    for zone in zones:
        zone.inspectors.add(inspector_user)
    client.force_login(inspector_user)
    html = client.get(reverse("home")).content.decode()
    assert positions(html, ORDER) == sorted(positions(html, ORDER))
