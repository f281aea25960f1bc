"""Survey pages: the public answer page (no account), and the figures as each role reads them."""

import pytest
from django.urls import reverse

from inspections.models import CampaignSchool, SurveyAnswer, SurveyResponse
from inspections.surveys.aggregates import aggregates_build
from tests.factories import SchoolFactory
from tests.inspections.survey_factories import answer, make_campaign
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

GOOD = {"grade": "4", "q_homework_minutes": "40", "q_sleep_hours": "9.5", "q_activity_minutes": "60",
        "q_after_school": "no", "q_paid_tutoring": "no", "q_satisfaction": "very"}


@pytest.fixture
def campaign(district, school):
    return make_campaign(district, [school])


def _url(campaign):
    return reverse("survey:answer", args=[campaign.participants.get().access_code])


class TestAnswerPage:
    def test_a_parent_answers_once_from_one_device(self, client, campaign):
        page = client.get(_url(campaign))
        assert page.status_code == 200 and "家长“减负提质”问卷" in page.content.decode()
        done = client.post(_url(campaign), GOOD)
        assert done.status_code == 302 and done["Location"] == reverse("survey:done")
        assert SurveyResponse.objects.count() == 1
        again = client.post(_url(campaign), GOOD)
        assert again.status_code == 409 and SurveyResponse.objects.count() == 1
        assert CampaignSchool.objects.get().refused_duplicate == 1

    def test_the_code_is_typed_with_or_without_dash_in_any_case(self, client, campaign):
        code = campaign.participants.get().access_code
        typed = f"{code[:4].lower()}-{code[4:]}"
        response = client.get(reverse("survey:enter"), {"code": typed})
        assert response.status_code == 302 and response["Location"] == _url(campaign)

    def test_a_wrong_code_gets_a_clear_page_and_stores_nothing(self, client, campaign):
        response = client.post(reverse("survey:answer", args=["WRONG234"]), GOOD)
        assert response.status_code == 404 and "访问码" in response.content.decode()
        assert client.get(reverse("survey:enter"), {"code": "NOPE"}).status_code == 404
        assert not SurveyResponse.objects.exists()

    def test_a_closed_campaign_gets_a_clear_page_and_stores_nothing(self, client, district, school):
        closed = make_campaign(district, [school], status="closed")
        response = client.post(_url(closed), GOOD)
        assert response.status_code == 410 and "已结束" in response.content.decode()
        assert not SurveyResponse.objects.exists()

    def test_out_of_range_numbers_show_field_errors(self, client, campaign):
        response = client.post(_url(campaign), {**GOOD, "q_homework_minutes": "-5", "q_sleep_hours": "30"})
        assert response.status_code == 400 and not SurveyAnswer.objects.exists()
        body = response.content.decode()
        assert "请填写 0 或更大的数" in body or "0" in body

    def test_one_network_is_limited_and_the_refusals_are_counted(self, client, campaign, settings):
        settings.SURVEY_ANSWERS_PER_ADDRESS_HOUR = 3
        settings.PUBLIC_PAGE_RATE_PER_MINUTE = 1000
        codes = []
        for _n in range(5):
            client.cookies.clear()  # a script that drops its cookie: a "new device" each time
            codes.append(client.post(_url(campaign), GOOD, REMOTE_ADDR="203.0.113.7").status_code)
        assert codes == [302, 302, 302, 429, 429]
        assert SurveyResponse.objects.count() == 3
        assert CampaignSchool.objects.get().refused_limit == 2

    def test_text_answers_are_escaped_on_the_page(self, client, campaign):
        response = client.post(_url(campaign), {**GOOD, "grade": "", "q_suggestion": "<script>alert(1)</script>"})
        assert response.status_code == 400
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body

    def test_skipped_questions_are_marked_for_the_script(self, client, campaign):
        body = client.get(_url(campaign)).content.decode()
        assert 'data-if="after_school" data-if-values="yes"' in body


class TestFiguresPages:
    @pytest.fixture
    def closed(self, district, school, school_outside_zone):
        campaign = make_campaign(district, [school, school_outside_zone])
        own, near = campaign.participants.order_by("school__code")
        answer(own, times=12)
        answer(near, times=4)
        aggregates_build(campaign_id=campaign.pk)
        from inspections.surveys import services

        return services.campaign_close(campaign=campaign, by=campaign.created_by)

    def test_staff_see_the_district_and_every_school(self, client, staff_user, closed, school, school_outside_zone):
        client.force_login(staff_user)
        body = client.get(reverse("surveys:campaign_detail", args=[closed.pk])).content.decode()
        assert "全区" in body and school.name in body and school_outside_zone.name in body
        assert "回答太少" in body  # the school of 4 answers

    def test_a_principal_sees_its_own_school_only_and_no_code(self, client, principal_user, closed,
                                                              school_outside_zone):
        client.force_login(principal_user)
        response = client.get(reverse("surveys:campaign_detail", args=[closed.pk]))
        body = response.content.decode()
        assert response.status_code == 200 and school_outside_zone.name not in body
        assert closed.participants.get(school=principal_user.school).access_code not in body
        assert "全区" not in body

    def test_a_principal_sees_nothing_while_the_campaign_is_open(self, client, principal_user, campaign):
        client.force_login(principal_user)
        assert client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).status_code == 404

    def test_the_export_withholds_small_schools(self, client, staff_user, closed):
        import io

        import openpyxl

        client.force_login(staff_user)
        response = client.get(reverse("surveys:campaign_export", args=[closed.pk]))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
        assert any(r[4] == "回答太少" and r[3] == 4 for r in rows)

    def test_the_sheets_are_a_pdf_with_the_codes(self, client, district, school):
        campaign = make_campaign(district, [school], status="draft")
        client.force_login(campaign.created_by)
        response = client.get(reverse("surveys:campaign_sheets", args=[campaign.pk]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        text = pdf_text(response.content).replace(" ", "")
        code = campaign.participants.get(school=school).access_code
        assert school.name.replace(" ", "") in text and f"{code[:4]}-{code[4:]}" in text

    def test_the_campaign_list_costs_the_same_for_more_campaigns(self, client, district,
                                                                 django_assert_num_queries):
        schools = [SchoolFactory(district=district) for _n in range(3)]
        first = make_campaign(district, schools)
        client.force_login(first.created_by)
        url = reverse("surveys:campaign_list")
        client.get(url)
        # session, user, scope districts, campaigns with their schools and answers (subqueries)
        with django_assert_num_queries(4):
            client.get(url)
        make_campaign(district, schools, staff=first.created_by)
        with django_assert_num_queries(4):
            client.get(url)


def test_a_school_whose_sample_is_full_gets_a_clear_page_and_stores_nothing(client, district, school):
    from inspections.models import Campaign

    campaign = make_campaign(district, [school])
    Campaign.objects.filter(pk=campaign.pk).update(sample_size=10)
    answer(campaign.participants.get(), times=10)
    page = client.get(_url(campaign))
    assert page.status_code == 410 and "已达到" in page.content.decode()
    posted = client.post(_url(campaign), GOOD)
    assert posted.status_code == 410 and "已达到" in posted.content.decode()
    assert SurveyResponse.objects.count() == 10
