"""A staff member imports teachers in a real browser: template, a file with bad rows, a good
file, confirm, and the teachers on the teacher list.

The files are built here from the import resource's own columns (schools/resources.py),
so the test follows the real file format. The browser reads the portal in Chinese.
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from bureau.models import AuditLog, ImportJob
from schools.models import Teacher
from schools.resources import TeacherResource

pytestmark = pytest.mark.browser

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNKNOWN_SCHOOL = "3132009999"
NOT_A_DATE = "1990/13/45"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # Uploaded files go to this test's own folder (the live server runs in this process).
    settings.MEDIA_ROOT = tmp_path / "media"


def teacher(school, n, /, **cells):
    """One teacher row, by resource field name, as a staff member would type it."""
    return {
        "staff_number": f"T90000{n:02d}", "name": f"测试教师{n}", "gender": "女" if n % 2 else "男",
        "birth_date": "1990-01-02", "school": school.code, "section": "小学", "subject": "数学",
        "education": "本科", "certificate_type": "小学", "certificate_number": f"201032040000{n:02d}",
        "title": "二级教师", "backbone_level": "无", "is_sports_arts": "否", "hire_date": "2012-09-01",
        "is_head_teacher": "否", "status": "在岗", **cells,
    }


def rows_of(*records):
    fields = TeacherResource.ordered_fields()
    return [TeacherResource.headers()] + [[record.get(name, "") for name, _field in fields] for record in records]


def csv_bytes(rows):
    # As Excel on a Chinese Windows saves "CSV UTF-8": with a byte order mark.
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def zh(message, **params):
    with translation.override("zh-hans"):
        return gettext(message) % params


def upload(page, *, name, data, mime):
    """Choose the kind and the file on the import page and submit; returns the response."""
    page.select_option("#id_kind", "teachers")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    with page.expect_navigation() as navigation:
        page.click(f"form[action='{reverse('sheets:import_upload')}'] button[type=submit]")
    return navigation.value


def test_staff_imports_teachers_through_the_pages(staff_user, school, page, login, screenshot, live_server, tmp_path):
    assert login(staff_user.username).status == 200

    # The top navigation leads to the import page.
    with page.expect_navigation():
        page.click(f'nav.mainnav a[href="{reverse("sheets:import_start")}"]')
    assert page.url == live_server.url + reverse("sheets:import_start")
    assert page.locator("#id_file").count() == 1
    screenshot("import-start")

    # The teachers' template arrives as an xlsx with the Chinese column headers.
    template_url = reverse("sheets:import_template", args=["teachers", "xlsx"])
    with page.expect_download() as download_info:
        page.click(f'a[href="{template_url}"]')
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    saved = tmp_path / "template.xlsx"
    download.save_as(saved)
    book = openpyxl.load_workbook(saved)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == TeacherResource.headers()
    assert header[:5] == ["工号", "姓名", "性别", "出生日期", "学校标识码"]

    # The staff member fills in the template (over its example row): an unknown school code
    # in row 3, a date that is not one in row 4.
    bad = rows_of(
        teacher(school, 1),
        teacher(school, 2, school=UNKNOWN_SCHOOL),
        teacher(school, 3, birth_date=NOT_A_DATE),
    )
    for number, row in enumerate(bad[1:], start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value or None)
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(page, name="教师-有错.xlsx", data=buffer.getvalue(), mime=XLSX_TYPE)
    assert response.status == 200, response.status
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.error_count == 2, job.errors
    assert page.url == live_server.url + reverse("sheets:import_job", args=[job.pk])
    cells = [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in page.locator("table.problems tbody tr").all()
    ]
    assert cells == [
        ["3", "学校标识码", zh("Unknown school code %(value)s.", value=UNKNOWN_SCHOOL)],
        ["4", "出生日期", zh("“%(value)s” is not a date; write it as 2025-09-01.", value=NOT_A_DATE)],
    ], cells
    # The page says nothing was imported and offers no confirmation.
    assert page.locator("form[action$='/confirm/']").count() == 0
    with translation.override("zh-hans"):
        heading = ngettext(
            "%(n)s problem found — nothing was imported", "%(n)s problems found — nothing was imported", 2
        ) % {"n": 2}
    assert page.locator("h2", has_text=heading).count() == 1, page.locator("h2").all_inner_texts()
    screenshot("import-preview-errors")
    # Nothing was written, not even the good first row.
    assert Teacher.objects.count() == 0
    assert not AuditLog.objects.filter(action=AuditLog.Action.IMPORT).exists()

    # A corrected file, as csv: the preview counts three new teachers.
    page.click(f'a[href="{reverse("sheets:import_start")}?kind=teachers"]')
    page.wait_for_url(f"**{reverse('sheets:import_start')}?kind=teachers")
    assert page.locator("#id_kind").input_value() == "teachers"
    good = rows_of(teacher(school, 1), teacher(school, 2), teacher(school, 3))
    response = upload(page, name="教师.csv", data=csv_bytes(good), mime="text/csv")
    assert response.status == 200
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.VALIDATED, (job.status, job.errors, job.message)
    assert page.locator("[data-count=new]").inner_text().strip() == "3"
    assert page.locator("[data-count=update]").inner_text().strip() == "0"
    assert page.locator("table.problems tbody tr").count() == 0  # no problem listed
    screenshot("import-preview-valid")
    assert Teacher.objects.count() == 0  # a preview writes nothing

    # Confirm: the done page counts the created teachers.
    with page.expect_navigation() as navigation:
        page.click(f"form[action='{reverse('sheets:import_job_confirm', args=[job.pk])}'] button[type=submit]")
    assert navigation.value.status == 200
    assert page.url == live_server.url + reverse("sheets:import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert page.locator("[data-count=new]").inner_text().strip() == "3"
    assert page.locator("form[action$='/confirm/']").count() == 0
    screenshot("import-done")

    teachers = Teacher.objects.order_by("staff_number")
    assert [(t.staff_number, t.name, t.school_id, t.district_id) for t in teachers] == [
        (f"T90000{n:02d}", f"测试教师{n}", school.pk, school.district_id) for n in (1, 2, 3)
    ]
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT).count() == 3

    # …and they are on the teacher list.
    with page.expect_navigation():
        page.click(f'nav.mainnav a[href="{reverse("schools:teacher_list")}"]')
    table = page.locator("table tbody").inner_text()
    for n in (1, 2, 3):
        assert f"T90000{n:02d}" in table and f"测试教师{n}" in table, table
    assert school.name in table
    screenshot("import-teacher-list")
