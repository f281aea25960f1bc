"""The spreadsheet engine's generic parts (bureau/sheets/), with a throwaway kind.

A kind declared here, over education groups, shows what a new app gets by declaring a
resource: its template, the preview with every bad row, the all-or-nothing apply with
audit rows, lookups through the user's scope, exports. The schools app's six kinds are
tested in tests/schools/.
"""

import codecs
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import models
from django.urls import reverse

from bureau.errors import DomainError
from bureau.models import AuditLog, ImportJob
from bureau.sheets import engine, exports, files, jobs, registry
from bureau.sheets.lookups import LookupWidget
from bureau.sheets.resources import SheetResource, column
from bureau.sheets.widgets import BoolWidget, ChoiceWidget, CodeWidget, DateWidget, DecimalWidget, IntWidget, TextWidget
from schools.models import District, EducationGroup
from tests.factories import EducationGroupFactory

pytestmark = pytest.mark.usefixtures("media", "english")


# ---- a throwaway kind --------------------------------------------------------------------


class Kind(models.TextChoices):
    # Codes with portal labels, as an app's TextChoices have them.
    GROUP = "group", "Education group"
    COMMUNITY = "community", "School community"


class DistrictCode(LookupWidget):
    model = District
    field = "code"
    unknown_message = "Unknown district code %(code)s."


class GroupSheet(SheetResource):
    kind = "test-groups"
    verbose_name = "Groups"
    key_fields = ("district", "name")
    select_related = ("district",)
    export_ordering = ("name",)

    district = column("district", "区县代码", DistrictCode())
    name = column("name", "名称", TextWidget())
    kind_ = column("kind", "类型", ChoiceWidget({Kind.GROUP: "集团", Kind.COMMUNITY: "共同体"}, {"教育集团": Kind.GROUP}))

    example = {"district": "320402", "name": "天宁教育集团", "kind_": "集团"}

    class Meta:
        model = EducationGroup
        fields = ("district", "name", "kind_")


@pytest.fixture
def group_kind():
    registry.register(GroupSheet)
    yield GroupSheet
    registry.unregister(GroupSheet.kind)


def table(*rows, headers=("区县代码", "名称", "类型")):
    return files.Table(headers=list(headers), rows=[(n, row) for n, row in enumerate(rows, start=2)])


def errors_of(plan):
    return [(e.row, e.column, e.message) for e in plan.errors]


# ---- registry ----------------------------------------------------------------------------


def test_apps_declare_their_kinds_and_the_registry_finds_them():
    assert {"schools", "stats", "classes", "teachers", "trainings", "rotations"} <= set(registry.kinds())
    assert registry.kind_label("teachers") == "Teachers"
    with pytest.raises(LookupError):
        registry.resource_for("pupils")


def test_a_kind_is_declared_once(group_kind):
    assert registry.resource_for("test-groups") is GroupSheet
    other = type("Other", (GroupSheet,), {"__module__": __name__, "Meta": GroupSheet.Meta})
    with pytest.raises(ValueError, match="declared twice"):
        registry.register(other)


# ---- the engine on the throwaway kind ----------------------------------------------------------


@pytest.mark.django_db
def test_preview_then_apply_all_or_nothing_with_audit(group_kind, staff_user, district):
    rows = table(("320402", "天宁教育集团", "集团"), ("320402", "天宁共同体", "community"))
    plan = engine.import_validate(kind="test-groups", table=rows, by=staff_user)
    assert (plan.errors, plan.counts) == ([], {"new": 2, "update": 0, "unchanged": 0})
    assert not EducationGroup.objects.exists()  # a preview writes nothing

    plan = engine.import_apply(kind="test-groups", table=rows, by=staff_user, note="test")
    assert plan.counts["new"] == 2
    assert set(EducationGroup.objects.values_list("name", "kind")) == {("天宁教育集团", "group"), ("天宁共同体", "community")}
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, actor=staff_user, note="test").count() == 2

    # The same file again changes nothing; one changed cell updates one record.
    assert engine.import_validate(kind="test-groups", table=rows, by=staff_user).counts["unchanged"] == 2
    plan = engine.import_apply(kind="test-groups", by=staff_user, table=table(
        ("320402", "天宁教育集团", "教育集团"), ("320402", "天宁共同体", "集团")))
    assert plan.counts == {"new": 0, "update": 1, "unchanged": 1}
    update = AuditLog.objects.filter(action=AuditLog.Action.IMPORT).latest("id")
    assert update.changes == {"kind": ["community", "group"]}


@pytest.mark.django_db
def test_every_bad_row_is_listed_and_nothing_is_written(group_kind, staff_user, district, other_district):
    rows = table(
        ("320402", "好的", "集团"),
        ("320402", "", "集团"),  # a key cell left empty
        ("320402", "x" * 101, "联盟"),  # too long for the model, and an unknown choice
        (other_district.code, "外区", "集团"),  # a district outside the user's scope
        ("320402", "好的", "集团"),  # the same key again
    )
    plan = engine.import_apply(kind="test-groups", table=rows, by=staff_user)
    assert errors_of(plan) == [
        (3, "名称", "A value is required."),
        (4, "类型", "Unknown value “联盟”. Allowed: 集团、共同体."),
        (4, "名称", "Use at most 100 characters (it has 101)."),
        (5, "区县代码", f"Unknown district code {other_district.code}."),
        (6, "区县代码", "Duplicate key: this record already appears in row 2 of the file."),
    ]
    assert not EducationGroup.objects.exists() and not AuditLog.objects.exists()


@pytest.mark.django_db
def test_file_level_problems(group_kind, staff_user, district):
    with pytest.raises(files.ImportFileError, match="no data rows"):
        engine.import_validate(kind="test-groups", table=table(), by=staff_user)
    with pytest.raises(files.ImportFileError, match="Required columns are missing: 名称"):
        engine.import_validate(kind="test-groups", table=table(("320402", "集团"), headers=("区县代码", "类型")),
                               by=staff_user)
    with pytest.raises(files.ImportFileError, match="appears twice"):
        engine.import_validate(kind="test-groups", table=table(("1", "2", "3", "4"), headers=(
            "区县代码", "名称", "类型", "名称")), by=staff_user)
    plan = engine.import_validate(kind="test-groups", by=staff_user, table=table(
        ("320402", "x", "集团", "?"), headers=("区县代码", "名称", "类型", "备注")))
    assert plan.notes == ["These columns are not part of this kind of file and were ignored: 备注."]


@pytest.mark.django_db
def test_only_data_keepers_apply(group_kind, leader_user, district):
    with pytest.raises(DomainError):
        engine.import_apply(kind="test-groups", table=table(("320402", "x", "集团")), by=leader_user)


@pytest.mark.django_db
def test_progress_reaches_the_end(group_kind, staff_user, district):
    seen = []
    rows = table(*[("320402", f"集团{n}", "集团") for n in range(600)])
    engine.import_apply(kind="test-groups", table=rows, by=staff_user, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0


@pytest.mark.django_db
def test_exports_and_templates_of_a_declared_kind(group_kind, staff_user, district, other_district):
    EducationGroupFactory(district=district, name="=HYPERLINK()", kind="community")
    EducationGroupFactory(district=other_district, name="外区集团")
    headers, rows = exports.export_rows(kind="test-groups", user=staff_user, native=False)
    assert (headers, list(rows)) == (["区县代码", "名称", "类型"], [["320402", "'=HYPERLINK()", "共同体"]])
    headers, example, notes = exports.template_rows(kind="test-groups")
    assert example == ["320402", "天宁教育集团", "集团"]
    # The key columns and the model's fields without a default are required.
    assert [row[:2] for row in notes] == [["区县代码", "required"], ["名称", "required"], ["类型", "optional"]]
    assert notes[2][2] == "one of: 集团、共同体"
    book = openpyxl.load_workbook(io.BytesIO(exports.template_file(kind="test-groups", fmt="xlsx")[0]))
    assert book.sheetnames == ["Groups", "Notes"]
    assert book.worksheets[0].column_dimensions["A"].number_format == "@"  # a code column stays text


@pytest.mark.django_db
def test_pages_list_a_declared_kind(client, group_kind, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("sheets:import_start")).content.decode()
    assert reverse("sheets:import_template", args=["test-groups", "xlsx"]) in page
    assert client.get(reverse("sheets:import_template", args=["test-groups", "csv"])).status_code == 200
    assert client.get(reverse("sheets:export_download", args=["test-groups", "csv"])).status_code == 200


# ---- files -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(encoding):
    data = "工号,姓名*\r\nT1,王老师\r\n,\r\nT2,李老师\r\n".encode(encoding)
    read = files.read_table(data, "csv")
    assert read.headers == ["工号", "姓名"]  # the template's required mark is dropped
    assert read.rows == [(2, ("T1", "王老师")), (4, ("T2", "李老师"))]  # blank rows skipped, numbers kept


def test_utf16_tab_separated_csv():
    data = codecs.BOM_UTF16_LE + "工号\t姓名\nT1\t王老师\n".encode("utf-16-le")
    assert files.read_table(data, "csv").rows == [(2, ("T1", "王老师"))]


def test_undecodable_csv():
    with pytest.raises(files.ImportFileError, match="neither UTF-8 nor GBK"):
        files.read_table(b"\x81\x30\x81", "csv")


def test_xlsx_rows_and_estimate():
    book = openpyxl.Workbook()
    for row in (["工号", "姓名"], ["T1", "王老师"], [None, None], ["T2", "李老师"]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert files.read_table(data, "xlsx").rows == [(2, ("T1", "王老师")), (4, ("T2", "李老师"))]
    assert files.estimate_rows(data, "xlsx") == 3
    assert files.estimate_rows(b"a\nb\nc\n", "csv") == 2


# ---- widgets ------------------------------------------------------------------------------


def test_choice_widget_takes_the_vocabulary_it_is_given():
    widget = ChoiceWidget({Kind.GROUP: "集团", Kind.COMMUNITY: "共同体"}, {"教育集团": Kind.GROUP})
    assert [widget.clean(v) for v in ("集团", "教育集团", "community", "School community", " 共同体 ")] == [
        "group", "group", "community", "community", "community"]
    assert widget.clean("") is None and widget.render("group") == "集团"
    with pytest.raises(ValueError, match="Allowed: 集团、共同体"):
        widget.clean("联盟")
    plain = ChoiceWidget({"a": "甲"})  # plain string codes work too
    assert plain.clean("甲") == "a"


def test_number_date_bool_and_code_widgets():
    assert IntWidget().clean("1,200") == 1200 and IntWidget().clean(12.0) == 12
    for bad in ("12.5", "一千", True, "1e20"):
        with pytest.raises(ValueError):
            IntWidget().clean(bad)
    assert DecimalWidget().clean("3，496.50") == Decimal("3496.50")
    # CSV: plain, without needless zeros (issue 6); xlsx keeps the number and shows 5,000.00.
    assert [DecimalWidget().render(Decimal(v)) for v in ("5000.00", "24.50", "0.00", "3496512.10")] == [
        "5000", "24.5", "0", "3496512.1"]
    assert DecimalWidget().render(Decimal("5000.00"), force_native_type=True) == Decimal("5000.00")
    assert [DateWidget().clean(v) for v in ("2025-09-01", "2025/9/1", "2025年9月1日", "20250901")] == [
        datetime.date(2025, 9, 1)] * 4
    with pytest.raises(ValueError, match="write it as 2025-09-01"):
        DateWidget().clean("昨天")
    assert [BoolWidget().clean(v) for v in ("是", "否", "√", 0, "")] == [True, False, True, False, None]
    assert CodeWidget().clean("'=001") == "=001"  # the quote an export adds is taken off
    with pytest.raises(ValueError, match="leading zeros"):
        CodeWidget(digits=10).clean("132000001")


# ---- jobs -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_jobs_refuse_an_undeclared_kind(staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError, match="Unknown kind of file"):
        jobs.import_job_create(kind="pupils", upload=SimpleUploadedFile("x.csv", b"a\n1\n"), by=staff_user)


@pytest.mark.django_db
def test_a_job_moves_only_as_its_workflow_allows(staff_user):
    from bureau.workflow import ConcurrentMove, WorkflowError, transition

    job = ImportJob.objects.create(kind="teachers", original_name="t.csv", file_format="csv", created_by=staff_user)
    moved = transition(job, to=ImportJob.Status.VALIDATING, by=None)
    with pytest.raises(ConcurrentMove):  # a second worker that saw it pending
        transition(job, to=ImportJob.Status.VALIDATING, by=None)
    with pytest.raises(WorkflowError):  # not a declared move
        transition(moved, to=ImportJob.Status.DONE, by=None)
    with pytest.raises(WorkflowError):  # a user does not run the steps
        transition(moved, to=ImportJob.Status.VALIDATED, by=staff_user)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING


@pytest.mark.django_db
def test_a_task_queued_before_the_move_still_runs():
    from celery import current_app

    import bureau.tasks  # noqa: F401  (registers the tasks, as a worker does at start)

    # Nothing to run for a job that does not exist: the run returns, it does not fail.
    assert current_app.tasks["schools.tasks.import_job_process"].delay(123456).get() is False
    assert current_app.tasks["bureau.tasks.job_run"].delay(123456).get() is False
