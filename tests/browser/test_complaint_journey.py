"""A named complaint in a real browser (issue 9): a parent registers (the code read from the
console sender) and lodges one on a 390×844 phone and
gets its tracking number; the complaints office takes it to a reply at 1366 px; the principal
it is handed to reads it without a name; the parent rates the reply and appeals."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from bureau.models import AuditLog, User
from complaints.models import Complaint

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def zh(message):
    with translation.override("zh-hans"):
        return gettext(message)


def fits(page):
    """No sideways scroll: the page is no wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def submit(page, step):
    with page.expect_navigation():
        page.click(f'form[action$="/{step}/"] button[type=submit]')


def test_a_complaint_from_a_phone_to_the_reply_and_the_appeal(page, login, screenshot, school, principal_user,
                                                             district, capsys, settings):
    settings.SMS_BACKEND = "bureau.sms.ConsoleSender"
    from tests.complaints.factories import handler_for

    office = handler_for(district)
    office.username = "jianshen1"
    office.save()

    def switch(username, *password):
        # Another person at the keyboard: a fresh browser session (the login page sends a
        # logged-in user on).
        page.context.clear_cookies()
        login(username, *password)

    # ---- a parent registers on a phone: the code is read off the console sender
    page.set_viewport_size(PHONE)
    page.goto(reverse("login"))
    with page.expect_navigation():
        page.click(f"text={zh('Register')}")
    page.fill("#id_name", "张三丰")
    page.fill("#id_mobile", "13812341234")
    capsys.readouterr()
    with page.expect_navigation():
        page.click(f"text={zh('Send the code')}")
    code = re.search(r"\[SMS to 13812341234\] \D*(\d{6})", capsys.readouterr().out).group(1)
    assert fits(page)
    screenshot("complaint-0-register-code-390")
    page.fill("#id_code", code)
    page.fill("#id_password1", "Changzhou-2026!")
    page.fill("#id_password2", "Changzhou-2026!")
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    complainant = User.objects.get(username="13812341234")
    assert complainant.role == "parent" and complainant.name == "张三丰"

    # ---- and lodges a complaint
    page.click(f"text={zh('Lodge a complaint')}")
    page.fill("#id_q", "实验")
    with page.expect_navigation():
        page.click(f"text={zh('Find the school')}")
    assert fits(page)
    screenshot("complaint-1-find-school-390")
    with page.expect_navigation():
        page.click(f"text={school.name}")
    page.select_option("#id_category", "homework")
    page.fill("#id_happened_on", "2026-09-01")
    page.fill("#id_description", "三年级每天书面作业要做到晚上十点。")
    page.fill("#id_teacher_name", "李老师")
    assert fits(page)
    screenshot("complaint-2-lodge-390")
    with page.expect_navigation():
        page.click(f"text={zh('Lodge the complaint')}")
    complaint = Complaint.objects.get()
    assert complaint.tracking_number in page.inner_text(".messages")
    assert fits(page)
    screenshot("complaint-3-lodged-390")

    # ---- the complaints office, on a desktop
    page.set_viewport_size(DESKTOP)
    switch(office.username)
    page.goto(reverse("complaints:list"))
    assert "张**" in page.content() and "张三丰" not in page.content()
    screenshot("complaint-4-office-list-1366")
    with page.expect_navigation():
        page.click(f"text={complaint.tracking_number}")
    with page.expect_navigation():
        page.click(f"text={zh('Show the full name and number (logged)')}")
    assert "13812341234" in page.content()
    assert AuditLog.objects.filter(action="view", actor=office, object_id=str(complaint.pk)).exists()
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    page.set_viewport_size(PHONE)  # the office on a phone too: its forms fit
    assert fits(page)
    screenshot("complaint-4b-office-detail-390")
    page.set_viewport_size(DESKTOP)
    submit(page, "accept")
    page.select_option('form[action$="/assign/"] select[name=department]', label="监审科")
    page.check('form[action$="/assign/"] input[name=to_school]')
    submit(page, "assign")

    # ---- the principal it is handed to, on a phone
    page.set_viewport_size(PHONE)
    switch(principal_user.username)
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    content = page.content()
    assert complaint.tracking_number in content
    for secret in ("张三丰", "张*", "13812341234", "138****1234"):
        assert secret not in content
    page.fill('form[action$="/answer/"] textarea[name=text]', "已核实，三年级作业量确实偏多，已整改。")
    submit(page, "answer")
    assert fits(page)
    screenshot("complaint-5-principal-390")

    # ---- the office concludes and replies
    page.set_viewport_size(DESKTOP)
    switch(office.username)
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    page.check('form[action$="/conclude/"] input[name=finding][value=substantiated]')
    page.check('form[action$="/conclude/"] input[name=responsibility][value=school]')
    page.fill('form[action$="/conclude/"] textarea[name=measures]', "责令学校整改，约谈分管副校长。")
    page.check('form[action$="/conclude/"] input[name=veto]')
    submit(page, "conclude")
    page.fill('form[action$="/reply/"] textarea[name=text]', "经核查，您反映的情况属实，已责令学校整改。")
    submit(page, "reply")
    assert fits(page)
    screenshot("complaint-6-office-replied-1366")

    # ---- the parent reads the reply, rates it and appeals
    page.set_viewport_size(PHONE)
    switch(complainant.username, "Changzhou-2026!")
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    assert "经核查，您反映的情况属实" in page.content()
    page.check('form[action$="/rate/"] input[name=rating][value="2"]')
    page.fill('form[action$="/rate/"] input[name=comment]', "整改不彻底")
    submit(page, "rate")
    page.fill('form[action$="/appeal/"] textarea[name=reason]', "作业量仍然超标。")
    submit(page, "appeal")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.rating) == (Complaint.Status.REOPENED, 2)
    assert zh("Reopened on appeal") in page.content()
    assert fits(page)
    screenshot("complaint-7-appealed-390")

    # ---- the office sees the veto on the school's page, and the year's figures
    page.set_viewport_size(DESKTOP)
    switch(office.username)
    page.goto(reverse("schools:school_detail", args=[school.pk]))
    assert complaint.tracking_number in page.inner_text("main")
    assert fits(page)
    screenshot("complaint-8-school-veto-1366")
    page.goto(reverse("complaints:figures"))
    assert fits(page)
    screenshot("complaint-9-figures-1366")
