"""API authentication: token login throttled by django-axes, token and session auth, schema."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"


def obtain(username, password):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json")


@pytest.mark.django_db
def test_token_login_and_token_auth(staff_user, school, other_school):
    response = obtain("staff1", PASSWORD)
    assert response.status_code == 200, response.content
    key = response.json()["token"]
    assert Token.objects.get(user=staff_user).key == key
    # The same token on the next login.
    assert obtain("staff1", PASSWORD).json()["token"] == key

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    rows = client.get("/api/v1/schools/").json()["results"]
    assert [row["id"] for row in rows] == [school.pk]
    staff_user.refresh_from_db()
    assert staff_user.last_login is not None


@pytest.mark.django_db
def test_token_login_errors(staff_user):
    response = obtain("staff1", "wrong-password")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert obtain("nobody", PASSWORD).status_code == 400
    missing = APIClient().post(TOKEN_URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert missing.status_code == 400
    assert missing.json()["username"] == ["该字段是必填项。"]

    staff_user.is_active = False
    staff_user.save()
    assert obtain("staff1", PASSWORD).status_code == 400
    assert not Token.objects.exists()


@pytest.mark.django_db
def test_token_login_locks_after_repeated_failures(staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert obtain("staff1", "wrong-password").status_code == 400
    # The failure that reaches the limit is refused as a lockout already.
    assert obtain("staff1", "wrong-password").status_code == 429
    # Locked: even the right password is refused, and no token is handed out.
    locked = obtain("staff1", PASSWORD)
    assert locked.status_code == 429
    assert "token" not in locked.json()
    assert not Token.objects.exists()
    assert AccessAttempt.objects.filter(username="staff1").exists()


@pytest.mark.django_db
def test_successful_token_login_clears_failures(staff_user):
    assert obtain("staff1", "wrong-password").status_code == 400
    assert AccessAttempt.objects.filter(username="staff1").exists()
    assert obtain("staff1", PASSWORD).status_code == 200
    assert not AccessAttempt.objects.filter(username="staff1").exists()


URLS = ["/api/v1/schools/", "/api/v1/teachers/", "/api/v1/terms/", "/api/v1/schools/1/stats/2025/", "/api/schema/"]


def assert_unauthenticated(response):
    """DRF's answer for token auth: 401 with the scheme to use, and a JSON reason."""
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_missing_token_is_401(url):
    assert_unauthenticated(APIClient().get(url))


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_bad_token_is_401(url):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert_unauthenticated(response)
    assert response.json()["detail"] == "认证令牌无效。"


@pytest.mark.django_db
def test_inactive_users_token_is_401(staff_user):
    token = Token.objects.create(user=staff_user)
    staff_user.is_active = False
    staff_user.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert_unauthenticated(client.get("/api/v1/schools/"))


@pytest.mark.django_db
def test_inactive_users_session_is_401(staff_user):
    client = APIClient()
    client.force_login(staff_user)
    staff_user.is_active = False
    staff_user.save()
    assert_unauthenticated(client.get("/api/v1/schools/"))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "patch"])
def test_valid_token_without_the_role_is_403(parent_user, leader_user, school, method):
    """A known account that may not do this: 403, and no WWW-Authenticate (a new token
    would not help)."""
    for user in (parent_user, leader_user):
        if user is leader_user and method == "get":
            continue  # a leader reads schools
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        response = getattr(client, method)(f"/api/v1/schools/{school.pk}/", {"phone": "1"}, format="json")
        assert response.status_code == 403, (user.role, response.content)
        assert "WWW-Authenticate" not in response
        assert response.json()["detail"]


@pytest.mark.django_db
def test_session_writes_need_csrf(staff_user, school):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.get(f"/api/v1/schools/{school.pk}/").status_code == 200
    assert client.patch(f"/api/v1/schools/{school.pk}/", {"phone": "1"}, format="json").status_code == 403
    # A token client is not a browser: no CSRF needed.
    token = Token.objects.create(user=staff_user)
    token_client = APIClient(enforce_csrf_checks=True)
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert token_client.patch(f"/api/v1/schools/{school.pk}/", {"phone": "1"}, format="json").status_code == 200


@pytest.mark.django_db
def test_schema_is_served_with_every_endpoint():
    client = APIClient()
    client.force_login(UserFactory(role="leader"))
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/auth/token/", "/api/v1/districts/", "/api/v1/groups/", "/api/v1/school-years/", "/api/v1/terms/",
        "/api/v1/schools/", "/api/v1/schools/{id}/", "/api/v1/schools/{id}/indicators/",
        "/api/v1/schools/{id}/stats/{year}/", "/api/v1/school-year-stats/", "/api/v1/classes/",
        "/api/v1/teachers/", "/api/v1/teachers/{id}/", "/api/v1/training-records/", "/api/v1/rotations/",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/schools/{id}/stats/{year}/"]) >= {"get", "put", "patch"}
    assert "patch" in paths["/api/v1/teachers/{id}/"]
    assert "put" not in paths["/api/v1/teachers/{id}/"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Swagger UI comes from our own static files: the bureau's network may have no internet.
    html = docs.content.decode()
    assert "cdn.jsdelivr.net" not in html and "/static/drf_spectacular_sidecar/" in html
    # The documentation is a page for people: without a login, the login page.
    anonymous = APIClient().get("/api/docs/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=/api/docs/")
