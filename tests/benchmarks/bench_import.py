"""Import of 10,000 teachers (about 80 schools): our bulk path against django-import-export's
default row-by-row path, on the same file, in one run. Run with tests/benchmarks/run.

Both paths read the same parsed rows through the same resource (TeacherResource), validate
every row with the model's full_clean, and upsert on the natural key (district, staff
number). What differs is how they reach the database:

* ours (bureau.sheets.engine.import_apply, the portal's one write path): a few preload
  queries, bulk INSERT / UPDATE in batches of 500, one audit INSERT per 1,000 records, in
  one transaction;
* django-import-export's default (`resource.import_data(dataset, dry_run=False)`, not
  bulk): per row an instance lookup, a foreign-key lookup per relation, full_clean's
  uniqueness query, a savepoint and an INSERT or UPDATE. What it needs beyond the resource
  is in tests/benchmarks/row_by_row.py: the product never writes this way.
"""

import io
import time

import openpyxl
import pytest
from django.db import connection

from bureau.models import AuditLog
from bureau.sheets import engine, files
from schools.models import School, Teacher
from schools.resources import TeacherResource
from tests.benchmarks.row_by_row import TeacherRowByRow, as_dataset

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

N_SCHOOLS = 80
N_TEACHERS = int(__import__("os").environ.get("BENCH_TEACHERS", "10000"))
SUBJECTS = ("语文", "数学", "英语", "科学", "体育", "音乐", "美术", "道德与法治")
EDUCATION = ("本科", "本科", "大专", "硕士", "中专/高中")
TITLES = ("一级教师", "二级教师", "高级教师", "无", "三级教师")
BACKBONE = ("", "", "", "县级骨干", "市级骨干", "学科带头人")


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(label, func, rows):
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
    print(f"  {label:<58} {seconds:8.2f} s {rows / seconds:10,.0f} rows/s {counter.count:9,d} queries")
    return result, seconds


def teacher_file(schools):
    headers = TeacherResource.headers()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("教师")
    sheet.append(headers)
    for n in range(N_TEACHERS):
        school = schools[n % len(schools)]
        sheet.append([
            f"T{n:07d}", f"教师{n}", "女" if n % 3 else "男", f"19{70 + n % 30}-0{1 + n % 9}-1{n % 9}",
            school.code, "小学", SUBJECTS[n % len(SUBJECTS)], EDUCATION[n % len(EDUCATION)], "小学",
            f"2010{n:010d}", TITLES[n % len(TITLES)], BACKBONE[n % len(BACKBONE)], "否",
            f"20{n % 20:02d}-09-01", "", "是" if n % 7 == 0 else "否", "在岗",
        ])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_10000_teachers(district, staff_user):
    schools = School.objects.bulk_create(
        School(code=f"{3204000000 + n:010d}", name=f"基准第{n}小学", stage="primary", location="urban",
               district=district)
        for n in range(N_SCHOOLS)
    )
    data = teacher_file(schools)
    print(f"\n\nImport of {N_TEACHERS:,} teachers in {N_SCHOOLS} schools "
          f"({len(data) / 1048576:.1f} MB xlsx) on {connection.vendor}")
    table, _s = measure("read the xlsx file (openpyxl, read-only)", lambda: files.read_table(data, "xlsx"),
                        N_TEACHERS)
    assert len(table.rows) == N_TEACHERS

    def ours():
        plan = engine.import_apply(kind="teachers", table=table, by=staff_user)
        assert not plan.errors, plan.errors[:5]
        return plan.counts

    counts, ours_create = measure(f"ours: validate + bulk upsert ({N_TEACHERS:,} new)", ours, N_TEACHERS)
    assert counts["new"] == N_TEACHERS
    counts, ours_same = measure(f"ours: the same file again ({N_TEACHERS:,} unchanged)", ours, N_TEACHERS)
    assert counts["unchanged"] == N_TEACHERS
    plan, ours_dry = measure(
        "ours: dry run (preview) only",
        lambda: engine.import_validate(kind="teachers", table=table, by=staff_user), N_TEACHERS,
    )
    assert plan.counts["unchanged"] == N_TEACHERS

    Teacher.objects.all().delete()
    AuditLog.objects.all().delete()

    def theirs(dry_run=False):
        result = TeacherRowByRow(user=staff_user).import_data(as_dataset(table), dry_run=dry_run)
        errors = [e.error for e in result.base_errors] + [
            (n, e.error) for n, row_errors in result.row_errors()[:5] for e in row_errors]
        assert not errors and not result.has_validation_errors(), (errors, result.invalid_rows[:5])
        return result.totals

    totals, lib_create = measure(f"django-import-export import_data, default ({N_TEACHERS:,} new)", theirs, N_TEACHERS)
    assert totals["new"] == N_TEACHERS and Teacher.objects.count() == N_TEACHERS
    totals, lib_same = measure(f"django-import-export import_data, default ({N_TEACHERS:,} unchanged)", theirs, N_TEACHERS)
    assert totals["skip"] == N_TEACHERS

    print(f"  ours is {lib_create / ours_create:.1f}× faster creating and {lib_same / ours_same:.1f}× faster "
          f"on an unchanged file")
