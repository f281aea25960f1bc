"""django-import-export's own row-by-row import of the teachers' file, for the benchmark only.

The portal has one write path (bureau/sheets/engine.py: preload, validate, bulk upsert,
audit). The benchmark compares it with the library's default `resource.import_data(dataset)`
on the same file and the same resource (schools.resources.TeacherResource): per row an
instance lookup, a query per lookup cell, full_clean's uniqueness query, a savepoint and an
INSERT or UPDATE. What that path needs beyond the resource lives here, not in the product:
the per-cell lookup of a school code, the defaults of empty cells, the natural key
(district, staff number) and the tablib dataset.
"""

import tablib

from bureau.sheets.resources import blank_value, column
from schools.models import School, Teacher
from schools.resources import SchoolCodeWidget, TeacherResource


def as_dataset(table):
    """The rows of a read file (bureau.sheets.files.Table) as a tablib Dataset."""
    dataset = tablib.Dataset(headers=table.headers)
    width = len(table.headers)
    for _number, values in table.rows:
        dataset.append(tuple(values[:width]) + (None,) * (width - len(values)))
    return dataset


class SchoolCodeQueried(SchoolCodeWidget):
    """A school code looked up with one query per cell, as ForeignKeyWidget does."""

    def clean(self, value, row=None, **kwargs):
        key = self.key(value)
        if key is None:
            return None
        try:
            return School.objects.get(code=key)
        except School.DoesNotExist:
            raise ValueError(self.unknown(key)) from None


class TeacherRowByRow(TeacherResource):
    school = column("school", "学校标识码", SchoolCodeQueried())

    class Meta(TeacherResource.Meta):
        import_id_fields = ("staff_number",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        model_fields = {f.name: f for f in Teacher._meta.concrete_fields}
        for field in self.fields.values():
            model_field = model_fields.get(field.attribute)
            if model_field is not None and not model_field.is_relation:
                # Field.clean() returns this for an empty cell: the engine's meaning of one.
                field.default = lambda model_field=model_field: blank_value(model_field)

    def get_instance(self, instance_loader, row):
        # The natural key is (district, staff number), the district being the school's.
        school = self.fields["school"].clean(row)
        number = self.fields["staff_number"].clean(row)
        if school is None or number is None:
            return None
        return Teacher.objects.filter(district_id=school.district_id, staff_number=number).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.school_id:
            instance.district_id = instance.school.district_id
        if not instance.section and instance.school_id:
            instance.section = instance.school.sections[0]
