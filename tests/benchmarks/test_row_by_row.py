"""The benchmark's comparison path keeps working: django-import-export's own row-by-row
import_data reads the portal's file through the portal's teachers resource."""

import csv
import io

import pytest

from bureau.sheets import files
from schools.models import Teacher
from schools.resources import TeacherResource
from tests.benchmarks.row_by_row import TeacherRowByRow, as_dataset

ROW = {
    "staff_number": "T9000001", "name": "王老师", "gender": "女", "birth_date": "1990-01-02", "school": "3132000001",
    "section": "", "subject": "数学", "education": "本科", "status": "在岗",
}


@pytest.mark.django_db
def test_library_row_by_row_path_reads_the_same_file(staff_user, school):
    buffer = io.StringIO()
    names = [name for name, _field in TeacherResource.ordered_fields()]
    csv.writer(buffer).writerows(
        [TeacherResource.headers()] + [[row.get(name, "") for name in names] for row in (ROW, {**ROW, "staff_number": "T2"})]
    )
    table = files.read_table(buffer.getvalue().encode("utf-8-sig"), "csv")

    result = TeacherRowByRow(user=staff_user).import_data(as_dataset(table), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    teachers = Teacher.objects.filter(district=school.district)
    assert teachers.count() == 2 and {t.section for t in teachers} == {"primary"}
    result = TeacherRowByRow(user=staff_user).import_data(as_dataset(table), dry_run=True)
    assert result.totals["skip"] == 2
