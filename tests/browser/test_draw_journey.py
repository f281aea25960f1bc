"""Balanced class assignment in a real browser: a principal imports a roster with a bad row,
fixes it, sets the classes, publishes the seed and draws; a parent verifies the draw on the
public page on a phone (390×844), without logging in."""

import pytest
from django.urls import reverse

from schools.models import ClassDraw
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401 (the browser fixtures)
from tests.factories import TermFactory, roster_csv, roster_rows

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(page, rows):
    data = roster_csv(rows).read()
    page.set_input_files("#id_file", files=[{"name": "新生名单.csv", "mimeType": "text/csv", "buffer": data}])
    page.click("text=导入名单 >> nth=-1")


def test_a_principal_draws_and_a_parent_verifies(principal_user, school, page, login, screenshot, browser,
                                                   live_server):
    term = TermFactory()
    login(principal_user.username)
    page.goto(reverse("schools:draw_list"))
    page.select_option("#id_term", str(term.pk))
    page.click("button:has-text('开始分班')")
    draw = ClassDraw.objects.get()
    assert page.url.endswith(reverse("schools:draw_detail", args=[draw.pk]))

    rows = roster_rows(88)
    good = rows[10]
    rows[10] = (good[0], good[1], "男", "2020-02-30", ("left_behind", "migrant"))
    upload(page, rows)
    errors = page.locator("#roster-errors")
    assert errors.is_visible()
    assert "出生日期" in errors.inner_text() and "随迁子女" in errors.inner_text()
    assert "未导入任何数据" in page.content()
    screenshot("draw-roster-errors-1366")
    rows[10] = good
    upload(page, rows)
    assert "已导入 88 名学生的名单" in page.content()

    page.fill("#id_class_count", "1")
    page.click("button:has-text('设置')")
    assert "请至少分 2 个班" in page.content()
    page.fill("#id_class_count", "2")
    page.click("button:has-text('设置')")
    page.fill("#id_seed", "2026 09 01 7")
    page.click("button:has-text('公布种子')")
    assert "种子和名单哈希值已公布" in page.content()
    page.click("#draw-now")
    assert "已完成分班，班级已锁定" in page.content()
    draw.refresh_from_db()
    assert draw.status == ClassDraw.Status.DRAWN and [len(c) for c in draw.result] == [44, 44]
    assert page.locator("figure.chart-box svg").count() >= 1
    screenshot("draw-result-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("draw-result-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A parent, on a phone, with no account: the public page and its re-run.
    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                is_mobile=True)
    parent = phone.new_page()
    parent.goto(reverse("schools:draw_verify", args=[draw.pk]))
    assert draw.roster_hash in parent.content() and "2026 09 01 7" in parent.content()
    parent.click("#rerun")
    assert "分班结果相同" in parent.locator("#rerun-result").inner_text()
    assert draw.result[1][0] in parent.content()
    assert good[1] not in parent.content()  # no names
    assert parent.evaluate("document.documentElement.scrollWidth") <= 390
    parent.screenshot(path=str(screenshot("draw-result-390").parent / "draw-verify-390.png"), full_page=True)
    phone.close()
