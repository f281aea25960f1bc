"""Changing one's own password ends the other sessions and the API token, and is audited;
so is the making of an account's first API token (issue 6, "Password change")."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bureau import services
from bureau.models import AuditLog, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Qiu-shui-2026-changzhou"
TOKEN_URL = "/api/v1/auth/token/"


def audit_of(user):
    return AuditLog.objects.filter(object_id=str(user.pk), content_type__model="user")


def logged_in(username):
    """A browser of its own, logged in through the login page (a real session row)."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response
    return client


def change_password(client, old=PASSWORD, new=NEW_PASSWORD):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_sessions_live_in_the_database():
    # The claim below (other sessions end) is proved on the engine the portal runs with.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_password_change_keeps_this_session_and_ends_the_others(staff_user):
    here, elsewhere = logged_in("staff1"), logged_in("staff1")
    other_key = elsewhere.session.session_key
    assert Session.objects.filter(session_key=other_key).exists()

    response = change_password(here)
    assert response.status_code == 302 and response.url == reverse("accounts:password_change_done")

    # This browser carries on with the new password's session.
    assert here.get(reverse("home")).status_code == 200
    assert here.session[SESSION_KEY] == str(staff_user.pk)
    # The other one is sent to log in, and its database session is gone, not just ignored.
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Session.objects.filter(session_key=other_key).exists()
    # Nor does the other browser come back by itself with its old cookie.
    assert elsewhere.get(reverse("home")).status_code == 302


def test_password_change_revokes_the_api_token(staff_user):
    token = Token.objects.create(user=staff_user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/schools/").status_code == 200

    assert change_password(logged_in("staff1")).status_code == 302

    assert not Token.objects.filter(user=staff_user).exists()
    assert api.get("/api/v1/schools/").status_code in (401, 403)


def test_password_change_is_audited_without_the_password(staff_user):
    Token.objects.create(user=staff_user)
    old_hash = User.objects.get(pk=staff_user.pk).password
    assert change_password(logged_in("staff1")).status_code == 302

    entry = audit_of(staff_user).get()
    assert entry.actor == staff_user and entry.action == AuditLog.Action.UPDATE
    assert entry.note == "Password changed by the account's owner; API token revoked"
    new_hash = User.objects.get(pk=staff_user.pk).password
    written = f"{entry.changes} {entry.note}"
    for secret in (PASSWORD, NEW_PASSWORD, old_hash, new_hash):
        assert secret not in written


def test_a_wrong_old_password_changes_nothing(staff_user):
    token = Token.objects.create(user=staff_user)
    client = logged_in("staff1")
    response = change_password(client, old="not-the-password")
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)
    assert Token.objects.filter(key=token.key).exists()
    assert not audit_of(staff_user).exists()


def test_the_service_checks_the_old_and_the_new_password(staff_user):
    # The web form checks both too; the service checks again for any other caller.
    with pytest.raises(ValidationError) as wrong_old:
        services.user_password_change(user=staff_user, old_password="nope", new_password=NEW_PASSWORD)
    assert set(wrong_old.value.message_dict) == {"old_password"}
    with pytest.raises(ValidationError) as weak:
        services.user_password_change(user=staff_user, old_password=PASSWORD, new_password="12345678901")
    assert set(weak.value.message_dict) == {"new_password"}
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)

    services.user_password_change(user=staff_user, old_password=PASSWORD, new_password=NEW_PASSWORD)
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)


# ---- the first API token ----------------------------------------------------------------


def test_the_first_token_by_api_login_is_audited_once(staff_user):
    first = APIClient().post(
        TOKEN_URL, {"username": "staff1", "password": PASSWORD}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert first.status_code == 200
    entry = audit_of(staff_user).get()
    assert entry.actor == staff_user and entry.note == "API token created"
    assert first.json()["token"] not in f"{entry.changes} {entry.note}"
    # The same token again: nothing new was made, nothing more is written.
    again = APIClient().post(TOKEN_URL, {"username": "staff1", "password": PASSWORD}, format="json")
    assert again.json()["token"] == first.json()["token"]
    assert audit_of(staff_user).count() == 1


def test_the_first_token_on_the_token_page_is_audited_as_created(client, staff_user):
    client.force_login(staff_user)
    assert client.post(reverse("accounts:api_token"), HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    assert [e.note for e in audit_of(staff_user)] == ["API token created"]
    assert client.post(reverse("accounts:api_token"), HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    assert [e.note for e in audit_of(staff_user)] == ["API token regenerated", "API token created"]
