"""The surveys API: campaigns and figures scoped like the pages; the public answer endpoint."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.models import CampaignSchool, SurveyResponse
from inspections.surveys import services
from inspections.surveys.aggregates import aggregates_build
from tests.inspections.survey_factories import answer, make_campaign

pytestmark = pytest.mark.django_db

ANSWERS = {"homework_minutes": 40, "sleep_hours": 9.5, "activity_minutes": 60, "after_school": "yes",
           "after_school_days": 5, "after_school_fee": "no", "paid_tutoring": "no", "satisfaction": "very"}


def _post(client, code, answers=None, grade=4, **extra):
    return client.post(reverse("api:survey-answer-list"), {"code": code, "grade": grade,
                                                           "answers": ANSWERS if answers is None else answers},
                       format="json", **extra)


@pytest.fixture
def campaign(district, school):
    return make_campaign(district, [school])


def test_a_respondent_answers_once_through_the_api(campaign):
    client = APIClient()
    code = campaign.participants.get().access_code
    assert _post(client, code).status_code == 201
    assert SurveyResponse.objects.count() == 1
    assert _post(client, code).status_code == 409  # the cookie came back
    assert CampaignSchool.objects.get().refused_duplicate == 1


def test_field_errors_by_question(campaign):
    response = _post(APIClient(), campaign.participants.get().access_code,
                     {**ANSWERS, "homework_minutes": -5, "sleep_hours": 30})
    assert response.status_code == 400
    assert set(response.json()["answers"]) == {"homework_minutes", "sleep_hours"}
    assert not SurveyResponse.objects.exists()


def test_a_wrong_code_or_a_closed_campaign_stores_nothing(district, school, campaign):
    assert _post(APIClient(), "NOPE2345").json() == {"code": ["没有与此访问码对应的问卷。"]}
    closed = make_campaign(district, [school], status="closed")
    response = _post(APIClient(), closed.participants.get().access_code)
    assert response.status_code == 400 and "code" in response.json()
    assert not SurveyResponse.objects.exists()


def test_the_figures_are_scoped_and_suppressed(client, district, school, school_outside_zone, principal_user,
                                               inspector_user, staff_user):
    campaign = make_campaign(district, [school, school_outside_zone])
    own, near = campaign.participants.order_by("school__code")
    answer(own, times=10)
    answer(near, times=9)
    aggregates_build(campaign_id=campaign.pk)
    url = reverse("api:survey-campaign-figures", args=[campaign.pk])
    api = APIClient()
    api.force_authenticate(staff_user)
    rows = [r for r in api.get(url).json() if r["question"] == "sleep_hours"]
    assert {(r["school"], r["suppressed"]) for r in rows} == {(None, False), (school.pk, False),
                                                              (school_outside_zone.pk, True)}
    assert next(r for r in rows if r["suppressed"])["mean"] is None
    api.force_authenticate(inspector_user)  # its zone holds `school` only
    assert {r["school"] for r in api.get(url).json()} == {school.pk}
    api.force_authenticate(principal_user)
    assert api.get(url).status_code == 404  # open: not the school's yet
    services.campaign_close(campaign=campaign, by=campaign.created_by)
    rows = api.get(url).json()
    assert rows and {r["school"] for r in rows} == {school.pk}
    listed = api.get(reverse("api:survey-campaign-list")).json()
    assert [c["responses"] for c in listed["results"]] == [None]


def test_a_school_whose_sample_is_full_stores_nothing_more(campaign):
    from inspections.models import Campaign

    Campaign.objects.filter(pk=campaign.pk).update(sample_size=10)
    participant = campaign.participants.get()
    answer(participant, times=10)
    response = _post(APIClient(), participant.access_code)
    assert response.status_code == 400 and "已达到样本量（10份）" in response.json()["code"][0]
    assert SurveyResponse.objects.count() == 10
