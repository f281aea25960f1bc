"""A principal on a phone fills in the term self-report, sees the homework value that breaks the
rule flagged as it types (with the rule's text and source) and submits it anyway; staff on a
desktop see the flag on review and return the report; the principal corrects it, the flag goes,
and staff accept it. The browser reads the portal in Chinese; texts are looked up through the
catalogue, so the test follows the translation.

Screenshots in SCREENSHOT_DIR (tests/browser/conftest.py): the form, the review and the round at 390 and
1366 px.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from bureau import rules
from inspections.models import SelfReport
from tests.browser.test_inspection_journey import PHONE, logged_in, no_sideways_scroll, phone, shot, zh
from tests.factories import TermFactory
from tests.inspections.selfreport_factories import SelfReportFactory

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1366, "height": 900}

VALUES = {"homework_grade_1": "0", "homework_grade_2": "0", "homework_grade_3": "40", "homework_grade_4": "61",
          "homework_grade_5": "50", "homework_grade_6": "60", "after_school_days": "5", "after_school_hours": "2",
          "activity_minutes": "60", "start_primary": "08:20"}


def desktop(browser, live_server, username):
    return logged_in(browser, live_server, username, viewport=DESKTOP)


def flag(page, field):
    return page.locator(f'[data-flag-for="id_{field}"]')


def test_a_principal_submits_a_breaking_report_staff_return_it_and_accept_the_correction(
    browser, live_server, school, principal_user, staff_user, media,
):
    report = SelfReportFactory(school=school, round__district=school.district)
    edit = reverse("inspections:selfreport_edit", args=[report.pk])
    with translation.override("zh-hans"):
        with_zh = rules.HOMEWORK.statement  # the rule's text as the Chinese page shows it

    # The principal, on a phone: its school's page shows the draft to fill.
    principal_ctx, page = phone(browser, live_server, principal_user.username)
    assert zh("Term self-report to send") in page.content()
    page.click(f'a[href="{edit}"]')
    page.wait_for_url(f"**{edit}")
    for name, value in VALUES.items():
        page.fill(f'[name="{name}"]', value)
    # Flagged as it is typed, before anything is sent: the rule, its text and its source.
    assert flag(page, "homework_grade_4").is_visible()
    assert with_zh in flag(page, "homework_grade_4").inner_text()
    assert zh(str(rules.HOMEWORK.source)) in flag(page, "homework_grade_4").inner_text()
    assert not flag(page, "homework_grade_3").is_visible()
    page.fill('[name="activity_minutes"]', "59")
    assert flag(page, "activity_minutes").is_visible()
    page.fill('[name="activity_minutes"]', "60")
    assert not flag(page, "activity_minutes").is_visible()
    assert no_sideways_scroll(page)
    shot(page, "selfreport-form-390")
    with page.expect_navigation():
        page.click('button[value="submit"]')
    report.refresh_from_db()
    assert (report.status, report.breaches) == (SelfReport.Status.SUBMITTED, ["homework_minutes"])
    assert with_zh in page.content()  # the report's page flags it too

    # Staff, on a desktop: the round lists it flagged; the review shows the flag; return it.
    staff_ctx, desk = desktop(browser, live_server, staff_user.username)
    desk.goto(reverse("inspections:selfreport_round", args=[report.round_id]) + "?show=flagged")
    assert no_sideways_scroll(desk)
    shot(desk, "selfreport-round-1366")
    desk.click(f'a[href="{reverse("inspections:selfreport_detail", args=[report.pk])}"]')
    assert with_zh in desk.content()
    assert no_sideways_scroll(desk)
    shot(desk, "selfreport-review-1366")
    desk.fill('[name="comments"]', "四年级书面作业平均61分钟，超过60分钟，请核实整改。")
    with desk.expect_navigation():
        desk.click('form[action$="/return/"] button[type=submit]')
    report.refresh_from_db()
    assert report.status == SelfReport.Status.RETURNED

    # The principal corrects it: the comments show, the flag goes as the value is put right.
    page.goto(edit)
    assert "请核实整改" in page.content()
    assert flag(page, "homework_grade_4").is_visible()  # the saved value, flagged by the server
    page.fill('[name="homework_grade_4"]', "60")
    assert not flag(page, "homework_grade_4").is_visible()
    with page.expect_navigation():
        page.click('button[value="submit"]')
    report.refresh_from_db()
    assert (report.status, report.breaches) == (SelfReport.Status.SUBMITTED, [])

    # Staff accept the corrected report; the review at phone width, the form at desktop width.
    desk.goto(reverse("inspections:selfreport_detail", args=[report.pk]))
    with desk.expect_navigation():
        desk.click('form[action$="/accept/"] button[type=submit]')
    report.refresh_from_db()
    assert report.status == SelfReport.Status.ACCEPTED
    desk.set_viewport_size(PHONE)
    desk.goto(reverse("inspections:selfreport_detail", args=[report.pk]))
    assert no_sideways_scroll(desk)
    shot(desk, "selfreport-review-390")
    desk.goto(reverse("inspections:selfreport_round", args=[report.round_id]))
    assert no_sideways_scroll(desk)
    shot(desk, "selfreport-round-390")
    later = SelfReportFactory(school=school, round__district=school.district, round__term=TermFactory(number=2))
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("inspections:selfreport_edit", args=[later.pk]))
    page.fill('[name="after_school_hours"]', "1.9")
    assert flag(page, "after_school_hours").is_visible()
    assert no_sideways_scroll(page)
    shot(page, "selfreport-form-1366")
    principal_ctx.close()
    staff_ctx.close()
