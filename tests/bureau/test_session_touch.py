"""A session in use stays alive without being written on every request
(bureau.middleware.SessionTouchMiddleware): saved again once SESSION_TOUCH_SECONDS have
passed since its last save, so that an idle session still ends about SESSION_COOKIE_AGE
after its last request."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bureau import middleware
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


class Clock:
    """time.time() of the middleware, moved by hand."""

    def __init__(self, monkeypatch, start=1_800_000_000):
        self.now = start
        monkeypatch.setattr(middleware.time, "time", lambda: self.now)

    def advance(self, seconds):
        self.now += seconds


def log_in(username):
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_soon_after_the_last_save_writes_nothing(staff_user, monkeypatch, django_assert_num_queries):
    clock = Clock(monkeypatch)
    client = log_in("staff1")
    clock.advance(60)
    # 1 session, 2 user with its department and district, 3 the token; no SAVEPOINT,
    # UPDATE, RELEASE of the session.
    with django_assert_num_queries(3):
        assert client.get(reverse("accounts:api_token")).status_code == 200


def test_a_session_in_use_is_saved_again_after_the_touch_interval(staff_user, settings, monkeypatch):
    clock = Clock(monkeypatch)
    client = log_in("staff1")
    first = expiry(client)
    clock.advance(settings.SESSION_TOUCH_SECONDS - 1)
    client.get(reverse("accounts:api_token"))
    assert expiry(client) == first
    clock.advance(1)
    client.get(reverse("accounts:api_token"))
    # Saved again: its idle clock starts afresh from now.
    assert expiry(client) > first
    assert client.session[middleware.TOUCHED_KEY] == clock.now


def test_an_idle_session_still_ends(staff_user, settings, monkeypatch):
    client = log_in("staff1")
    assert client.get(reverse("accounts:api_token")).status_code == 200
    # The database says when it ends: SESSION_COOKIE_AGE after its last save.
    key = client.session.session_key
    ends = Session.objects.get(session_key=key).expire_date
    Session.objects.filter(session_key=key).update(
        expire_date=ends - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    )
    response = client.get(reverse("accounts:api_token"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_token_login_logs_no_session_in(staff_user):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "staff1", "password": PASSWORD}, format="json")
    assert response.status_code == 200 and "token" in response.json()
    # django-axes makes a session to hash its key into the access log; nobody is logged in it.
    assert all(SESSION_KEY not in session.get_decoded() for session in Session.objects.all())


def test_a_visitor_without_a_session_gets_none(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
