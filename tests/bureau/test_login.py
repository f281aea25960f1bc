"""Logging in: the form, throttling (django-axes), CSRF, session expiry, password rules."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}  # assert on the English source strings


def login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **EN, **extra)


def test_login_page_renders(client):
    response = client.get(reverse("login"), **EN)
    assert response.status_code == 200
    assert 'name="username"' in response.text and 'name="password"' in response.text


def test_login_with_the_right_password(client, staff_user):
    response = login(client, "staff1", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(staff_user.pk)
    assert client.get(reverse("home"), **EN).status_code == 200


def test_login_follows_next_but_not_off_site(client, staff_user):
    response = client.post(
        reverse("login"), {"username": "staff1", "password": PASSWORD, "next": "https://evil.example.com/"}, **EN
    )
    assert response.status_code == 302 and response.url == reverse("home")


def test_wrong_password_shows_the_error(client, staff_user):
    response = login(client, "staff1", "not-the-password")
    assert response.status_code == 200
    assert "Wrong user name or password" in response.text
    assert SESSION_KEY not in client.session


def test_inactive_account_cannot_log_in(client, staff_user):
    staff_user.is_active = False
    staff_user.save()
    response = login(client, "staff1", PASSWORD)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_five_failures_lock_the_account(client, staff_user):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(1, 5):
        response = login(client, "staff1", f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with the error
    response = login(client, "staff1", "wrong-5")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "Too many failed log-in attempts" in response.text
    # Locked: even the right password is refused now.
    response = login(client, "staff1", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_lockout_is_per_account(client, staff_user, leader_user):
    for attempt in range(5):
        login(client, "staff1", f"wrong-{attempt}")
    response = login(client, "leader1", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(leader_user.pk)


def test_a_success_before_the_limit_resets_the_count(client, staff_user):
    for attempt in range(4):
        login(client, "staff1", f"wrong-{attempt}")
    assert login(client, "staff1", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert login(client, "staff1", f"again-{attempt}").status_code == 200


def test_login_post_requires_the_csrf_token(staff_user):
    client = Client(enforce_csrf_checks=True)
    response = login(client, "staff1", PASSWORD)
    assert response.status_code == 403
    assert SESSION_KEY not in client.session

    # With the token from the form it goes through.
    page = client.get(reverse("login"), **EN)
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("login"), {"username": "staff1", "password": PASSWORD, "csrfmiddlewaretoken": token}, **EN
    )
    assert response.status_code == 302


def test_sessions_expire(client, staff_user):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True
    login(client, "staff1", PASSWORD)
    assert client.session.get_expire_at_browser_close() is True
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE


def test_logout_is_post_only_and_ends_the_session(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("weak", ["12345678901", "password123", "staff1-2026", "Short-1"])
def test_password_change_rejects_a_weak_password(client, staff_user, weak):
    client.force_login(staff_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        **EN,
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("new_password2"), response.context["form"].errors
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def test_password_change_accepts_a_strong_password(client, staff_user):
    client.force_login(staff_user)
    strong = "Qiu-shui-2026-changzhou"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password(strong)
