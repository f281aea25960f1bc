"""Every answer under /api/ is JSON, the errors included, in the shapes the schema documents:
{"detail": "…"} for 401, 403, 404, 429 and 500, and {field: ["…"]} for every 400."""

import logging

import pytest
from django.urls import path
from rest_framework.test import APIClient
from rest_framework.views import APIView

from bureau import api_urls
from bureau.errors import DomainError
from tests.factories import SchoolYearFactory, SchoolYearStatFactory

API = "/api/v1/"


@pytest.fixture
def staff(staff_user):
    client = APIClient()
    client.force_login(staff_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


def json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    return response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["abc", "20255", "1999", "-1", "２０２５"])
def test_a_bad_year_of_a_schools_statistics_is_a_json_404(staff, school, year):
    SchoolYearStatFactory(school=school, school_year=SchoolYearFactory(start_year=2025))
    assert staff.get(f"{API}schools/{school.pk}/stats/2025/").status_code == 200
    for method in ("get", "patch", "put"):
        body = json_error(getattr(staff, method)(f"{API}schools/{school.pk}/stats/{year}/", {}, format="json"), 404)
        assert body == {"detail": f"平台中尚无 {year} 学年。"}


@pytest.mark.django_db
def test_a_missing_record_is_a_json_404_that_names_no_model(staff):
    assert json_error(staff.get(f"{API}schools/999999/"), 404) == {"detail": "未找到。"}
    assert json_error(staff.get(f"{API}schools/not-a-number/"), 404) == {"detail": "未找到。"}


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_json_404(staff):
    # Outside every DRF view: the site-wide handler404 (bureau/views.py) answers JSON under /api/.
    json_error(staff.get("/api/v1/no-such-thing/"), 404)
    json_error(staff.get(f"{API}schools/1/stats/"), 404)


@pytest.mark.django_db
def test_every_400_has_the_field_errors_shape(staff, school):
    url = f"{API}schools/{school.pk}/"
    # DRF's own ParseError says {"detail": "…"}; the API's 400s all carry lists.
    body = json_error(staff.generic("PATCH", url, "{not json", content_type="application/json"), 400)
    assert list(body) == ["detail"] and isinstance(body["detail"], list)
    body = json_error(staff.patch(url, {"stage": "castle"}, format="json"), 400)
    assert list(body) == ["stage"] and isinstance(body["stage"], list)


class Crashes(APIView):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("a bug")

    def post(self, request):
        raise DomainError("不能这样做")


@pytest.fixture
def crash_url(settings):
    """A throwaway API view added to the API's URLconf for the test."""
    urlconf = type("urlconf", (), {"urlpatterns": [path("api/crash/", Crashes.as_view()), *api_urls.urlpatterns]})
    settings.ROOT_URLCONF = urlconf
    return "/api/crash/"


@pytest.mark.django_db
def test_a_crash_in_an_api_view_answers_json_500_and_is_reported(crash_url, caplog):
    client = APIClient(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        body = json_error(client.get(crash_url), 500)
    assert body == {"detail": "服务器出现了错误。"}
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and record.exc_info[0] is RuntimeError  # logged with its traceback
    # got_request_exception was sent: the test client re-raises it, as it does for any view.
    with pytest.raises(RuntimeError, match="a bug"):
        APIClient().get(crash_url)


@pytest.mark.django_db
def test_a_domain_error_is_a_400_with_its_message(crash_url):
    assert json_error(APIClient().post(crash_url), 400) == {"detail": ["不能这样做"]}
