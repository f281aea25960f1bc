"""The portal's own error pages (issue 6, "Error pages"; issue 13: JSON under /api/), the
one-line 403 log, and the small things around them (locked-out page, favicon, axes banner)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from bureau import views
from tests.factories import PASSWORD

ROOT = Path(settings.BASE_DIR)


def zh(msgid):
    """The Chinese the page shows for an English msgid (whatever the catalogue holds now)."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def assert_portal_page(response, template, title):
    page = response.content.decode()
    assert template in [t.name for t in response.templates]
    assert '<html lang="zh-hans">' in page
    assert zh("Education Bureau Portal") in page  # the portal's header
    assert f'href="{reverse("home")}"' in page and zh("Back to the home page") in page
    assert zh(title) in page
    assert "Traceback" not in page and "URLconf" not in page


@pytest.mark.django_db
def test_a_record_outside_ones_scope_gets_the_portals_404(client, staff_user, other_school):
    client.force_login(staff_user)
    response = client.get(reverse("schools:school_detail", args=[other_school.pk]))
    assert response.status_code == 404
    assert_portal_page(response, "404.html", "Page not found")
    assert staff_user.display_name in response.content.decode()  # logged in: the usual header


@pytest.mark.django_db
def test_a_page_ones_role_may_not_use_gets_the_portals_403(client, parent_user):
    client.force_login(parent_user)
    response = client.get(reverse("schools:school_list"))
    assert response.status_code == 403
    assert_portal_page(response, "403.html", "Not open to your account")


@pytest.mark.django_db
def test_a_crash_gets_the_portals_500(monkeypatch, staff_user):
    def crash(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.home_panels, "landing_url", crash)
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    page = response.content.decode()
    assert zh("Server error") in page and f'href="{reverse("home")}"' in page
    assert "boom" not in page


def test_the_500_page_needs_no_database_and_no_request_context():
    # No django_db mark: any query here fails the test. Django renders 500.html without the
    # request, so no user, no context processors.
    with translation.override("zh-hans"):
        response = views.server_error(RequestFactory().get("/schools/1/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="zh-hans">' in page and 'class="topbar"' in page
    assert zh("Server error") in page and f'href="{reverse("home")}"' in page
    assert "css/portal.css" in page


@pytest.mark.django_db
def test_an_expired_form_gets_a_portal_page(staff_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "staff1", "password": PASSWORD})
    assert response.status_code == 403
    page = response.content.decode()
    assert zh("The form has expired") in page and f'href="{reverse("home")}"' in page


# ---- JSON under /api/ ------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_errors_are_json(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(("handler", "status"), [
    (lambda r: views.server_error(r), 500),
    (lambda r: views.permission_denied(r, None), 403),
    (lambda r: views.page_not_found(r, None), 404),
    (lambda r: views.bad_request(r, None), 400),
])
def test_every_error_handler_answers_json_under_api(handler, status):
    response = handler(RequestFactory().get("/api/v1/schools/"))
    assert response.status_code == status and response["Content-Type"] == "application/json"
    detail = json.loads(response.content)["detail"]
    # The API's shapes: a 400 lists its reasons, every other error says one thing.
    assert isinstance(detail, list if status == 400 else str) and detail


def test_the_handlers_are_the_portals():
    from bureau import urls

    assert (urls.handler400, urls.handler403, urls.handler404, urls.handler500) == (
        views.bad_request, views.permission_denied, views.page_not_found, views.server_error,
    )


# ---- a 403 is one line in the log ---------------------------------------------------------


LOG_A_403 = """
import django, logging
from django.core.exceptions import PermissionDenied
django.setup()
try:
    raise PermissionDenied
except PermissionDenied as exc:
    # What django.core.handlers.exception.response_for_exception logs for a refused page.
    logging.getLogger("django.request").warning(
        "Forbidden (Permission denied): %s", "/schools/", extra={"status_code": 403}, exc_info=exc,
    )
"""


@pytest.mark.parametrize("debug", ["1", "0"])
def test_a_403_is_one_line_in_the_real_logging_config(debug):
    # The suite's own log capture stands in the way in-process: ask a fresh process, with the
    # real settings, in debug (where Django's own handler printed it a second time) and not.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))}
    env.update(DJANGO_SETTINGS_MODULE="bureau.settings", DJANGO_DEBUG=debug, DJANGO_SECRET_KEY="x" * 60)
    result = subprocess.run(
        [sys.executable, "-c", LOG_A_403], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).strip().splitlines() == ["Forbidden (Permission denied): /schools/"]


@pytest.mark.django_db
def test_a_403_is_logged_as_one_line_without_traceback(client, parent_user, caplog):
    client.force_login(parent_user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("schools:school_list")).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].getMessage() == f"Forbidden (Permission denied): {reverse('schools:school_list')}"
    assert records[0].exc_info is None and not records[0].exc_text
    assert "Traceback" not in caplog.text


# ---- small things --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_locked_out_page_leads_back_to_login(client, staff_user):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "staff1", "password": f"wrong-{attempt}"})
    assert response.status_code == 429
    page = response.content.decode()
    assert f'href="{reverse("login")}"' in page and zh("Back to log in") in page


@pytest.mark.django_db
def test_pages_link_a_favicon_that_exists(client):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg")


def test_the_axes_banner_is_not_printed_at_start():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))}
    env["DJANGO_SETTINGS_MODULE"] = "bureau.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "AXES: BEGIN" not in result.stdout + result.stderr
