"""Spreadsheet export and templates: scope, formula neutralisation, round trip."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.models import ImportJob
from bureau.sheets import jobs
from bureau.sheets.files import neutralise_formula, restore_formula_text
from bureau.sheets.registry import kinds
from schools.models import SchoolYearStat
from tests.factories import (
    RotationFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearStatFactory,
    TeacherFactory,
    TermFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.usefixtures("media", "english")

# The six kinds the schools app declares to the spreadsheet engine.
RESOURCES = {kind: resource for kind, resource in kinds().items() if resource.__module__ == "schools.resources"}


@pytest.fixture
def data(school, other_school):
    """A record of every kind in the user's district and one in the other district."""
    term = TermFactory()
    school2 = SchoolFactory(district=school.district, code="3132000002")
    records = {}
    for where, other in ((school, school2), (other_school, other_school)):
        teacher = TeacherFactory(school=where, name="=cmd|' /C calc'!A0", subject="+SUM(A1)")
        SchoolYearStatFactory(school=where, school_year=term.school_year)
        SchoolClassFactory(school=where, term=term, head_teacher=teacher)
        TrainingRecordFactory(teacher=teacher, course="@培训")
        RotationFactory(teacher=teacher, to_school=other if other != where else SchoolFactory(district=where.district))
        records[where.pk] = teacher
    return records


def read_csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows needs the BOM
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(response, sheet=0):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return book, [list(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=1", "a=1"), ("", ""), (None, None), (-5, -5),
        (datetime.date(2025, 1, 1), datetime.date(2025, 1, 1)), ("'=x", "'=x"),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


@pytest.mark.parametrize("value", ["=1+1", "+x", "-1", "@a", "\tt", "plain", "'quoted", ""])
def test_restore_formula_text_undoes_neutralise(value):
    assert restore_formula_text(neutralise_formula(value)) == value


@pytest.mark.parametrize("kind", list(RESOURCES))
def test_staff_exports_every_kind_of_their_district(client, staff_user, data, kind, school, other_school):
    client.force_login(staff_user)
    response = client.get(reverse("sheets:export_download", args=[kind, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == RESOURCES[kind].headers()
    text = "\n".join(",".join(row) for row in rows)
    assert other_school.code not in text and data[other_school.pk].staff_number not in text
    assert len(rows) > 1

    response = client.get(reverse("sheets:export_download", args=[kind, "xlsx"]))
    assert response.status_code == 200
    _book, xrows = read_xlsx(response)
    assert list(xrows[0]) == RESOURCES[kind].headers()
    assert len(xrows) == len(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_formulas(client, staff_user, data, school, fmt):
    client.force_login(staff_user)
    response = client.get(reverse("sheets:export_download", args=["teachers", fmt]))
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)[1]
    headers = rows[0]
    mine = [row for row in rows[1:] if row[headers.index("工号")] == data[school.pk].staff_number][0]
    assert mine[headers.index("姓名")] == "'=cmd|' /C calc'!A0"
    assert mine[headers.index("任教学科")] == "'+SUM(A1)"
    response = client.get(reverse("sheets:export_download", args=["trainings", fmt]))
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)[1]
    assert rows[1][1] == "'@培训"


def test_xlsx_export_keeps_codes_as_text_and_numbers_as_numbers(client, staff_user, data, school):
    client.force_login(staff_user)
    response = client.get(reverse("sheets:export_download", args=["stats", "xlsx"]))
    book, rows = read_xlsx(response)
    sheet = book.worksheets[0]
    assert sheet["A2"].value == school.code and sheet["A2"].data_type == "s" and sheet["A2"].number_format == "@"
    assert rows[1][2] == 1000  # 小学在校生数, a number cell


def test_exports_carry_number_formats(client, staff_user, data, school):
    """Issue 6: money and areas read 3,496,512.10 in Excel and stay numbers; counts are whole
    numbers; csv is plain and without needless zeros (5000, not 5000.00), and re-imports."""
    SchoolYearStat.objects.filter(school=school).update(equipment_value=Decimal("3496512.10"))
    client.force_login(staff_user)
    response = client.get(reverse("sheets:export_download", args=["stats", "xlsx"]))
    book, rows = read_xlsx(response)
    sheet = book.worksheets[0]
    money, area, count = (rows[0].index(h) for h in ("教学仪器设备值", "教学及辅助用房面积", "小学在校生数"))
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == school.code)
    assert (row[money].value, row[money].number_format) == (3496512.1, "#,##0.00")
    assert (row[area].value, row[area].number_format) == (5000, "#,##0.00")
    assert (row[count].value, row[count].number_format) == (1000, "#,##0")
    assert row[0].number_format == "@"  # codes stay text
    assert sheet.column_dimensions["C"].number_format == "#,##0"  # and values typed in later
    book, _rows = read_xlsx(client.get(reverse("sheets:export_download", args=["trainings", "xlsx"])))
    assert book.worksheets[0]["D2"].number_format == "#,##0.0"  # hours: one decimal, as stored
    csv_rows = read_csv(client.get(reverse("sheets:export_download", args=["stats", "csv"])))
    mine = next(r for r in csv_rows[1:] if r[0] == school.code)
    assert (mine[money], mine[area], mine[count]) == ("3496512.1", "5000", "1000")
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("sheets:export_download", args=["stats", fmt]))
        upload = SimpleUploadedFile(f"e.{fmt}", response.content, content_type=response["Content-Type"])
        job = jobs.import_job_create(kind="stats", upload=upload, by=staff_user, language="en")
        assert job.counts == {"new": 0, "update": 0, "unchanged": 1}, (fmt, job.message, job.errors)


def test_principal_exports_only_their_school(client, principal_user, data, school):
    client.force_login(principal_user)
    rows = read_csv(client.get(reverse("sheets:export_download", args=["teachers", "csv"])))
    assert [row[4] for row in rows[1:]] == [school.code]
    rows = read_csv(client.get(reverse("sheets:export_download", args=["schools", "csv"])))
    assert [row[0] for row in rows[1:]] == [school.code]


def test_personal_fields_are_empty_for_readers_without_access(client, leader_user, staff_user, data, school):
    client.force_login(leader_user)
    rows = read_csv(client.get(reverse("sheets:export_download", args=["teachers", "csv"])))
    headers = rows[0]
    assert {row[headers.index("出生日期")] for row in rows[1:]} == {""}
    assert {row[headers.index("教师资格证号码")] for row in rows[1:]} == {""}
    client.force_login(staff_user)
    rows = read_csv(client.get(reverse("sheets:export_download", args=["teachers", "csv"])))
    assert "1985-05-01" in {row[headers.index("出生日期")] for row in rows[1:]}


def test_parent_and_anonymous_cannot_export(client, parent_user):
    url = reverse("sheets:export_download", args=["teachers", "xlsx"])
    assert client.get(url).status_code == 302
    client.force_login(parent_user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("sheets:export_index")).status_code == 403


def test_unknown_kind_or_format_is_not_found(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("sheets:export_download", args=["pupils", "csv"])).status_code == 404
    assert client.get(reverse("sheets:export_download", args=["teachers", "ods"])).status_code == 404
    assert client.get(reverse("sheets:import_template", args=["teachers", "ods"])).status_code == 404


def test_export_index_for_readers(client, inspector_user):
    client.force_login(inspector_user)
    page = client.get(reverse("sheets:export_index")).content.decode()
    assert reverse("sheets:export_download", args=["classes", "xlsx"]) in page
    assert reverse("sheets:import_template", args=["classes", "xlsx"]) not in page


def test_export_query_count_does_not_grow_with_rows(client, staff_user, data, school, django_assert_num_queries):
    client.force_login(staff_user)
    url = reverse("sheets:export_download", args=["rotations", "csv"])
    # 1 session, 2 user, 3 child districts of the user's district (scope), 4 the rotations
    # with teacher and both schools (one join).
    with django_assert_num_queries(4):
        client.get(url)
    for n in range(5):
        RotationFactory(teacher=data[school.pk], start_date=datetime.date(2020 + n, 3, 1))
    with django_assert_num_queries(4):
        client.get(url)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_unchanged(client, staff_user, data, fmt):
    """An export is a valid import: same headers, same codes, nothing changes."""
    client.force_login(staff_user)
    for kind in RESOURCES:
        response = client.get(reverse("sheets:export_download", args=[kind, fmt]))
        upload = SimpleUploadedFile(f"export.{fmt}", response.content, content_type=response["Content-Type"])
        job = jobs.import_job_create(kind=kind, upload=upload, by=staff_user, language="en")
        assert job.status == ImportJob.Status.VALIDATED, (kind, job.message, job.errors)
        assert job.counts["new"] == 0 and job.counts["update"] == 0, (kind, job.counts)


@pytest.mark.parametrize("kind", list(RESOURCES))
def test_templates(client, staff_user, kind):
    client.force_login(staff_user)
    response = client.get(reverse("sheets:import_template", args=[kind, "xlsx"]))
    assert response.status_code == 200
    book, rows = read_xlsx(response)
    assert rows[0] == RESOURCES[kind].headers()
    assert len(rows) == 2  # headers and one example row
    assert book.worksheets[0]["A1"].font.bold
    notes = [list(row) for row in book.worksheets[1].iter_rows(values_only=True)]
    assert [row[0] for row in notes[1:len(rows[0]) + 1]] == rows[0]
    assert {row[1] for row in notes[1:len(rows[0]) + 1]} <= {"required", "optional"}
    rows = read_csv(client.get(reverse("sheets:import_template", args=[kind, "csv"])))
    assert rows[0] == RESOURCES[kind].headers() and len(rows) == 2


def test_template_code_columns_are_text_and_choices_explained(client, staff_user):
    client.force_login(staff_user)
    book, _rows = read_xlsx(client.get(reverse("sheets:import_template", args=["teachers", "xlsx"])))
    sheet = book.worksheets[0]
    assert sheet.column_dimensions["A"].number_format == "@"  # 工号
    assert sheet.column_dimensions["E"].number_format == "@"  # 学校标识码
    notes = {row[0]: row for row in book.worksheets[1].iter_rows(values_only=True)}
    assert "县级骨干" in notes["骨干级别"][2] and notes["姓名"][1] == "required"


def test_templates_are_for_data_keepers_only(client, principal_user):
    client.force_login(principal_user)
    assert client.get(reverse("sheets:import_template", args=["teachers", "csv"])).status_code == 403
