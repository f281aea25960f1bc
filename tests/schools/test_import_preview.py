"""Issue 6: the preview says what an import would change (each new row, each updated row's
fields old → new), and confirming a preview that the data has since outrun writes nothing.

The engine's part (plan.digest, plan.preview, PreviewOutdated) and the page's part (a job
that stores a preview) are tested here directly. The job service stores them and passes
the digest back (bureau/sheets/jobs.py); the job tests go through it end to end.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from bureau.models import AuditLog, ImportJob
from bureau.sheets import engine, jobs, preview
from bureau.sheets.engine import PreviewOutdated
from bureau.sheets.files import Table
from schools.models import Teacher
from schools.resources import TeacherResource
from schools.services import teacher_create, teacher_update
from tests.factories import TeacherFactory, TermFactory
from tests.schools.test_imports import TEACHER, run, sheet

pytestmark = pytest.mark.usefixtures("media", "english")

OUTDATED = ("Since the preview, someone else changed or added records that this file would write, so nothing was "
            "imported: the preview no longer shows what the import would do. Upload the file again to see a new "
            "preview.")
# The job service (bureau/sheets/jobs.py, the lead's) stores plan.digest and plan.preview
# and passes the digest back to import_apply: until it does, these tests fail, strictly.


@pytest.fixture
def term(db):
    return TermFactory()


@pytest.fixture
def existing(school, term):
    return TeacherFactory(school=school, staff_number="T9000001", name="王老师", title="second", subject="语文")


def table_of(*records):
    rows = sheet("teachers", *records)
    return Table(headers=rows[0], rows=[(n, tuple(row)) for n, row in enumerate(rows[1:], start=2)])


def imported_rows():
    return AuditLog.objects.filter(action=AuditLog.Action.IMPORT).count()


FILE = ({**TEACHER, "staff_number": "T9000001", "name": "王老师", "title": "一级教师"},
        {**TEACHER, "staff_number": "T9000002", "name": "赵老师"})


# ---- stale preview: the digest ------------------------------------------------------------


def test_confirming_a_preview_that_a_hand_edit_outran_writes_nothing(staff_user, existing):
    table = table_of(*FILE)
    plan = engine.import_validate(kind="teachers", table=table, by=staff_user)
    assert plan.counts == {"new": 1, "update": 1, "unchanged": 0} and len(plan.digest) == 64

    # Someone changes the teacher by hand after the preview.
    teacher_update(teacher=existing, data={"subject": "美术"}, by=staff_user)
    with pytest.raises(PreviewOutdated) as refused:
        engine.import_apply(kind="teachers", table=table, by=staff_user, expected_digest=plan.digest)
    assert str(refused.value) == OUTDATED
    existing.refresh_from_db()
    assert (existing.subject, existing.title) == ("美术", "second")  # the hand edit stands, nothing imported
    assert not Teacher.objects.filter(staff_number="T9000002").exists() and imported_rows() == 0

    # A new preview sees the edit, and its confirmation imports.
    fresh = engine.import_validate(kind="teachers", table=table, by=staff_user)
    assert fresh.digest != plan.digest
    update = next(row for row in fresh.preview["rows"] if row[1] == "update")
    assert ["美术", "数学"] in [change[1:] for change in update[3]]  # it shows the edit it would undo
    engine.import_apply(kind="teachers", table=table, by=staff_user, expected_digest=fresh.digest)
    existing.refresh_from_db()
    assert existing.title == "first" and Teacher.objects.filter(staff_number="T9000002").exists()


def test_a_record_created_by_hand_after_the_preview_is_not_overwritten(staff_user, school, existing):
    table = table_of(*FILE)
    plan = engine.import_validate(kind="teachers", table=table, by=staff_user)
    teacher_create(school=school, by=staff_user, data={
        "staff_number": "T9000002", "name": "手工录入", "gender": "M", "subject": "体育", "section": "primary",
        "education": "bachelor"})
    with pytest.raises(PreviewOutdated):
        engine.import_apply(kind="teachers", table=table, by=staff_user, expected_digest=plan.digest)
    assert Teacher.objects.get(staff_number="T9000002").name == "手工录入"


def test_changes_to_records_the_file_does_not_name_do_not_matter(staff_user, school, existing):
    other = TeacherFactory(school=school, staff_number="T0000777")
    table = table_of(*FILE)
    plan = engine.import_validate(kind="teachers", table=table, by=staff_user)
    teacher_update(teacher=other, data={"subject": "美术"}, by=staff_user)
    assert engine.import_apply(kind="teachers", table=table, by=staff_user,
                               expected_digest=plan.digest).counts["new"] == 1
    # Without a digest (a job previewed before there were digests) nothing is checked.
    assert engine.import_apply(kind="teachers", table=table, by=staff_user).counts["unchanged"] == 2


def test_the_job_page_asks_for_a_new_preview(client, staff_user, existing):
    job = run("teachers", sheet("teachers", *FILE), staff_user, confirm=False)
    assert job.status == ImportJob.Status.VALIDATED and job.preview_digest
    teacher_update(teacher=existing, data={"subject": "美术"}, by=staff_user)
    client.force_login(staff_user)
    client.post(reverse("sheets:import_job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.message == OUTDATED
    assert OUTDATED in client.get(reverse("sheets:import_job", args=[job.pk])).content.decode()
    existing.refresh_from_db()
    assert existing.subject == "美术" and existing.title == "second" and imported_rows() == 0
    # A fresh upload previews the edit and imports.
    job = run("teachers", sheet("teachers", *FILE), staff_user)
    assert job.status == ImportJob.Status.DONE
    existing.refresh_from_db()
    assert (existing.subject, existing.title) == ("数学", "first")


# ---- the preview: what would change -------------------------------------------------------------


def test_the_plan_lists_new_rows_and_updated_fields_old_to_new(staff_user, existing):
    plan = engine.import_validate(kind="teachers", table=table_of(*FILE, {**TEACHER, "staff_number": "T9000003"}),
                                  by=staff_user)
    stored = plan.preview
    assert (stored["new"], stored["update"]) == (2, 1)
    headers = [header for _attribute, header in stored["fields"]]
    assert headers == TeacherResource.headers()
    got = preview.page(stored, user=staff_user, model=Teacher, number=1)
    assert got["not_shown"] == 0
    first, second, third = got["rows"]
    # The update: only what changes, written as in the file, named by staff number and name.
    assert (first["row"], first["action"], first["record"]) == (2, "update", "T9000001 · 王老师")
    changes = {c["column"]: (c["old"], c["new"]) for c in first["changes"]}
    assert changes["职称"] == ("二级教师", "一级教师")
    assert "工号" not in changes
    # A new row: its values.
    assert (second["row"], second["action"], second["record"]) == (3, "new", "T9000002 · 赵老师")
    values = {c["column"]: c["new"] for c in second["changes"]}
    assert values["学校标识码"] == "3132000001" and values["出生日期"] == "1990-01-02" and values["班主任"] == "是"
    assert third["record"] == "T9000003 · 王老师"


def test_the_preview_is_bounded_and_updates_come_first(staff_user, school, term, monkeypatch):
    monkeypatch.setattr(preview, "LIMIT", 4)
    for n in range(5):
        TeacherFactory(school=school, staff_number=f"T800000{n}", title="second")
    records = [{**TEACHER, "staff_number": f"T700000{n}"} for n in range(4)]
    records += [{**TEACHER, "staff_number": f"T800000{n}", "title": "一级教师"} for n in range(5)]
    stored = engine.import_validate(kind="teachers", table=table_of(*records), by=staff_user).preview
    assert [row[1] for row in stored["rows"]] == ["update"] * 4
    assert preview.page(stored, user=staff_user, model=Teacher, number=1)["not_shown"] == 5


def test_fields_a_role_may_not_read_are_never_shown(staff_user, existing, monkeypatch):
    plan = engine.import_validate(kind="teachers", table=table_of(*FILE), by=staff_user)
    stored = plan.preview
    assert "出生日期" in [header for _a, header in stored["fields"]]
    # The reader may not read birth dates and certificate numbers (as leaders and inspectors).
    monkeypatch.setattr(preview.scope, "hidden_fields", lambda user, model: {"birth_date", "certificate_number"})
    rows = preview.page(stored, user=staff_user, model=Teacher, number=1)["rows"]
    shown = {c["column"] for row in rows for c in row["changes"]}
    assert shown and not shown & {"出生日期", "教师资格证号码"}
    # Nor are they kept on the job when the uploader may not read them.
    stored = engine.import_validate(kind="teachers", table=table_of(*FILE), by=staff_user).preview
    assert not {"出生日期", "教师资格证号码"} & {header for _a, header in stored["fields"]}
    assert "1990-01-02" not in str(stored)


# ---- the page ------------------------------------------------------------------------------------


def job_with_preview(user, plan):
    """A validated job storing its plan as bureau/sheets/jobs.py does."""
    return ImportJob.objects.create(
        kind="teachers", original_name="teachers.xlsx", file_format="xlsx", created_by=user, district=user.district,
        status=ImportJob.Status.VALIDATED, total_rows=plan.total, processed_rows=plan.total, counts=plan.counts,
        notes=plan.notes, preview=plan.preview, preview_digest=plan.digest,
    )


def test_the_job_page_shows_the_changes_page_by_page(client, staff_user, school, existing, django_assert_num_queries):
    records = [FILE[0]] + [{**TEACHER, "staff_number": f"T6{n:06d}", "name": f"新老师{n}"} for n in range(119)]
    plan = engine.import_validate(kind="teachers", table=table_of(*records), by=staff_user)
    small = job_with_preview(staff_user, engine.import_validate(kind="teachers", table=table_of(*FILE), by=staff_user))
    big = job_with_preview(staff_user, plan)
    client.force_login(staff_user)
    url = reverse("sheets:import_job", args=[big.pk])
    ContentType.objects.get_for_model(ImportJob)  # cached per process once any page asked
    # The page reads the stored preview: the same queries for 2 rows or 120, on any page
    # (session, user with its department, job, its audit rows and status changes).
    with django_assert_num_queries(5):
        client.get(reverse("sheets:import_job", args=[small.pk]))
    with django_assert_num_queries(5):
        page = client.get(url).content.decode()
    assert "What the import would do" in page
    assert "二级教师" in page and "一级教师" in page and "T9000001 · 王老师" in page
    assert page.count('data-action="new"') == 49 and page.count('data-action="update"') == 1
    assert "Page 1 of 3" in page and "新老师48" in page and "新老师49" not in page
    with django_assert_num_queries(5):
        page = client.get(url + "?page=3").content.decode()
    assert page.count("<tr data-action") == 20 and "新老师118" in page
    assert "not listed here" not in page


def test_the_job_page_says_how_many_rows_it_does_not_list(client, staff_user, school, term, monkeypatch):
    monkeypatch.setattr(preview, "LIMIT", 3)
    plan = engine.import_validate(
        kind="teachers", by=staff_user,
        table=table_of(*[{**TEACHER, "staff_number": f"T6{n:06d}"} for n in range(5)]))
    job = job_with_preview(staff_user, plan)
    client.force_login(staff_user)
    page = client.get(reverse("sheets:import_job", args=[job.pk])).content.decode()
    assert page.count("<tr data-action") == 3 and "2 more rows are not listed here" in page


def test_a_job_without_a_preview_still_shows_its_counts_and_notes(client, staff_user):
    job = ImportJob.objects.create(
        kind="teachers", original_name="t.csv", file_format="csv", created_by=staff_user, district=staff_user.district,
        status=ImportJob.Status.VALIDATED, counts={"new": 1, "update": 0, "unchanged": 0}, notes=["Note A."],
    )
    client.force_login(staff_user)
    page = client.get(reverse("sheets:import_job", args=[job.pk])).content.decode()
    assert "Note A." in page and 'id="preview"' not in page and "Confirm import" in page


def test_upload_then_the_job_page_lists_the_changes(client, staff_user, existing):
    from tests.schools.test_imports import upload

    client.force_login(staff_user)
    response = client.post(reverse("sheets:import_upload"), {"kind": "teachers", "file": upload(sheet("teachers", *FILE))})
    page = client.get(response.url).content.decode()
    assert "T9000001 · 王老师" in page and "二级教师" in page and "一级教师" in page and "赵老师" in page
    job = ImportJob.objects.get()
    assert jobs.import_job_confirm(job=job, by=staff_user).status == ImportJob.Status.DONE
    assert "What was imported" in client.get(response.url).content.decode()
