"""Files on a phone and a desk: a parent lodges a complaint with a photo at 390 px, the
school handed the complaint sees its own answer's file and never the parent's, the office
sees both; the inspectors' visit list is filtered on a phone and a desk. Screenshots of each."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from complaints.models import Attachment, Complaint
from tests.browser.test_complaint_journey import DESKTOP, PHONE, fits
from tests.complaints.factories import audit_department, handler_for, parent
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _png():
    """A real 24×16 PNG (a thumbnail the browser draws), written by hand: no imaging library."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((40, 90, 160)) * 24 for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 24, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = _png()


def test_a_photo_from_the_parent_reaches_the_office_but_never_the_school(page, login, screenshot, school,
                                                                        principal_user, district, media, tmp_path):
    from complaints import services

    parent(username="zhangsan")
    office = handler_for(district)
    photo = tmp_path / "孩子的作业本.png"
    photo.write_bytes(PNG)
    page.set_viewport_size(PHONE)
    login("zhangsan")
    page.goto(f"{reverse('complaints:lodge')}?school={school.pk}")
    page.select_option("#id_category", "homework")
    page.fill("#id_happened_on", "2026-11-20")
    page.fill("#id_description", "三年级每天作业超过两小时，老师要求家长批改。")
    page.set_input_files("#id_files", str(photo))
    assert fits(page)
    screenshot("complaint-files-1-lodge-390")
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    complaint = Complaint.objects.get()
    assert [a.label for a in complaint.attachments.all()] == ["孩子的作业本.png"]
    assert page.locator("ul.evidence img.thumb").count() == 1
    assert fits(page)
    screenshot("complaint-files-2-parent-detail-390")

    complaint = services.complaint_accept(complaint=complaint, by=office)
    complaint = services.complaint_assign(complaint=complaint, by=office, department=audit_department(), to_school=True,
                                          due=datetime.date.today() + datetime.timedelta(days=3))
    page.context.clear_cookies()
    login(principal_user.username, PASSWORD)
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    assert "孩子的作业本" not in page.content() and page.locator("ul.evidence").count() == 0
    page.fill('form[action$="/answer/"] textarea', "已核查，三年级作业已按规定压减。")
    page.set_input_files('form[action$="/answer/"] input[type=file]', str(photo))
    with page.expect_navigation():
        page.click('form[action$="/answer/"] button[type=submit]')
    assert Attachment.objects.filter(complaint=complaint, side="school").count() == 1
    assert page.locator("ul.evidence").count() == 1 and "张三丰" not in page.content()
    page.set_viewport_size(DESKTOP)
    screenshot("complaint-files-3-school-detail-1366")

    page.context.clear_cookies()
    login(office.username, PASSWORD)
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    assert page.locator("ul.evidence li").count() == 2
    screenshot("complaint-files-4-office-detail-1366")
    page.set_viewport_size(PHONE)
    assert fits(page)
    screenshot("complaint-files-5-office-detail-390")
    # The picture itself, through the scoped view.
    response = page.request.get(reverse("complaints:attachment", args=[complaint.attachments.first().pk]))
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert Path(media).exists()


def test_the_visit_list_is_filtered_on_a_phone_and_a_desk(page, login, screenshot, school, zone, inspector_user,
                                                          staff_user):
    from tests.inspections.factories import FiledVisitFactory, VisitFactory

    FiledVisitFactory(school=school, inspector=inspector_user, date=datetime.date(2026, 3, 10))
    FiledVisitFactory(school=school, inspector=inspector_user, kind="special", date=datetime.date(2026, 4, 2))
    VisitFactory(school=school, inspector=inspector_user, date=datetime.date(2026, 4, 20))
    login(staff_user.username, PASSWORD)
    for size, name in ((PHONE, "390"), (DESKTOP, "1366")):
        page.set_viewport_size(size)
        page.goto(reverse("inspections:visit_list"))
        page.select_option("#id_kind", "special")
        page.fill("#id_month", "2026-04")
        with page.expect_navigation():
            page.click("form.filters button[type=submit]")
        assert page.locator("table tbody tr").count() == 1
        assert fits(page)
        screenshot(f"visit-list-filter-{name}")
