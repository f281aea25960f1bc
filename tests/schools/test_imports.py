
"""Spreadsheet import: every kind, every kind of bad row, the file checks, atomicity,
scope, the pages and the background path."""

import csv
import datetime
import io
import os
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from bureau.errors import DomainError
from bureau.models import AuditLog, ImportJob, Role
from bureau.sheets import engine, files, jobs
from bureau.sheets.registry import kinds
from schools.models import (
    Rotation,
    School,
    SchoolClass,
    SchoolYearStat,
    Teacher,
    TrainingRecord,
)
from schools.resources import TeacherResource
from tests.factories import (
    SchoolFactory,
    SchoolYearStatFactory,
    TeacherFactory,
    TermFactory,
    TrainingRecordFactory,
    UserFactory,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The six kinds the schools app declares to the spreadsheet engine.
RESOURCES = {kind: resource for kind, resource in kinds().items() if resource.__module__ == "schools.resources"}


pytestmark = pytest.mark.usefixtures("media", "english")


@pytest.fixture
def term(db):
    return TermFactory()  # 2025-2026, first term


@pytest.fixture
def school2(district):
    return SchoolFactory(district=district, code="3132000002", name="天宁区第二小学")


@pytest.fixture
def teacher(school):
    return TeacherFactory(school=school, staff_number="T0000001", name="李老师")


# ---- building files -----------------------------------------------------------------


def sheet(kind, *records):
    """[headers, rows…] of a kind, each record a {resource field name: cell} dict."""
    fields = RESOURCES[kind].ordered_fields()
    return [[f.column_name for _n, f in fields]] + [[record.get(name, "") for name, _f in fields] for record in records]


def csv_bytes(rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    ws = book.active
    for row in rows:
        ws.append([None if cell == "" else cell for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(rows, fmt="csv", name=None, **kwargs):
    data = csv_bytes(rows, **kwargs) if fmt == "csv" else xlsx_bytes(rows)
    return SimpleUploadedFile(name or f"data.{fmt}", data, content_type="text/csv" if fmt == "csv" else XLSX_TYPE)


def run(kind, rows, user, fmt="csv", confirm=True, **kwargs):
    job = jobs.import_job_create(kind=kind, upload=upload(rows, fmt, **kwargs), by=user, language="en")
    if confirm and job.status == ImportJob.Status.VALIDATED:
        job = jobs.import_job_confirm(job=job, by=user)
    return job


def errors_of(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def has_error(job, row, column, text):
    return any(r == row and c == column and text in m for r, c, m in errors_of(job)), errors_of(job)


# ---- every kind: create, then update, audited ---------------------------------------

TEACHER = {
    "staff_number": "T9000001", "name": "王老师", "gender": "女", "birth_date": "1990-01-02", "school": "3132000001",
    "section": "小学", "subject": "数学", "education": "本科", "certificate_type": "小学",
    "certificate_number": "20103204000009", "title": "二级教师", "backbone_level": "县级骨干", "is_sports_arts": "否",
    "hire_date": "2012-09-01", "is_head_teacher": "是", "status": "在岗",
}


def kind_cases():
    """(kind, records to create, record changed on the second import, model, field, new value)."""
    stat = {name: RESOURCES["stats"].example[name] for name in RESOURCES["stats"].example}
    return {
        "schools": (
            [{"code": "3132000101", "name": "新城小学", "stage": "小学", "location": "城区", "ownership": "公办",
              "is_boarding": "否", "status": "正常"},
             {"code": "3132000102", "name": "新城初中", "stage": "junior", "location": "乡村", "ownership": "民办",
              "is_village_full": "是"}],
            {"name": "新城实验小学"}, School, "name", "新城实验小学",
        ),
        "stats": (
            [{**stat, "school": "3132000001"}, {**stat, "school": "3132000002", "primary_students": 800}],
            {"primary_students": 1300}, SchoolYearStat, "primary_students", 1300,
        ),
        "classes": (
            [{"school": "3132000001", "term": "2025-2026-1", "grade": 1, "number": 1, "boys": 20, "girls": 21,
              "head_teacher": "T0000001", "equipment_value": "50000", "is_starting_grade": "是"},
             {"school": "3132000001", "term": "2025-2026-1", "grade": 1, "number": 2, "boys": 19, "girls": 22}],
            {"boys": 23}, SchoolClass, "boys", 23,
        ),
        "teachers": (
            [TEACHER, {**TEACHER, "staff_number": "T9000002", "name": "赵老师", "gender": "男", "section": "",
                       "backbone_level": "", "title": "无"}],
            {"title": "一级教师"}, Teacher, "title", "first",
        ),
        "trainings": (
            [{"teacher": "T0000001", "course": "新课标培训", "date": "2025-07-10", "hours": "24"},
             {"teacher": "T0000001", "course": "心理健康教育", "date": "2025/8/1", "hours": 12}],
            {"hours": "30"}, TrainingRecord, "hours", Decimal("30"),
        ),
        "rotations": (
            [{"teacher": "T0000001", "start_date": "2025-09-01", "from_school": "3132000001",
              "to_school": "3132000002", "kind_": "支教", "end_date": "2026-07-15"},
             {"teacher": "T0000001", "start_date": "2024-09-01", "to_school": "3132000002", "kind_": "exchange"}],
            {"end_date": "2026-01-20"}, Rotation, "end_date", datetime.date(2026, 1, 20),
        ),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", list(RESOURCES))
def test_each_kind_creates_then_updates_with_audit(kind, fmt, staff_user, school, school2, teacher, term):
    records, change, model, field, new_value = kind_cases()[kind]
    before = model.objects.count()

    job = run(kind, sheet(kind, *records), staff_user, fmt)

    assert job.status == ImportJob.Status.DONE, (job.message, errors_of(job))
    assert job.counts == {"new": 2, "update": 0, "unchanged": 0}
    assert model.objects.count() == before + 2
    created = list(AuditLog.objects.filter(action=AuditLog.Action.IMPORT))
    assert len(created) == 2
    assert all(a.actor == staff_user and a.changes for a in created)
    assert all(old is None for a in created for old, _new in a.changes.values())

    changed = {**records[0], **change}
    job = run(kind, sheet(kind, changed, records[1]), staff_user, fmt)

    assert job.status == ImportJob.Status.DONE, (job.message, errors_of(job))
    assert job.counts == {"new": 0, "update": 1, "unchanged": 1}
    assert model.objects.count() == before + 2
    assert model.objects.filter(**{field: new_value}).count() == 1
    update = AuditLog.objects.filter(action=AuditLog.Action.IMPORT).order_by("-id").first()
    assert update.action == "import" and update.actor == staff_user
    old, new = update.changes[field]
    assert old != new
    assert new == (new_value.isoformat() if isinstance(new_value, datetime.date) else new_value) or (
        Decimal(new) == new_value)


def test_created_values_and_choice_labels(staff_user, school, term):
    job = run("teachers", sheet("teachers", TEACHER, {**TEACHER, "staff_number": "T9000002", "section": ""}), staff_user)
    assert job.status == ImportJob.Status.DONE
    t = Teacher.objects.get(staff_number="T9000001")
    assert (t.gender, t.education, t.backbone_level, t.title, t.section) == ("F", "bachelor", "county", "second", "primary")
    assert t.district_id == school.district_id and t.is_head_teacher and t.birth_date == datetime.date(1990, 1, 2)
    # An empty section takes the school's first section (schools.services.default_section).
    assert Teacher.objects.get(staff_number="T9000002").section == "primary"


def test_teacher_import_reevaluates_school_indicators(staff_user, school, term):
    stat = SchoolYearStatFactory(school=school, school_year=term.school_year, primary_students=100)
    assert stat.meets_resource_standard is None
    job = run("teachers", sheet("teachers", TEACHER), staff_user)
    assert job.status == ImportJob.Status.DONE
    stat.refresh_from_db()
    assert stat.meets_resource_standard is not None


def test_school_import_defaults_to_own_district_and_resolves_group(staff_user, district):
    from tests.factories import EducationGroupFactory

    EducationGroupFactory(district=district, name="天宁教育集团")
    rows = sheet("schools", {"code": "3132000201", "name": "集团小学", "stage": "小学", "location": "城区",
                             "group": "天宁教育集团"})
    job = run("schools", rows, staff_user)
    assert job.status == ImportJob.Status.DONE, errors_of(job)
    new = School.objects.get(code="3132000201")
    assert new.district == district and new.group.name == "天宁教育集团"


# ---- every kind of bad row, with its row and column ----------------------------------


def test_missing_value(staff_user, school, term):
    job = run("teachers", sheet("teachers", TEACHER, {**TEACHER, "staff_number": "T9000002", "name": ""}), staff_user)
    assert job.status == ImportJob.Status.FAILED
    assert has_error(job, 3, "姓名", "A value is required")[0], errors_of(job)
    assert not Teacher.objects.filter(staff_number="T9000001").exists()


def test_wrong_types(staff_user, school, term):
    job = run("teachers", sheet("teachers", {**TEACHER, "birth_date": "1990-13-45"}), staff_user)
    assert has_error(job, 2, "出生日期", "is not a date")[0], errors_of(job)
    stat = {**RESOURCES["stats"].example, "school": "3132000001", "primary_students": "一千"}
    job = run("stats", sheet("stats", stat), staff_user)
    assert has_error(job, 2, "小学在校生数", "is not a number")[0], errors_of(job)
    job = run("stats", sheet("stats", {**stat, "primary_students": "12.5"}), staff_user)
    assert has_error(job, 2, "小学在校生数", "is not a whole number")[0], errors_of(job)


def test_unknown_school_code(staff_user, school, term):
    job = run("teachers", sheet("teachers", {**TEACHER, "school": "3132009999"}), staff_user)
    assert has_error(job, 2, "学校标识码", "Unknown school code 3132009999")[0], errors_of(job)


def test_all_problems_of_a_row_are_listed(staff_user, school, term):
    row = {**TEACHER, "school": "3132009999", "name": "", "birth_date": "1990-13-02", "gender": "?"}
    job = run("teachers", sheet("teachers", row), staff_user)
    assert sorted(c for _r, c, _m in errors_of(job)) == sorted(["学校标识码", "姓名", "出生日期", "性别"])


def test_values_out_of_range(staff_user, school, teacher, term):
    rows = sheet(
        "classes",
        {"school": "3132000001", "term": "2025-2026-1", "grade": 13, "number": 1, "boys": 20, "girls": 20},
        {"school": "3132000001", "term": "2025-2026-1", "grade": 2, "number": 1, "boys": 500, "girls": -1},
    )
    job = run("classes", rows, staff_user)
    assert has_error(job, 2, "年级", "Enter 12 or less")[0], errors_of(job)
    assert has_error(job, 3, "男生数", "Enter 200 or less")[0], errors_of(job)
    assert has_error(job, 3, "女生数", "Enter 0 or more")[0], errors_of(job)
    job = run("trainings", sheet("trainings", {"teacher": "T0000001", "course": "x", "date": "2025-01-01",
                                               "hours": "600"}), staff_user)
    assert has_error(job, 2, "学时", "Enter 500 or less")[0], errors_of(job)


def test_grade_outside_school_stage_uses_service_rule(staff_user, school, term):
    rows = sheet("classes", {"school": "3132000001", "term": "2025-2026-1", "grade": 8, "number": 1})
    job = run("classes", rows, staff_user)
    assert has_error(job, 2, "年级", "Grade 8 is not taught")[0], errors_of(job)


def test_unknown_choice(staff_user, school, term):
    job = run("teachers", sheet("teachers", {**TEACHER, "education": "小学毕业", "backbone_level": "国家级"}), staff_user)
    assert has_error(job, 2, "学历", "Unknown value “小学毕业”. Allowed: 中专/高中、大专、本科、硕士、博士")[0], errors_of(job)
    assert has_error(job, 2, "骨干级别", "Unknown value “国家级”")[0]


def test_duplicate_key_in_file(staff_user, school, term):
    job = run("teachers", sheet("teachers", TEACHER, {**TEACHER, "name": "重复"}, {**TEACHER, "staff_number": "T2"}),
              staff_user)
    assert errors_of(job) == [(3, "工号", "Duplicate key: this record already appears in row 2 of the file.")]


def test_leading_zeros_lost(staff_user, district, term):
    SchoolFactory(district=district, code="0132000001")
    rows = sheet("teachers", {**TEACHER, "school": 132000001}, {**TEACHER, "staff_number": "T2", "school": 3132000000})
    job = run("teachers", rows, staff_user, "xlsx")
    assert errors_of(job) == [
        (2, "学校标识码", "“132000001” has 9 digits instead of 10: the leading zeros were lost. "
                         "Format the column as text and type the code again."),
        (3, "学校标识码", "Unknown school code 3132000000. The cell holds a number, not text: if the code starts with "
                         "zeros or was shown as 3.13E+09, its leading zeros and digits were lost. Format the column as "
                         "text and type the code again."),
    ]
    # The same in a CSV that Excel saved after showing the codes as numbers.
    rows = sheet("teachers", {**TEACHER, "school": "132000001"}, {**TEACHER, "staff_number": "T2", "school": "3.132e9"},
                 {**TEACHER, "staff_number": "T3", "school": "3.13E+09"})
    job = run("teachers", rows, staff_user, "csv")
    assert has_error(job, 2, "学校标识码", "the leading zeros were lost")[0], errors_of(job)
    assert has_error(job, 3, "学校标识码", "“3.132e9” arrived as a number, so the leading zeros and digits")[0]
    assert has_error(job, 4, "学校标识码", "Format the column as text")[0]


def test_code_widget_refuses_floats():
    from bureau.sheets.widgets import CodeWidget

    with pytest.raises(ValueError, match="leading zeros"):
        CodeWidget(digits=10).clean(3.132e9)
    assert CodeWidget(digits=10).clean(3132000001) == "3132000001"
    assert CodeWidget().clean(" T0001 ") == "T0001"


def test_every_bad_row_is_listed(staff_user, school, term):
    good = [{**TEACHER, "staff_number": f"T{n:07d}"} for n in range(10)]
    good[3]["gender"] = "未知"
    good[7]["hire_date"] = "昨天"
    good[9]["school"] = "3132009999"
    job = run("teachers", sheet("teachers", *good), staff_user)
    assert [(r, c) for r, c, _m in errors_of(job)] == [(5, "性别"), (9, "参加工作日期"), (11, "学校标识码")]
    assert job.error_count == 3


def test_preview_counts_created_updated_unchanged(staff_user, school, term):
    TeacherFactory(school=school, staff_number="T9000001", name="王老师")
    TeacherFactory(school=school, staff_number="T9000002", name="旧名字")
    existing = [
        {**TEACHER, **exported_teacher("T9000001", staff_user)},
        {**TEACHER, "staff_number": "T9000002", "name": "新名字"},
        {**TEACHER, "staff_number": "T9000003"},
    ]
    job = run("teachers", sheet("teachers", *existing), staff_user, confirm=False)
    assert job.status == ImportJob.Status.VALIDATED
    assert job.counts == {"new": 1, "update": 1, "unchanged": 1}
    assert Teacher.objects.get(staff_number="T9000002").name == "旧名字"  # a dry run writes nothing


def exported_teacher(number, user):
    """A teacher's row as the export writes it (so that it imports unchanged)."""
    resource = TeacherResource(user=user)
    teacher = Teacher.objects.select_related("school").get(staff_number=number)
    names = [name for name, _f in resource.ordered_fields()]
    return dict(zip(names, resource.export_resource(teacher, selected_fields=names), strict=True))


# ---- formula cells, encodings and file checks ---------------------------------------


def test_formula_cells_are_stored_as_text(staff_user, school, term):
    rows = sheet("teachers", {**TEACHER, "name": "=1+1", "subject": "+SUM(A1:A3)"},
                 {**TEACHER, "staff_number": "T2", "name": "@cmd", "subject": "'=HYPERLINK(\"x\")"})
    job = run("teachers", rows, staff_user)
    assert job.status == ImportJob.Status.DONE, errors_of(job)
    assert Teacher.objects.get(staff_number="T9000001").name == "=1+1"
    assert Teacher.objects.get(staff_number="T9000001").subject == "+SUM(A1:A3)"
    # The quote our export puts before a formula is taken off again.
    assert Teacher.objects.get(staff_number="T2").subject == '=HYPERLINK("x")'


def test_formula_cells_in_xlsx(staff_user, school, term):
    book = openpyxl.Workbook()
    ws = book.active
    rows = sheet("teachers", TEACHER, {**TEACHER, "staff_number": "T2"})
    for row in rows:
        ws.append(row)
    ws["B2"].value = "=HYPERLINK(\"http://evil\",\"x\")"
    ws["B2"].data_type = "s"  # a text cell that looks like a formula
    ws["B3"] = "=CONCATENATE(\"a\",\"b\")"  # a real formula, never computed: no value
    buffer = io.BytesIO()
    book.save(buffer)
    job = jobs.import_job_create(
        kind="teachers", upload=SimpleUploadedFile("f.xlsx", buffer.getvalue(), content_type=XLSX_TYPE), by=staff_user
    )
    assert has_error(job, 3, "姓名", "A value is required")[0], errors_of(job)
    assert len(job.errors) == 1


def test_gbk_encoded_csv(staff_user, school, term):
    for encoding in ("gbk", "gb18030"):
        Teacher.objects.all().delete()
        job = run("teachers", sheet("teachers", TEACHER), staff_user, encoding=encoding)
        assert job.status == ImportJob.Status.DONE, (encoding, job.message, errors_of(job))
        assert Teacher.objects.get(staff_number="T9000001").name == "王老师"


def test_utf8_csv_without_bom(staff_user, school, term):
    job = run("teachers", sheet("teachers", TEACHER), staff_user, encoding="utf-8")
    assert job.status == ImportJob.Status.DONE


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        ("empty.csv", b"", "text/csv", "The file is empty."),
        ("empty.xlsx", b"", XLSX_TYPE, "The file is empty."),
        ("fake.xlsx", b"name,code\nx,1\n", XLSX_TYPE, "not a zip archive"),
        ("data.txt", b"a,b\n", "text/plain", "Upload an .xlsx or .csv file"),
        ("data.csv", b"\x00\x01", "image/png", "does not match its .csv extension"),
        ("data.csv", b"PK\x03\x04rest", "text/csv", "is an Excel workbook, not a CSV file"),
    ],
)
def test_bad_files_are_refused_before_parsing(staff_user, name, data, content_type, message):
    with pytest.raises(DomainError, match=message):
        jobs.import_job_create(
            kind="teachers", upload=SimpleUploadedFile(name, data, content_type=content_type), by=staff_user
        )
    assert not ImportJob.objects.exists()


def test_file_over_the_size_limit(staff_user, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    data = csv_bytes(sheet("teachers", *[{**TEACHER, "staff_number": f"T{n}"} for n in range(40)]))
    assert len(data) > 1000
    with pytest.raises(DomainError, match="the limit is"):
        jobs.import_job_create(
            kind="teachers", upload=SimpleUploadedFile("big.csv", data, content_type="text/csv"), by=staff_user
        )


def test_zip_that_is_not_a_workbook(staff_user):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(DomainError, match="cannot be read"):
        jobs.import_job_create(
            kind="teachers", upload=SimpleUploadedFile("x.xlsx", buffer.getvalue(), content_type=XLSX_TYPE),
            by=staff_user,
        )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_headers_only_file(staff_user, fmt):
    job = run("teachers", sheet("teachers"), staff_user, fmt)
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "The file has column headers but no data rows."


def test_missing_required_columns(staff_user, school):
    rows = [[h for h in row if h != "姓名"] for row in sheet("teachers")] + [["T1"] + [""] * 15]
    job = run("teachers", rows, staff_user)
    assert job.status == ImportJob.Status.FAILED
    assert "Required columns are missing: 姓名" in job.message


def test_unknown_columns_are_noted_and_ignored(staff_user, school, term):
    rows = sheet("teachers", TEACHER)
    rows[0].append("备注")
    rows[1].append("随便")
    job = run("teachers", rows, staff_user)
    assert job.status == ImportJob.Status.DONE
    assert "备注" in job.notes[0]


# ---- all or nothing, and scope --------------------------------------------------------


def test_one_bad_row_among_100_good_writes_nothing(staff_user, school, term):
    records = [{**TEACHER, "staff_number": f"T{n:07d}"} for n in range(100)]
    records[57]["birth_date"] = "not a date"
    job = run("teachers", sheet("teachers", *records), staff_user)
    assert job.status == ImportJob.Status.FAILED
    assert errors_of(job) == [(59, "出生日期", "“not a date” is not a date; write it as 2025-09-01.")]
    assert Teacher.objects.count() == 0
    assert not AuditLog.objects.filter(action=AuditLog.Action.IMPORT).exists()


def test_failure_while_writing_rolls_everything_back(staff_user, school, term, monkeypatch):
    records = [{**TEACHER, "staff_number": f"T{n:07d}"} for n in range(100)]

    def broken_audit(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "audit_bulk", broken_audit)
    job = run("teachers", sheet("teachers", *records), staff_user)
    assert job.status == ImportJob.Status.FAILED
    assert "nothing was imported" in job.message
    assert Teacher.objects.count() == 0


def test_records_of_another_district_read_as_unknown(staff_user, school, other_school, term):
    """Issue 6, existence leak: a code outside the user's scope gets the very message of an
    unknown code, and no message names another district's school."""
    TeacherFactory(school=other_school, staff_number="T0000009", name="外区老师")
    unknown, elsewhere = "3132009999", other_school.code
    files = {
        "teachers": [{**TEACHER, "school": unknown}, {**TEACHER, "staff_number": "T2", "school": elsewhere}],
        "stats": [{**RESOURCES["stats"].example, "school": unknown},
                  {**RESOURCES["stats"].example, "school": elsewhere}],
        "classes": [{"school": unknown, "term": "2025-2026-1", "grade": 1, "number": 1},
                    {"school": elsewhere, "term": "2025-2026-1", "grade": 1, "number": 1}],
        "rotations": [{"teacher": "T0000404", "start_date": "2025-09-01", "to_school": unknown, "kind_": "支教"},
                      {"teacher": "T0000009", "start_date": "2025-09-01", "to_school": elsewhere, "kind_": "支教"}],
        "trainings": [{"teacher": "T0000404", "course": "x", "date": "2025-01-01", "hours": "3"},
                      {"teacher": "T0000009", "course": "x", "date": "2025-01-01", "hours": "3"}],
    }
    for kind, records in files.items():
        job = run(kind, sheet(kind, *records), staff_user)
        assert job.status == ImportJob.Status.FAILED, kind
        by_row = {row: (column, message.replace(unknown, "CODE").replace("T0000404", "CODE"))
                  for row, column, message in errors_of(job)}
        elsewhere_row = {row: (column, message.replace(elsewhere, "CODE").replace("T0000009", "CODE"))
                         for row, column, message in errors_of(job)}
        assert by_row[2] == elsewhere_row[3], (kind, errors_of(job))
        assert not any(other_school.name in m or other_school.district.name in m for _r, _c, m in errors_of(job))
    assert not Teacher.objects.filter(school=school).exists()
    # The schools kind: another district's code is taken, and the message says only that.
    job = run("schools", sheet("schools", {"code": elsewhere, "name": "改名", "stage": "小学", "location": "城区"}),
              staff_user)
    assert errors_of(job) == [(2, "学校标识码", f"The school code {elsewhere} is already used by another school.")]
    other_school.refresh_from_db()
    assert other_school.name == "新北区实验小学"
    # …and a district code of another district reads as unknown too.
    job = run("schools", sheet("schools", {"code": "3132000301", "name": "新校", "stage": "小学", "location": "城区",
                                           "district": other_school.district.code}), staff_user)
    assert errors_of(job) == [(2, "区县代码", f"Unknown district code {other_school.district.code}.")]


def test_staff_numbers_of_another_district_are_unknown(staff_user, other_school, term):
    TeacherFactory(school=other_school, staff_number="T0000009")
    job = run("trainings", sheet("trainings", {"teacher": "T0000009", "course": "x", "date": "2025-01-01",
                                               "hours": "3"}), staff_user)
    assert has_error(job, 2, "工号", "Unknown staff number T0000009 in your district")[0]


def test_services_refuse_roles_that_may_not_import(principal_user, school, term):
    with pytest.raises(DomainError):
        jobs.import_job_create(kind="teachers", upload=upload(sheet("teachers", TEACHER)), by=principal_user)


def test_job_runs_once_when_confirmed_twice(staff_user, school, term):
    job = run("teachers", sheet("teachers", TEACHER), staff_user)
    assert job.status == ImportJob.Status.DONE
    with pytest.raises(DomainError):
        jobs.import_job_confirm(job=job, by=staff_user)
    assert jobs.import_job_execute(job_id=job.pk) is False  # a second delivery claims nothing
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT).count() == 1


def test_data_changed_between_preview_and_import(staff_user, school, term):
    job = run("teachers", sheet("teachers", TEACHER), staff_user, confirm=False)
    assert job.status == ImportJob.Status.VALIDATED
    school.delete()  # the school vanished since the preview
    job = jobs.import_job_confirm(job=job, by=staff_user)
    assert job.status == ImportJob.Status.FAILED
    assert "changed since the preview" in job.message
    assert has_error(job, 2, "学校标识码", "Unknown school code")[0]


# ---- pages ----------------------------------------------------------------------------


def test_upload_preview_confirm_as_staff(client, staff_user, school, term, django_assert_num_queries):
    client.force_login(staff_user)
    response = client.get(reverse("sheets:import_start"))
    assert response.status_code == 200
    assert "学校标识码" in response.content.decode()

    response = client.post(reverse("sheets:import_upload"), {"kind": "teachers", "file": upload(sheet("teachers", TEACHER))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("sheets:import_job", args=[job.pk])
    assert job.status == ImportJob.Status.VALIDATED and job.created_by == staff_user
    assert not Teacher.objects.exists()

    ContentType.objects.get_for_model(ImportJob)  # cached per process once any page asked
    # 1 session, 2 user with its department (top bar), 3 job with its uploader and confirmer
    # (one join), 4 its audit rows, 5 its status changes (the history). The errors and counts
    # are stored on the job: the page costs the same for ten rows or ten thousand.
    with django_assert_num_queries(5):
        page = client.get(response.url)
    assert page.status_code == 200
    assert "Confirm import" in page.content.decode()

    response = client.post(reverse("sheets:import_job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Teacher.objects.filter(staff_number="T9000001").exists()
    page = client.get(reverse("sheets:import_job", args=[job.pk]))
    assert "Imported" in page.content.decode()
    status = client.get(reverse("sheets:import_job_status", args=[job.pk])).json()
    assert status == {"status": "done", "status_label": "Imported", "running": False, "processed": 1, "total": 1,
                      "percent": 100, "run": None, "can_retry": False}


def test_upload_page_shows_file_errors(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("sheets:import_upload"), {
        "kind": "teachers", "file": SimpleUploadedFile("x.xlsx", b"not a zip", content_type=XLSX_TYPE)})
    assert response.status_code == 400
    assert "not a zip archive" in response.content.decode()


def test_preview_page_lists_errors_and_offers_the_list(client, staff_user, school, term):
    client.force_login(staff_user)
    client.post(reverse("sheets:import_upload"), {
        "kind": "teachers", "file": upload(sheet("teachers", {**TEACHER, "gender": "?"}))})
    job = ImportJob.objects.get()
    page = client.get(reverse("sheets:import_job", args=[job.pk])).content.decode()
    assert "Confirm import" not in page
    assert "性别" in page and "Unknown value" in page
    response = client.get(reverse("sheets:import_job_errors", args=[job.pk]))
    text = response.content.decode("utf-8-sig")
    assert "2,性别,Unknown value “?”" in text
    response = client.post(reverse("sheets:import_job_confirm", args=[job.pk]), follow=True)
    assert "not waiting for confirmation" in response.content.decode()


@pytest.mark.parametrize("role", ["principal", "leader", "inspector", "parent"])
def test_import_pages_refuse_other_roles(client, users, role, staff_user, school, term):
    job = run("teachers", sheet("teachers", TEACHER), staff_user, confirm=False)
    client.force_login(users[role])
    urls = [
        reverse("sheets:import_start"),
        reverse("sheets:import_job", args=[job.pk]),
        reverse("sheets:import_job_status", args=[job.pk]),
        reverse("sheets:import_job_errors", args=[job.pk]),
        reverse("sheets:import_template", args=["teachers", "xlsx"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("sheets:import_upload"), {"kind": "teachers"}).status_code == 403
    assert client.post(reverse("sheets:import_job_confirm", args=[job.pk])).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("sheets:import_start"))
    assert response.status_code == 302 and "login" in response.url


def test_job_of_another_user_is_not_found(client, staff_user, admin_user, district, other_district, school, term):
    job = run("teachers", sheet("teachers", TEACHER), staff_user, confirm=False)
    colleague = UserFactory(role=Role.STAFF, district=district)
    admin_elsewhere = UserFactory(role=Role.ADMIN, district=other_district)
    for user in (colleague, admin_elsewhere):
        client.force_login(user)
        assert client.get(reverse("sheets:import_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("sheets:import_job_status", args=[job.pk])).status_code == 404
        assert client.post(reverse("sheets:import_job_confirm", args=[job.pk])).status_code == 404
    # The admins of the uploader's district see it.
    client.force_login(admin_user)
    assert client.get(reverse("sheets:import_job", args=[job.pk])).status_code == 200
    assert client.get(reverse("sheets:import_job", args=[job.pk + 100])).status_code == 404


def test_recent_jobs_on_the_start_page(client, staff_user, school, term, django_assert_num_queries):
    run("teachers", sheet("teachers", TEACHER), staff_user, name="我的教师.csv")
    client.force_login(staff_user)
    # 1 session, 2 user with its department (top bar), 3 the user's recent jobs
    with django_assert_num_queries(3):
        page = client.get(reverse("sheets:import_start")).content.decode()
    assert "我的教师.csv" in page
    for n in range(4):
        run("teachers", sheet("teachers", {**TEACHER, "staff_number": f"T{n}"}), staff_user, confirm=False)
    with django_assert_num_queries(3):
        page = client.get(reverse("sheets:import_start")).content.decode()
    assert page.count(reverse("sheets:import_job", args=[ImportJob.objects.latest("pk").pk])) == 1


# ---- large files: the background path -------------------------------------------------


def test_large_file_runs_as_a_celery_job(client, staff_user, school, term, settings, monkeypatch,
                                         django_capture_on_commit_callbacks):
    from bureau import tasks
    from bureau.models import Job

    settings.IMPORT_ASYNC_ROW_THRESHOLD = 20
    calls = []
    original = tasks.job_run.run

    def spy(job_id):
        calls.append(job_id)
        return original(job_id)

    monkeypatch.setattr(tasks.job_run, "run", spy)
    records = [{**TEACHER, "staff_number": f"T{n:07d}"} for n in range(50)]
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("sheets:import_upload"), {
            "kind": "teachers", "file": upload(sheet("teachers", *records), "xlsx")})
    job = ImportJob.objects.get()
    validation = Job.objects.get(kind="sheets.validate")
    assert len(callbacks) == 1 and calls == [validation.pk]
    validation.refresh_from_db()
    assert (validation.state, validation.attempts, validation.payload) == ("done", 1, {"import_job": job.pk})
    job.refresh_from_db()
    assert job.run_async and job.status == ImportJob.Status.VALIDATED
    assert (job.processed_rows, job.total_rows) == (50, 50)
    assert 'data-status-url' not in client.get(response.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sheets:import_job_confirm", args=[job.pk]))
    run = Job.objects.get(kind="sheets.import")
    assert calls == [validation.pk, run.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.processed_rows, job.total_rows) == (50, 50)
    assert job.counts == {"new": 50, "update": 0, "unchanged": 0}
    assert Teacher.objects.count() == 50
    # Delivered again (at-least-once broker): claims nothing, writes nothing.
    tasks.job_run.delay(run.pk)
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT).count() == 50


def test_running_job_page_polls_its_status(client, staff_user, school, term, settings):
    settings.IMPORT_ASYNC_ROW_THRESHOLD = 0
    client.force_login(staff_user)
    # No on-commit execution here: the job stays pending, as while a worker is busy.
    client.post(reverse("sheets:import_upload"), {"kind": "teachers", "file": upload(sheet("teachers", TEACHER))})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PENDING
    page = client.get(reverse("sheets:import_job", args=[job.pk])).content.decode()
    status_url = reverse("sheets:import_job_status", args=[job.pk])
    assert f'data-status-url="{status_url}"' in page
    assert '<meta http-equiv="refresh" content="2">' in page
    status = client.get(reverse("sheets:import_job_status", args=[job.pk])).json()
    assert status["running"] is True and status["status"] == "pending"


def test_the_schools_app_declares_six_kinds():
    assert list(RESOURCES) == ["schools", "stats", "classes", "teachers", "trainings", "rotations"]


def test_training_record_update_keeps_one_row(staff_user, school, teacher, term):
    TrainingRecordFactory(teacher=teacher, course="新课标培训", date=datetime.date(2025, 7, 10), hours=Decimal("24"))
    job = run("trainings", sheet("trainings", {"teacher": "T0000001", "course": "新课标培训", "date": "2025-07-10",
                                               "hours": "24"}), staff_user)
    assert job.counts == {"new": 0, "update": 0, "unchanged": 1}


def test_rotation_rules_of_the_service(staff_user, school, teacher, term):
    rows = sheet(
        "rotations",
        {"teacher": "T0000001", "start_date": "2025-09-01", "to_school": "3132000001", "kind_": "支教"},
        {"teacher": "T0000001", "start_date": "2024-09-01", "to_school": "3132000001", "from_school": "3132000001",
         "kind_": "跟岗", "end_date": "2024-01-01"},
    )
    job = run("rotations", rows, staff_user)
    assert has_error(job, 2, "接收学校标识码", "must differ from the school rotated from")[0], errors_of(job)
    assert has_error(job, 3, "结束日期", "must not be before the start date")[0], errors_of(job)


def test_messages_follow_the_uploaders_language(staff_user, school, term):
    rows = sheet("teachers", {**TEACHER, "name": ""})
    job = jobs.import_job_create(kind="teachers", upload=upload(rows), by=staff_user, language="zh-hans")
    with translation.override("zh-hans"):
        expected = translation.gettext("A value is required.")
    assert errors_of(job) == [(2, "姓名", expected)]


def test_progress_goes_forward_to_the_end(staff_user, school, term):
    records = [{**TEACHER, "staff_number": f"T{n:07d}"} for n in range(600)]
    table = files.read_table(csv_bytes(sheet("teachers", *records)), "csv")
    seen = []
    engine.import_apply(kind="teachers", table=table, by=staff_user, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 4
    assert any(0.4 < f <= 0.5 for f in seen)  # the validation is the first half


@pytest.mark.django_db
def test_old_import_files_are_purged_but_jobs_kept(settings, tmp_path, staff_user, django_capture_on_commit_callbacks):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from bureau.models import Job
    from bureau.tasks import job_enqueue_periodic

    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()

    def job(status, finished_days_ago):
        j = ImportJob(kind="teachers", original_name="t.csv", file_format="csv", created_by=staff_user, status=status,
                      finished_at=now - datetime.timedelta(days=finished_days_ago))
        j.file.save("t.csv", ContentFile(b"x"), save=False)
        j.save()
        return j

    old_done, recent, old_running = job("done", 120), job("done", 5), job("importing", 120)
    old_path = old_done.file.path
    assert jobs.import_files_purge(now=now) == 1
    old_done.refresh_from_db()
    assert old_done.file.name == "" and old_done.status == "done"
    assert not os.path.exists(old_path)
    recent.refresh_from_db()
    old_running.refresh_from_db()
    assert recent.file.name and old_running.file.name
    # The nightly job (beat → a background job) runs the same purge: nothing left to purge.
    with django_capture_on_commit_callbacks(execute=True):
        run = Job.objects.get(pk=job_enqueue_periodic.delay("sheets.purge").get())
    run.refresh_from_db()
    assert run.state == "done" and ImportJob.objects.exclude(file="").count() == 2
