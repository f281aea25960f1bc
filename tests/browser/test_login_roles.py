"""Each role logs in through the form in a real browser and lands on its home page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

BUREAU_SIDE = ["admin", "staff", "leader", "inspector"]


@pytest.mark.parametrize("role", BUREAU_SIDE)
def test_bureau_roles_reach_the_home_page(role, users, page, login, screenshot, live_server):
    user = users[role]
    response = login(user.username)
    assert response.status == 200
    assert page.url == live_server.url + reverse("home"), page.url
    assert page.locator("#id_password").count() == 0, "still on the login form"
    assert user.display_name in page.locator("h1").inner_text()
    # The signed-in bar names the account; bureau pages link to the school list.
    assert user.display_name in page.locator(".usermenu .who").inner_text()
    assert page.locator(f'a[href="{reverse("schools:school_list")}"]').count() >= 1
    screenshot(f"home-{role}")


def test_principal_lands_on_own_school(users, school, other_school, page, login, screenshot, live_server):
    response = login(users["principal"].username)
    assert response.status == 200
    assert page.url == live_server.url + reverse("schools:school_detail", args=[school.pk]), page.url
    assert page.locator("#id_password").count() == 0
    assert school.name in page.content()
    screenshot("home-principal")
    # Another district's school is not found for them.
    response = page.goto(reverse("schools:school_detail", args=[other_school.pk]))
    assert response.status == 404


def test_parent_reaches_the_parent_home(users, page, login, screenshot, live_server):
    parent = users["parent"]
    response = login(parent.username)
    assert response.status == 200
    assert page.url == live_server.url + reverse("home"), page.url
    assert parent.display_name in page.locator("h1").inner_text()
    assert parent.mobile in page.content()
    # Parents get no school pages.
    assert page.locator(f'a[href="{reverse("schools:school_list")}"]').count() == 0
    screenshot("home-parent")


def test_wrong_password_stays_on_the_form(users, page, login, screenshot):
    response = login(users["staff"].username, "not-the-password")
    assert response.status == 200
    assert page.locator("#id_password").count() == 1
    assert page.locator("p.error").count() == 1
    screenshot("login-error")
