"""A parent answers the school's survey on a phone (390×844) from the access code on the
printed sheet; the inspection office closes the campaign and reads the figures (1366 px).
The browser reads the portal in Chinese; texts are looked up through the catalogue.

Screenshots in /tmp/screens/: the answer page at 390 px, the figures at 1366 px.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from inspections.models import SurveyAggregate, SurveyResponse
from tests.browser.conftest import SCREENSHOT_DIR
from tests.factories import SchoolFactory
from tests.inspections.survey_factories import answer, make_campaign

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def zh(message):
    with translation.override("zh-hans"):
        return gettext(message)


def test_a_parent_answers_on_a_phone_and_staff_read_the_figures(browser, live_server, page, login, district, school):
    small = SchoolFactory(district=district, name="测试村完小")
    campaign = make_campaign(district, [school, small])
    own = campaign.participants.get(school=school)
    answer(own, times=12)
    answer(campaign.participants.get(school=small), times=4)
    code = own.access_code

    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True,
                                has_touch=True)
    parent = phone.new_page()
    parent.goto(reverse("survey:enter"))
    parent.fill("#id_code", f"{code[:4].lower()}-{code[4:]}")  # as typed from the sheet
    parent.click("button[type=submit]")
    assert parent.url.endswith(reverse("survey:answer", args=[code]))
    assert school.name in parent.inner_text("main")

    days = parent.locator("[data-question=after_school_days]")
    # Asked only if the child takes the after-school service: survey.js (deferred) hides it,
    # so wait for the script rather than race it.
    expect(days).to_be_hidden()
    parent.select_option("#id_grade", "4")
    parent.fill("#id_q_homework_minutes", "45")
    parent.fill("#id_q_sleep_hours", "30")  # a slip: 30 hours
    parent.fill("#id_q_activity_minutes", "60")
    parent.check("input[name=q_after_school][value=yes]")
    expect(days).to_be_visible()
    parent.fill("#id_q_after_school_days", "5")
    parent.check("input[name=q_after_school_fee][value=no]")
    parent.check("input[name=q_paid_tutoring][value=no]")
    parent.check("input[name=q_satisfaction][value=satisfied]")
    parent.click(".survey-submit")
    assert "24" in parent.inner_text("[data-question=sleep_hours] .error")  # said by field
    assert SurveyResponse.objects.filter(school=school).count() == 12
    width = parent.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the answer page is {width} px wide on a phone"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    parent.screenshot(path=str(SCREENSHOT_DIR / "survey-answer-390.png"), full_page=True)
    parent.fill("#id_q_sleep_hours", "9.5")
    parent.click(".survey-submit")
    parent.wait_for_url(f"**{reverse('survey:done')}")
    assert SurveyResponse.objects.filter(school=school).count() == 13
    parent.goto(reverse("survey:answer", args=[code]))  # once per device
    assert zh("This phone or computer has answered this survey already: each answers once. Thank you.") in (
        parent.inner_text("main"))
    phone.close()

    page.set_viewport_size({"width": 1366, "height": 900})
    login(campaign.created_by.username)
    page.goto(reverse("surveys:campaign_detail", args=[campaign.pk]))
    page.click(f"button:has-text('{zh('Close and build the figures')}')")
    page.wait_for_load_state()
    assert SurveyAggregate.objects.filter(campaign=campaign).exists()
    page.goto(reverse("surveys:campaign_detail", args=[campaign.pk]))
    text = page.inner_text("main")
    assert zh("Whole district") in text and zh("too few answers") in text
    sleep = SurveyAggregate.objects.get(campaign=campaign, school=school, question__code="sleep_hours")
    assert sleep.answers == 13 and not sleep.suppressed
    assert page.locator("svg.chart").count() > 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366
    page.screenshot(path=str(SCREENSHOT_DIR / "survey-figures-1366.png"), full_page=True)
