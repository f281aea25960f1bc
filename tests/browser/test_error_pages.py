"""The portal's own 404 and 403 pages in a real browser, as a logged-in person meets them
(issue 6, "Error pages"): in Chinese, under the portal's header, with a way back home."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.browser


def zh(msgid):
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def assert_error_page(page, status_page, title, user):
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # The portal's header, as on every page: the brand and the logged-in account.
    assert page.locator("header .brand").inner_text() == zh("Education Bureau Portal")
    assert user.display_name in page.locator(".usermenu .who").inner_text()
    card = page.locator(f'[data-error-page="{status_page}"]')
    assert card.locator("h1").inner_text() == zh(title)
    assert page.title().startswith(zh(title))
    # Not Django's debug page, which lists the URL patterns.
    assert "URLconf" not in page.content() and "Traceback" not in page.content()
    home = card.locator(f'a[href="{reverse("home")}"]')
    assert home.inner_text() == zh("Back to the home page")
    return home


def test_a_school_outside_ones_district_is_the_portals_404(users, other_school, page, login, screenshot, live_server):
    staff = users["staff"]
    login(staff.username)
    missing = []
    page.on("response", lambda response: response.status == 404 and missing.append(response.url))
    response = page.goto(reverse("schools:school_detail", args=[other_school.pk]))
    assert response.status == 404
    home = assert_error_page(page, "404", "Page not found", staff)
    screenshot("error-404-staff")
    # The page itself is the only 404: its stylesheet, script and icon all load.
    assert missing == [live_server.url + reverse("schools:school_detail", args=[other_school.pk])], missing
    with page.expect_navigation():
        home.click()
    assert page.url == live_server.url + reverse("home")
    assert page.locator("[data-error-page]").count() == 0


def test_a_page_the_role_may_not_use_is_the_portals_403(users, page, login, screenshot, live_server):
    parent = users["parent"]
    login(parent.username)
    response = page.goto(reverse("schools:school_list"))
    assert response.status == 403
    home = assert_error_page(page, "403", "Not open to your account", parent)
    screenshot("error-403-parent")
    with page.expect_navigation():
        home.click()
    assert page.url == live_server.url + reverse("home")
