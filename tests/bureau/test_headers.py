"""Headers on every answer (issue 6 and 13) and what the portal believes of a proxy's headers
(issue 13, "Deployment edges"): bureau/middleware.py."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from bureau import ratelimit
from bureau.middleware import PERMISSIONS_POLICY, PortalHeadersMiddleware
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "172.30.0.10"  # the reverse proxy's address in these tests
STRANGER = "203.0.113.9"  # someone talking to the application server directly


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


# ---- Permissions-Policy ---------------------------------------------------------------------


def test_every_page_switches_off_the_browser_features_it_never_uses(client, staff_user):
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in PERMISSIONS_POLICY
    assert client.get(reverse("login"))["Permissions-Policy"] == PERMISSIONS_POLICY
    client.force_login(staff_user)
    for url in (reverse("home"), reverse("schools:school_list"), "/no-such-page/", "/api/v1/schools/"):
        assert client.get(url)["Permissions-Policy"] == PERMISSIONS_POLICY, url


def test_a_header_set_before_is_kept():
    # Beside bureau/csp.py and any view with a policy of its own: nothing is overwritten.
    def view(request):
        response = HttpResponse()
        response["Permissions-Policy"] = "camera=(self)"
        response["Content-Security-Policy"] = "default-src 'self'"
        return response

    response = PortalHeadersMiddleware(view)(RequestFactory().get("/"))
    assert response["Permissions-Policy"] == "camera=(self)"
    assert response["Content-Security-Policy"] == "default-src 'self'"


# ---- nothing a logged-in user sees is stored -------------------------------------------------


def test_logged_in_pages_and_api_answers_are_not_stored(client, staff_user, school):
    client.force_login(staff_user)
    for url in (reverse("home"), reverse("schools:school_list"), reverse("schools:school_detail", args=[school.pk]),
                reverse("accounts:password_change"), "/no-such-page/"):
        response = client.get(url, follow=True)
        assert no_store(response), (url, response.get("Cache-Control"))
        assert "private" in response["Cache-Control"]
    # By token: DRF authenticates inside the view, and the header still follows.
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user).key}")
    assert no_store(api.get("/api/v1/schools/"))


def test_anonymous_pages_are_left_alone(client):
    # (The log-in page is never cached anyway: Django's LoginView says so itself.)
    assert not no_store(client.get("/no-such-page/"))


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_keep_their_caching(staff_user):
    client = Client()  # a fresh handler: WhiteNoise reads its settings when it starts
    client.force_login(staff_user)
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert not no_store(response)


# ---- the reverse proxy ----------------------------------------------------------------------


@override_settings(
    TRUSTED_PROXIES=[PROXY], SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_only_the_proxy_may_say_https():
    client = Client()  # fresh: the middleware reads the trusted addresses when it starts
    # From the proxy: the page (it came over https), and the redirect when it did not.
    assert client.get(reverse("login"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get(reverse("login"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http").status_code == 301
    # Straight to the application server: the claim is ignored, and it is sent to https.
    response = client.get(reverse("login"), REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response.url.startswith("https://")


@override_settings(TRUSTED_PROXIES=[PROXY], LOGIN_ADDRESS_FAILURE_LIMIT=3)
def test_the_client_address_comes_from_the_proxy_only(staff_user):
    cache.clear()
    client = Client()

    def fail(**extra):
        client.post(reverse("login"), {"username": "staff1", "password": "wrong"}, **extra)

    # Behind the proxy: each client counted as itself (the last X-Forwarded-For entry is the
    # one the proxy wrote; what the client put before it is ignored).
    for n in range(3):
        fail(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7")
    assert ratelimit.retry_after("198.51.100.7") > 0
    assert ratelimit.retry_after(PROXY) == 0
    # A stranger cannot dodge the count with made-up X-Forwarded-For headers.
    for n in range(3):
        fail(REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=f"10.1.1.{n}")
    assert ratelimit.retry_after(STRANGER) > 0
    response = client.post(
        reverse("login"), {"username": "staff1", "password": PASSWORD},
        REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR="10.1.1.99",
    )
    assert response.status_code == 429
    cache.clear()
