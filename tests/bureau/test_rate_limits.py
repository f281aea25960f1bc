"""Rate limits (issue 6): DRF throttles on the API, and password spraying refused per address
across user names on every log-in route (bureau/ratelimit.py), answered 429 with a message."""

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from bureau import ratelimit
from tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
SETTINGS_FILE = str(Path(settings.BASE_DIR) / "bureau" / "settings.py")
# The production defaults (checked below against bureau/settings.py).
PRODUCTION_RATES = {"anon": "60/min", "user": "1200/min", "token": "20/min"}
OFFICE = "10.20.30.40"  # one school's NAT address
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def fresh_counts():
    # Throttle histories and failure counts live in the cache, shared by the tests of a process.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rates(monkeypatch):
    """Set DRF throttle rates for one test (the suite's settings switch them off)."""

    def set_rates(**scopes):
        for scope, rate in scopes.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    return set_rates


@pytest.fixture
def spray_limit():
    """The production per-address limit: 30 failures in 10 minutes."""
    with override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=30, LOGIN_ADDRESS_WINDOW_MINUTES=10):
        yield 30


def obtain(username, password, address=OFFICE, language="zh-hans"):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, format="json",
        REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language,
    )


def page_login(client, username, password, address=OFFICE):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


# ---- settings ---------------------------------------------------------------------------------


def test_production_settings_enable_the_throttles(monkeypatch):
    for name in ("API_THROTTLE_ANON", "API_THROTTLE_USER", "API_THROTTLE_TOKEN", "LOGIN_ADDRESS_FAILURE_LIMIT",
                 "LOGIN_ADDRESS_WINDOW_MINUTES"):
        monkeypatch.delenv(name, raising=False)
    production = runpy.run_path(SETTINGS_FILE)
    api = production["REST_FRAMEWORK"]
    assert api["DEFAULT_THROTTLE_CLASSES"] == [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ]
    assert api["DEFAULT_THROTTLE_RATES"] == PRODUCTION_RATES
    assert api["NUM_PROXIES"] == 0  # the address comes from bureau.middleware, not from DRF
    assert (production["LOGIN_ADDRESS_FAILURE_LIMIT"], production["LOGIN_ADDRESS_WINDOW_MINUTES"]) == (30, 10)
    assert "bureau.ratelimit.LoginRateLimitMiddleware" in production["MIDDLEWARE"]


@pytest.mark.parametrize(("name", "value"), [("API_THROTTLE_TOKEN", "lots"), ("API_THROTTLE_ANON", "0/min"),
                                             ("LOGIN_ADDRESS_FAILURE_LIMIT", "0")])
def test_a_bad_limit_stops_the_start(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        runpy.run_path(SETTINGS_FILE)


# ---- the API's throttles --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_hundred_usernames_from_one_address_meet_429(rates, spray_limit):
    # The attack: 100 token attempts, 100 user names, one address; it got 100 × 400.
    rates(**PRODUCTION_RATES)
    statuses = [obtain(f"guess{n}", "Password123!").status_code for n in range(100)]
    assert statuses[:20] == [400] * 20
    assert statuses[20:] == [429] * 80
    throttled = obtain("guess-more", "Password123!")
    assert throttled.status_code == 429
    assert CHINESE.search(throttled.json()["detail"]), throttled.json()
    assert 0 < int(throttled["Retry-After"]) <= 60


@pytest.mark.django_db
def test_anonymous_calls_are_throttled_per_address(rates):
    # DRF checks the permission before the throttle, so anonymous calls meet the anonymous
    # rate where they are allowed at all: the token login.
    rates(anon="5/min")
    assert [obtain(f"nobody{n}", "x").status_code for n in range(5)] == [400] * 5
    refused = obtain("nobody", "x")
    assert refused.status_code == 429 and "Retry-After" in refused and refused.json()["detail"]
    assert obtain("nobody", "x", address="10.20.30.41").status_code == 400


@pytest.mark.django_db
def test_accounts_are_throttled_one_by_one(rates, staff_user, leader_user, school):
    rates(user="5/min")
    clients = {}
    for user in (staff_user, leader_user):
        clients[user] = APIClient(REMOTE_ADDR=OFFICE)
        clients[user].credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert [clients[staff_user].get("/api/v1/schools/").status_code for _ in range(5)] == [200] * 5
    assert clients[staff_user].get("/api/v1/schools/").status_code == 429
    # A colleague at the same address has a count of its own.
    assert clients[leader_user].get("/api/v1/schools/").status_code == 200


@pytest.mark.django_db
def test_normal_api_use_is_not_throttled(rates, staff_user, school):
    rates(**PRODUCTION_RATES)
    key = obtain("staff1", PASSWORD).json()["token"]
    client = APIClient(REMOTE_ADDR=OFFICE)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # A script reading every school and teacher page in a minute stays far below the limit.
    assert {client.get("/api/v1/schools/").status_code for _ in range(100)} == {200}


# ---- password spraying across user names ---------------------------------------------------


@pytest.mark.django_db
def test_spraying_the_token_login_is_refused_per_address(rates, spray_limit, staff_user):
    rates(token=None)  # the per-address failure limit alone
    assert {obtain(f"user{n}", "Spring2026!").status_code for n in range(spray_limit)} == {400}
    refused = obtain("staff1", PASSWORD, language="en")  # even the right password
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too many failed log-ins came from your network. Try again in 10 minutes."}
    assert 540 <= int(refused["Retry-After"]) <= 600
    assert not Token.objects.exists()
    # Another address is not concerned.
    assert obtain("staff1", PASSWORD, address="10.20.30.41").status_code == 200


@pytest.mark.django_db
def test_spraying_the_login_page_is_refused_per_address(spray_limit, staff_user):
    browser = Client()
    for n in range(spray_limit):
        assert page_login(browser, f"user{n}", "Spring2026!").status_code == 200  # the form again
    refused = page_login(browser, "staff1", PASSWORD)
    assert refused.status_code == 429
    assert "429.html" in [t.name for t in refused.templates]
    page = refused.content.decode()
    assert "Too many failed log-ins came from your network. Try again in 10 minutes." in page
    assert f'href="{reverse("login")}"' in page
    assert "Retry-After" in refused
    assert SESSION_KEY not in browser.session
    # The page itself still opens, and another address logs in.
    assert browser.get(reverse("login"), REMOTE_ADDR=OFFICE).status_code == 200
    assert page_login(Client(), "staff1", PASSWORD, address="10.20.30.41").status_code == 302


@pytest.mark.django_db
def test_the_admin_login_counts_and_is_refused_too(spray_limit, staff_user):
    browser = Client()
    url = reverse("admin:login")
    for n in range(spray_limit):
        browser.post(url, {"username": f"user{n}", "password": "x"}, REMOTE_ADDR=OFFICE)
    assert browser.post(url, {"username": "staff1", "password": PASSWORD}, REMOTE_ADDR=OFFICE).status_code == 429


@pytest.mark.django_db
def test_an_office_typing_mistakes_is_not_refused(spray_limit, users):
    # A morning in a school behind one address: everyone mistypes once or twice, then logs in.
    mistakes = 0
    for user in users.values():
        for _ in range(4):
            assert page_login(Client(), user.username, "typo").status_code == 200
            mistakes += 1
        assert page_login(Client(), user.username, PASSWORD).status_code == 302
    assert mistakes < spray_limit


def test_the_window_slides_by_the_minute(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_WINDOW_MINUTES = 10
    start = 1_000_000 * 60  # on a minute
    for minute in (0, 4, 5):
        ratelimit.failure_record(OFFICE, now=start + minute * 60 + 1)
    now = start + 5 * 60 + 30
    # Limited until the failure of minute 0 leaves the ten-minute window, at minute 10.
    assert ratelimit.retry_after(OFFICE, now=now) == 10 * 60 - 5 * 60 - 30
    assert ratelimit.retry_after(OFFICE, now=start + 10 * 60) == 0
    assert ratelimit.retry_after("10.20.30.41", now=now) == 0


def test_ipv6_counts_by_network(settings):
    # One home or office gets a /64 and may use any address in it.
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 2
    ratelimit.failure_record("2001:db8:1:2::1")
    ratelimit.failure_record("2001:db8:1:2:ffff::9")
    assert ratelimit.retry_after("2001:db8:1:2::77") > 0
    assert ratelimit.retry_after("2001:db8:1:3::1") == 0
