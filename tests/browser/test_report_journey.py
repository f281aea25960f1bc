"""Staff make March's inspection summary and open its PDF; a leader publishes it; anyone reads
the bulletin on a phone without an account. The browser reads the portal in Chinese; texts
are looked up through the catalogue, so the test follows the translation.

Screenshots in /tmp/screens/: the report at 1280 px, the bulletin at 390 px.
"""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from inspections.models import ItemResult
from reports.models import Report
from tests.factories import UserFactory
from tests.inspections.factories import FiledVisitFactory, VisitItemFactory

pytestmark = pytest.mark.browser


def zh(message):
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def march_visit(school, inspector_user):
    visit = FiledVisitFactory(school=school, inspector=inspector_user, date=datetime.date(2026, 3, 12))
    VisitItemFactory(visit=visit, code="03-2", text="学校每天1小时体育活动的实施情况", result=ItemResult.NOT_MET)
    return visit


def test_staff_make_a_report_a_leader_publishes_it_and_the_public_reads_it(
        page, login, screenshot, browser, live_server, march_visit, staff_user, district, zone):
    leader = UserFactory(username="leader_r", role="leader", district=district)
    login(staff_user.username)
    page.goto("/reports/")
    page.select_option("#id_kind", "monthly_inspection")
    page.fill("#id_year", "2026")
    page.fill("#id_number", "3")
    with page.expect_navigation():
        page.click(f"button:has-text('{zh('Make the report')}')")
    # Celery is eager here: the report is built by the time the page answers.
    assert page.locator("h1").inner_text() == zh("Monthly inspection summary")
    assert page.locator(".badge", has_text=zh("Ready")).count() == 1
    assert page.locator("td", has_text="学校每天1小时体育活动的实施情况").count() == 1
    screenshot("report-detail-1280")
    pdf = page.request.get(page.locator("a:has-text('PDF')").first.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    report = Report.objects.get()

    page.context.clear_cookies()
    login(leader.username)
    page.goto(f"/reports/{report.pk}/")
    with page.expect_navigation():
        page.click(f"button:has-text('{zh('Approve and publish as a bulletin')}')")
    assert page.locator(".badge", has_text=zh("Published")).count() == 1

    public = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                 is_mobile=True)
    phone = public.new_page()
    phone.goto("/bulletins/")
    with phone.expect_navigation():
        phone.click(f"a:has-text('{zh('Monthly inspection summary')}')")
    assert phone.locator("td", has_text="第一责任区").count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshot("report-detail-1280").parent / "bulletin-390.png"), full_page=True)
    public.close()
