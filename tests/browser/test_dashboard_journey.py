"""The district dashboard in a real browser (issue 11): a leader opens it, drills down district
→ zone → school → class, sets a target and finds it on the board; the same dashboard on a
390×844 phone, without sideways scroll."""

import datetime

import pytest
from django.urls import reverse

from reports import snapshots
from reports.models import Target
from tests import factories
from tests.browser.test_complaint_journey import DESKTOP, PHONE, fits
from tests.inspections.factories import FiledVisitFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def figures(city, district, zone, school):
    term = factories.TermFactory(school_year=factories.SchoolYearFactory(start_year=2025))
    for n, target in enumerate((school, *(factories.SchoolFactory(district=district) for _ in range(3)))):
        if target is not school:
            factories.ZoneSchoolFactory(zone=zone, school=target)
        factories.SchoolYearStatFactory(school=target, school_year=term.school_year, primary_students=400 + 150 * n,
                                        computers=20 + 10 * n, is_standardized=n % 2 == 0)
        factories.SchoolClassFactory(school=target, term=term, grade=3, boys=30, girls=27 + 3 * n)
        FiledVisitFactory(school=target, date=datetime.date(2025, 10, 3))
    snapshots.snapshots_compute(area_id=city.pk, term=term, today=datetime.date(2025, 12, 1))
    factories.DepartmentFactory(code="office", name="办公室")
    return term


def test_a_leader_drills_down_and_sets_a_target(page, login, screenshot, figures, leader_user, district, zone,
                                                school):
    page.set_viewport_size(DESKTOP)
    login(leader_user.username)
    page.goto(reverse("reports:district", args=[district.pk]) + f"?term={figures.pk}")
    assert page.locator("h1").inner_text().startswith(district.name)
    assert page.locator("figure.chart-box svg.chart-wide").count() >= 2  # the CVs per stage, the class sizes
    assert fits(page)
    screenshot("dashboard-district-1366")

    page.click(f"a[href^='{reverse('reports:zone', args=[zone.pk])}']")
    assert zone.name in page.locator("h1").inner_text()
    page.click(f"a[href^='{reverse('reports:school', args=[school.pk])}']")
    assert school.name in page.locator("h1").inner_text()
    screenshot("dashboard-school-1366")
    page.locator("a[href^='/reports/figures/class/']").first.click()
    assert "年级" in page.locator("h1").inner_text()

    page.goto(reverse("reports:targets"))
    page.select_option("#id_indicator", "computers")
    page.select_option("#id_comparator", ">=")
    page.fill("#id_value", "8.5")
    page.fill("#id_baseline", "6")
    page.fill("#id_deadline", "2026-07-31")
    page.select_option("#id_department", label="办公室")
    page.fill("#id_source", "《实施方案》：中小学每百名学生配备计算机8.5台")
    with page.expect_navigation():
        page.click("form.target-form button[type=submit]")
    assert Target.objects.filter(district=district, indicator="computers").exists()
    board = page.locator("table").first.inner_text()
    assert "每百名学生" in board and "≥ 8.5" in board

    page.goto(reverse("reports:district", args=[district.pk]) + f"?term={figures.pk}")
    assert "≥ 8.5" in page.locator("section.card").first.inner_text()  # on the dashboard's board too


def test_the_dashboard_on_a_phone(page, login, screenshot, figures, leader_user, district):
    page.set_viewport_size(PHONE)
    login(leader_user.username)
    page.goto(reverse("reports:district", args=[district.pk]) + f"?term={figures.pk}")
    assert page.locator("svg.chart-narrow").first.is_visible()
    assert fits(page)
    screenshot("dashboard-district-390")
