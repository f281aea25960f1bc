"""An inspector on a phone (390×844) files the month's visit with a failed item and a photo,
losing the connection in the middle; the principal answers the rectification notice; the
inspector verifies it; a parent finds the school's gate sign. The browser reads the portal in Chinese; texts are looked up through
the catalogue, so the test follows the translation.

Screenshots in /tmp/screens/: the visit form at 390 and 1366 px, offline and saved.
"""

import base64
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from inspections.models import RectificationNotice, Visit
from inspections.services import card_update
from tests.browser.conftest import SCREENSHOT_DIR
from tests.factories import PASSWORD
from tests.inspections.factories import ChecklistItemFactory, MonthlyThemeFactory

pytestmark = pytest.mark.browser

# A 1×1 PNG: a real image, as a phone's camera would send (smaller).
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PHONE = {"width": 390, "height": 844}


def zh(message):
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def month_theme(district):
    today = timezone.localdate()
    theme = MonthlyThemeFactory(district=district, year=today.year, month=today.month, title="每天1小时体育活动")
    ChecklistItemFactory(theme=theme, code="03-1", text="常规“减负”督查", ordering=0)
    ChecklistItemFactory(theme=theme, code="03-2", text="学校每天1小时体育活动的实施情况", ordering=1)
    return theme


def phone(browser, live_server, username):
    return logged_in(browser, live_server, username, viewport=PHONE, is_mobile=True, has_touch=True)


def logged_in(browser, live_server, username, **options):
    """A Chinese browser context of its own (`options`: its viewport…), logged in as `username`."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return context, page


def shot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def until(page, expression, timeout=10.0):
    """Wait until `expression` is true in the page (page.wait_for_function compiles its
    predicate with eval, which the portal's Content-Security-Policy refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        page.wait_for_timeout(100)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_visit_notice_answer_verify_on_phones(browser, live_server, school, inspector_user, principal_user,
                                              month_theme):
    context, page = phone(browser, live_server, inspector_user.username)
    page.goto(reverse("inspections:my_month"))
    page.get_by_role("button", name=zh("Open this month's visit")).click()
    page.wait_for_url("**/edit/")
    visit = Visit.objects.get()
    first, second = visit.items.order_by("ordering")
    page.check(f"input[name=item-{first.pk}-result][value=met]")
    page.check(f"input[name=item-{second.pk}-result][value=not_met]")
    page.fill(f"#id_item-{second.pk}-note", "大课间仅20分钟，体育活动每天不足1小时。")
    page.set_input_files(f"#item-{second.pk}-files",
                         files=[{"name": "操场.png", "mimeType": "image/png", "buffer": PHOTO}])
    status = page.locator("[data-autosave-status]")
    until(page, "document.querySelector('[data-autosave-status]').textContent.length > 0")
    assert zh("Draft saved at ").strip() in status.text_content()

    # The connection drops: what is typed is kept in the browser, then sent when it returns.
    context.set_offline(True)
    page.fill("#id_summary", "听课两节，查阅作业本30本，与学生座谈一次。")
    offline = zh("No connection: the draft is kept in this browser and sent when the connection returns.")
    until(page, f"document.querySelector('[data-autosave-status]').textContent === {offline!r}")
    assert page.evaluate(f"window.localStorage.getItem('portal-draft:visit-{visit.pk}')") is not None
    shot(page, "visit-form-390-offline")
    assert no_sideways_scroll(page)
    context.set_offline(False)
    until(page, f"window.localStorage.getItem('portal-draft:visit-{visit.pk}') === null")
    visit.refresh_from_db()
    assert visit.summary == "听课两节，查阅作业本30本，与学生座谈一次。"

    page.fill("#id_feedback", "请保证学生每天1小时体育活动，大课间不得挪作他用。")
    page.fill("#id_private_notes", "学生反映体育课偶被主科占用。")
    shot(page, "visit-form-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    assert no_sideways_scroll(page)
    shot(page, "visit-form-1366")
    page.set_viewport_size(PHONE)
    # A double click on "file": one filing.
    page.get_by_role("button", name=zh("File the visit")).dblclick()
    page.wait_for_url(f"**/visits/{visit.pk}/")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.FILED
    assert second.evidence.get().label == "操场.png"

    # The failed item raises a rectification notice.
    page.get_by_text(zh("Raise a rectification notice")).click()
    page.fill(f"#id_item{second.pk}_requirement", "调整作息，保证每天1小时体育活动，报送新作息表。")
    page.fill(f"#id_item{second.pk}_working_days", "5")
    page.get_by_role("button", name=zh("Issue the notice")).click()
    page.wait_for_url("**/notices/*/")
    notice = RectificationNotice.objects.get()
    shot(page, "notice-390-issued")
    context.close()

    # The principal answers it, from its school's page.
    context, page = phone(browser, live_server, principal_user.username)
    page.goto(reverse("schools:school_detail", args=[school.pk]))
    page.get_by_role("link", name=notice.deadline.strftime("%Y-%m-%d")).click()
    assert "调整作息" in page.content() and "学生反映" not in page.content()
    page.fill("#id_answer", "已将大课间延长至40分钟，下午增加30分钟课外体育活动，新作息表见附件。")
    page.set_input_files("#notice-files", files=[{"name": "作息表.png", "mimeType": "image/png", "buffer": PHOTO}])
    page.get_by_role("button", name=zh("Send the answer")).click()
    page.wait_for_selector(".msg-success")
    notice.refresh_from_db()
    assert notice.status == RectificationNotice.Status.ANSWERED and notice.evidence.count() == 1
    shot(page, "notice-390-answered")
    assert no_sideways_scroll(page)
    context.close()

    # The inspector verifies it.
    context, page = phone(browser, live_server, inspector_user.username)
    page.goto(reverse("inspections:notice_detail", args=[notice.pk]))
    page.get_by_role("button", name=zh("Verify: fixed")).click()
    page.wait_for_selector(".msg-success")
    notice.refresh_from_db()
    assert notice.status == RectificationNotice.Status.VERIFIED
    shot(page, "notice-390-verified")
    context.close()


def test_a_parent_finds_the_schools_gate_sign_on_a_phone(browser, live_server, school, zone, inspector_user):
    inspector_user.name = "周督学"
    inspector_user.save()
    zone.complaint_phone = "0519-88000000"
    zone.save()
    card_update(user=inspector_user, phone="0519-88001234", photo=SimpleUploadedFile("me.png", PHOTO),
                by=inspector_user)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(reverse("sign:search"))  # no login
    page.fill("#id_q", "实验小学")
    page.get_by_role("button", name=zh("Search")).click()
    page.get_by_role("link", name=school.name).click()
    text = page.locator("main").inner_text()
    assert "周督学" in text and "0519-88001234" in text and "0519-88000000" in text
    # The photo is a request of its own: wait until the browser has finished it (loaded or broken).
    until(page, "document.querySelector('.sign-person img').complete")
    assert page.locator(".sign-person img").evaluate("img => img.naturalWidth") == 1
    assert no_sideways_scroll(page)
    shot(page, "gate-sign-390")
    context.close()
