"""The themed calendar: seed 004's themes as the default, kept by the 督导室, copied to the next year."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bureau.errors import DomainError
from bureau.models import AuditLog, Department, Role
from inspections.models import ChecklistItem, MonthlyTheme
from inspections.services import theme_create, theme_defaults_load, theme_set_items, theme_year_copy
from inspections.theme_defaults import DEFAULT_THEMES
from tests.factories import UserFactory
from tests.inspections.factories import ChecklistItemFactory, MonthlyThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_user(district):
    """Staff of the 督导室, the department that keeps the calendar."""
    return UserFactory(role=Role.STAFF, district=district, department=Department.objects.get(code="inspection"))


def test_the_defaults_are_seed_004s_months_each_item_citing_its_source(district, office_user):
    made = theme_defaults_load(district=district, year=2026, by=office_user)
    assert [t.month for t in made] == [2, 3, 4, 5, 6]
    titles = {t.month: t.title for t in made}
    assert "体育" in titles[3] and "体艺2+1" in titles[5] and "德育" in titles[6]
    items = ChecklistItem.objects.filter(theme__district=district)
    assert items.count() == sum(len(entry[3]) for entry in DEFAULT_THEMES)
    # Every item quotes its document; seed 004's report for each month's theme.
    assert all(item.source.startswith(("平湖市教育局", "中共中央办公厅")) and "“" in item.source for item in items)
    march = items.filter(theme__month=3).values_list("text", flat=True)
    assert "学校每天1小时体育活动的实施情况" in march
    assert AuditLog.objects.filter(action=AuditLog.Action.CREATE, object_repr__startswith="2026-02").exists()


def test_loading_the_defaults_again_keeps_the_months_set_already(district, office_user):
    own = theme_create(district=district, year=2026, month=3, title="本区三月主题", by=office_user)
    made = theme_defaults_load(district=district, year=2026, by=office_user)
    assert [t.month for t in made] == [2, 4, 5, 6]
    assert MonthlyTheme.objects.get(pk=own.pk).title == "本区三月主题"
    assert theme_defaults_load(district=district, year=2026, by=office_user) == []


def test_only_the_office_and_administrators_keep_the_calendar(district, staff_user, admin_user, inspector_user):
    for user in (staff_user, inspector_user):  # 基础教育科 staff; an inspector
        with pytest.raises(DomainError):
            theme_defaults_load(district=district, year=2026, by=user)
    assert theme_defaults_load(district=district, year=2026, by=admin_user)


def test_the_office_keeps_only_its_own_districts(other_district, office_user):
    with pytest.raises(DomainError):
        theme_create(district=other_district, year=2026, month=1, title="x", by=office_user)


def test_copying_a_year_makes_the_next_years_missing_months(district, office_user, english):
    theme_defaults_load(district=district, year=2026, by=office_user)
    theme_create(district=district, year=2027, month=2, title="二〇二七年二月", by=office_user)
    made = theme_year_copy(district=district, year=2026, by=office_user)
    assert [t.month for t in made] == [3, 4, 5, 6]
    assert MonthlyTheme.objects.get(district=district, year=2027, month=2).title == "二〇二七年二月"
    assert ChecklistItem.objects.filter(theme__year=2027, theme__month=3).count() == 2
    with pytest.raises(DomainError, match="nothing copied"):
        theme_year_copy(district=district, year=2026, by=office_user)
    with pytest.raises(DomainError, match="no themes"):
        theme_year_copy(district=district, year=2030, by=office_user)


def test_a_month_has_one_theme(district, office_user):
    theme_create(district=district, year=2026, month=9, title="九月", by=office_user)
    with pytest.raises(ValidationError) as error:
        theme_create(district=district, year=2026, month=9, title="又一个九月", by=office_user)
    assert "month" in error.value.message_dict


def test_the_checklist_is_replaced_in_order_and_audited(district, office_user):
    theme = MonthlyThemeFactory(district=district, month=9)
    ChecklistItemFactory(theme=theme, code="old")
    items = [{"code": "09-2", "text": "乙", "source": "来源乙"}, {"code": "09-1", "text": "甲", "source": "来源甲"}]
    theme_set_items(theme=theme, items=items, by=office_user)
    assert list(theme.items.values_list("code", flat=True)) == ["09-2", "09-1"]
    assert AuditLog.objects.filter(object_id=str(theme.pk), changes__has_key="items").count() == 1
    with pytest.raises(ValidationError, match="09-1"):
        theme_set_items(theme=theme, items=[*items, {"code": "09-1", "text": "丙", "source": "来源"}], by=office_user)
    with pytest.raises(ValidationError):
        theme_set_items(theme=theme, items=[{"code": "x", "text": "甲" * 301, "source": "来源"}], by=office_user)
    assert theme.items.count() == 2  # nothing half-written


def test_the_office_edits_a_theme_on_its_page(client, district, office_user, english):
    theme = MonthlyThemeFactory(district=district, month=9, title="九月")
    client.force_login(office_user)
    page = client.get(reverse("inspections:theme_detail", args=[theme.pk]))
    assert page.status_code == 200 and b'name="items-TOTAL_FORMS"' in page.content
    data = {
        "title": "九月：开学规范", "description": "",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "40",
        "items-0-code": "09-1", "items-0-text": "课程计划执行情况", "items-0-source": "平湖市教育局《工作汇报》",
        "items-1-code": "", "items-1-text": "", "items-1-source": "",
    }
    response = client.post(reverse("inspections:theme_save", args=[theme.pk]), data)
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.title == "九月：开学规范" and [i.code for i in theme.items.all()] == ["09-1"]
    data["items-0-source"] = ""
    response = client.post(reverse("inspections:theme_save", args=[theme.pk]), data)
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_the_office_loads_and_copies_on_the_calendar_page(client, district, office_user):
    client.force_login(office_user)
    url = reverse("inspections:theme_load_defaults")
    response = client.post(url, {"district": district.pk, "year": 2026})
    assert response.status_code == 302 and response["Location"].endswith("?year=2026")
    assert MonthlyTheme.objects.filter(district=district, year=2026).count() == 5
    response = client.post(reverse("inspections:theme_copy_year"), {"district": district.pk, "year": 2026})
    assert response["Location"].endswith("?year=2027")
    page = client.get(response["Location"])
    assert "每天1小时体育活动" in page.content.decode()
    # Twice: a clear message, nothing copied.
    again = client.post(reverse("inspections:theme_copy_year"), {"district": district.pk, "year": 2026}, follow=True)
    assert "没有可复制" in again.content.decode() or "nothing copied" in again.content.decode()


def test_a_reader_sees_the_calendar_without_the_forms(client, district, inspector_user):
    theme = MonthlyThemeFactory(district=district, year=2026, month=3, title="每天1小时体育活动")
    ChecklistItemFactory(theme=theme, code="03-2", text="体育活动实施情况")
    client.force_login(inspector_user)
    page = client.get(reverse("inspections:theme_list") + "?year=2026").content.decode()
    assert "每天1小时体育活动" in page and "03-2" in page and "theme_load_defaults" not in page
    assert 'name="district"' not in page
    detail = client.get(reverse("inspections:theme_detail", args=[theme.pk])).content.decode()
    assert "体育活动实施情况" in detail and "<form method=\"post\" action=\"/inspections/themes/" not in detail


def test_the_calendar_page_costs_the_same_for_2_or_12_themes(client, district, leader_user, django_assert_num_queries):
    client.force_login(leader_user)
    url = reverse("inspections:theme_list") + "?year=2026"

    def add(months):
        for month in months:
            theme = MonthlyThemeFactory(district=district, year=2026, month=month)
            ChecklistItemFactory.create_batch(3, theme=theme)

    add([1, 2])
    client.get(url)  # warm the content-type and translation caches
    # session, user, scope districts, the year's themes, their items, the years with themes
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    add(range(3, 13))
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
