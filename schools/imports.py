"""Spreadsheet import: reading the file, the dry run, the bulk upsert and the import jobs.

The file format lives in schools/resources.py (one django-import-export resource per
kind); this module is our own fast path through it:

1. `check_upload` refuses a file by extension, content type, size and magic bytes
   before anything parses it; `read_table` parses xlsx (openpyxl) or csv (UTF-8 with or
   without BOM, GBK/GB18030 as Chinese Excel saves it) into rows that keep their
   spreadsheet row numbers (header = row 1).
2. An importer per kind reads every cell through the resource's widgets, preloads what
   the rows refer to (schools by code, terms, teachers by staff number, the existing
   records by natural key) in a few queries, builds the instances, and validates each
   with the model's own `full_clean()` plus the rules of the services. Every bad cell
   becomes one error (row, column header, reason); a dry run stops here.
3. If the whole file is valid, `apply` writes it in one transaction with bulk_create /
   bulk_update in batches, audits every created and changed record (old → new) with one
   INSERT per batch, and re-evaluates the schools whose indicators depend on the rows.

`ImportJob` carries a file through upload → validation → confirmation → import; large
files run both steps in a Celery task (schools/tasks.py) with a progress bar.
"""

import csv
import io
import logging
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import AuditLog
from bureau.permissions import can_import, scope_district_ids
from bureau.services import audit_bulk, field_changes
from schools.models import (
    District,
    EducationGroup,
    ImportJob,
    School,
    SchoolYear,
    Teacher,
    Term,
)
from schools.permissions import can_edit_school
from schools.resources import LookupWidget, blank_value, is_blank, resource_for, unknown_code_message

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # rows per bulk INSERT / UPDATE
IN_CHUNK = 2000  # values per `IN (...)` when preloading (SQLite allows 32766 parameters)
PROGRESS_EVERY = 250  # rows between progress reports
# A job claimed by a worker that then died is taken over after this long.
STALE_CLAIM = timedelta(minutes=30)

XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream",
    "application/zip", "application/x-zip-compressed", "",
}
# Windows browsers send application/vnd.ms-excel for .csv when Excel is installed.
CSV_TYPES = {
    "text/csv", "text/plain", "application/csv", "text/comma-separated-values", "text/x-csv",
    "application/vnd.ms-excel", "application/octet-stream", "",
}


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (wrong type, empty, missing columns…)."""


# ---- reading files ------------------------------------------------------------------


@dataclass
class Table:
    headers: list
    rows: list  # [(spreadsheet row number, tuple of cell values)]

    def as_dataset(self):
        """The same rows as a tablib Dataset, for django-import-export's own import path."""
        import tablib

        dataset = tablib.Dataset(headers=self.headers)
        width = len(self.headers)
        for _number, values in self.rows:
            values = tuple(values[:width]) + (None,) * (width - len(values))
            dataset.append(values)
        return dataset


def upload_format(name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in ("xlsx", "csv") else None


def check_upload(upload):
    """Refuse a file before parsing it. Returns its format ("xlsx" or "csv")."""
    fmt = upload_format(upload.name or "")
    if fmt is None:
        raise ImportFileError(_("Upload an .xlsx or .csv file (Excel: File → Save As → Excel workbook or CSV)."))
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": f"{upload.size / 1048576:.1f}", "limit": f"{limit / 1048576:.1f}"}
        )
    if upload.size == 0:
        raise ImportFileError(_("The file is empty."))
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in (XLSX_TYPES if fmt == "xlsx" else CSV_TYPES):
        raise ImportFileError(
            _("The file's type (%(type)s) does not match its .%(ext)s extension.") % {"type": content_type, "ext": fmt}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if fmt == "xlsx" and not head.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("This is not a valid .xlsx file (it is not a zip archive). Open it in Excel and save it as an "
              "Excel workbook (.xlsx), or as CSV.")
        )
    if fmt == "csv" and head.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("This file is an Excel workbook, not a CSV file: rename it to .xlsx."))
    return fmt


def _decode_csv(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" (UTF-16, tab-separated)
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, the encodings of Chinese Excel's CSV.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK encoded; save it again as CSV UTF-8.")) from None


def _clean_header(value):
    if value is None:
        return ""
    return str(value).replace("\ufeff", "").strip().rstrip("*＊").strip()


def _finish_table(raw_rows):
    """Header from row 1; data rows keep their spreadsheet numbers; blank rows are skipped."""
    rows = iter(raw_rows)
    header = next(rows, None)
    if header is None or all(is_blank(cell) for cell in header):
        raise ImportFileError(_("The file is empty: the first row must hold the column headers."))
    headers = [_clean_header(cell) for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    data = []
    for number, values in enumerate(rows, start=2):
        if all(is_blank(cell) for cell in values):
            continue
        data.append((number, tuple(values)))
    return Table(headers=headers, rows=data)


def read_table(data, fmt):
    if not data:
        raise ImportFileError(_("The file is empty."))
    if fmt == "csv":
        text = _decode_csv(data)
        first_line = text.split("\n", 1)[0]
        delimiter = max((",", "\t", ";"), key=first_line.count)
        return _finish_table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    import openpyxl

    try:
        # data_only: a formula cell gives the value Excel computed, not the formula text.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        logger.info("unreadable xlsx: %s", exc)
        raise ImportFileError(
            _("This .xlsx file cannot be read. Open it in Excel and save it again as an Excel workbook.")
        ) from None
    try:
        # The first sheet holds the data (templates put their notes on the second).
        sheet = book.worksheets[0]
        return _finish_table(sheet.iter_rows(values_only=True))
    finally:
        book.close()


def estimate_rows(data, fmt):
    """A cheap row count to choose between running inline and as a background job."""
    if fmt == "csv":
        return max(0, data.count(b"\n") - 1)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ImportFileError(
            _("This .xlsx file cannot be read. Open it in Excel and save it again as an Excel workbook.")
        ) from None
    try:
        sheet = book.worksheets[0]
        if not sheet.max_row:
            # No dimension recorded (files written in streaming mode): count the rows.
            sheet.calculate_dimension(force=True)
        return max(0, (sheet.max_row or 1) - 1)
    finally:
        book.close()


# ---- validation and writing ---------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    number: int
    values: dict = field(default_factory=dict)  # resource field name → Python value
    keys: dict = field(default_factory=dict)  # lookup field name → lookup key
    errors: list = field(default_factory=list)
    bad: set = field(default_factory=set)  # field names with an error
    key: tuple = None  # natural key, once resolved (None for a duplicate)


@dataclass
class Plan:
    kind: str
    total: int
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    creates: list = field(default_factory=list)  # [(instance, changes)]
    updates: list = field(default_factory=list)  # [(instance, changes)]
    unchanged: int = 0

    @property
    def counts(self):
        return {"new": len(self.creates), "update": len(self.updates), "unchanged": self.unchanged}


def _chunks(values, size):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _fetch(queryset, lookup, values):
    """queryset.filter(lookup__in=values) in chunks, as one list."""
    result = []
    for chunk in _chunks(set(values), IN_CHUNK):
        result.extend(queryset.filter(**{f"{lookup}__in": chunk}))
    return result


REQUIRED_CODES = {"blank", "null", "required"}


def _key(row, *names):
    """The natural key of a row from its resolved values (records by pk), or None."""
    parts = []
    for name in names:
        value = row.values.get(name)
        if value is None or name in row.bad:
            return None
        parts.append(value.pk if isinstance(value, models.Model) else value)
    return tuple(parts)


class Importer:
    """The import of one kind of spreadsheet. Subclasses resolve the lookup columns and
    name the natural key; everything else is shared."""

    kind = ""
    select_related = ()
    # Schools whose indicators depend on this kind: re-evaluated after the import.
    evaluates_schools = False

    def __init__(self, *, user, lock=False, progress=None):
        self.user = user
        self.lock = lock
        self.progress = progress or (lambda done, total: None)
        self.resource_class = resource_for(self.kind)
        self.model = self.resource_class._meta.model
        self.fields = dict(self.resource_class.ordered_fields())
        self.model_fields = {f.name: f for f in self.model._meta.concrete_fields}
        self.scope = None if user.is_superuser else scope_district_ids(user)
        # Teachers who change school: {teacher pk: (old school pk,)}, for the re-evaluation.
        self._moved_from = {}

    # -- the shared flow ------------------------------------------------------------

    def plan(self, table):
        """Validate the whole table. Nothing is written; the plan says what would be."""
        if not table.rows:
            raise ImportFileError(_("The file has column headers but no data rows."))
        columns = self._columns(table.headers)
        plan = Plan(kind=self.kind, total=len(table.rows))
        plan.notes = self._notes(table.headers)
        parsed = [self._parse(number, values, columns) for number, values in table.rows]
        self.progress(len(parsed) // 3, len(parsed))
        self.preload(parsed)
        keyed = {}
        for row in parsed:
            if any(name in row.bad for name in self.resource_class.key_fields):
                continue
            self.resolve(row)
            key = self.natural_key(row)
            if key is None:
                continue
            if key in keyed:
                self._error(
                    row, self.resource_class.key_fields[0],
                    _("Duplicate key: this record already appears in row %(row)d of the file.") % {"row": keyed[key]},
                )
                continue
            keyed[key] = row.number
            row.key = key
        existing = self.load_existing(list(keyed)) if keyed else {}
        done = 0
        for row in parsed:
            done += 1
            if done % PROGRESS_EVERY == 0:
                self.progress(len(parsed) // 3 + done * 2 // 3, len(parsed))
            self._build(row, existing, plan)
            plan.errors.extend(row.errors)
        plan.errors.sort(key=lambda e: e.row)
        return plan

    def apply(self, plan, *, by, note=""):
        """Write a valid plan: bulk inserts and updates in batches, audited, in the caller's
        transaction (the caller makes it one for the whole file)."""
        assert not plan.errors
        total = len(plan.creates) + len(plan.updates)
        done = 0
        for batch in _chunks(plan.creates, BATCH_SIZE):
            self.model.objects.bulk_create([instance for instance, _changes in batch])
            done += len(batch)
            self.progress(done, total)
        has_updated_at = "updated_at" in self.model_fields
        now = timezone.now()
        by_fields = defaultdict(list)
        for instance, changes in plan.updates:
            by_fields[tuple(sorted(changes))].append(instance)
        for names, instances in by_fields.items():
            update_fields = [self.model_fields[name].name for name in names]
            if has_updated_at:
                update_fields.append("updated_at")
                for instance in instances:
                    instance.updated_at = now
            for batch in _chunks(instances, BATCH_SIZE):
                self.model.objects.bulk_update(batch, update_fields)
                done += len(batch)
                self.progress(done, total)
        audit_bulk(actor=by, action=AuditLog.Action.IMPORT, instances_changes=plan.creates + plan.updates, note=note)
        if self.evaluates_schools:
            from schools.services import school_stats_evaluate

            school_ids = set()
            for instance, _changes in plan.creates + plan.updates:
                school_ids.add(instance.school_id)
                school_ids.update(self._moved_from.get(instance.pk, ()))
            if school_ids:
                school_stats_evaluate(school_ids=sorted(school_ids))
        return plan.counts

    # -- steps ----------------------------------------------------------------------

    def _columns(self, headers):
        """{field name: (column index, resource field)} of the columns present in the file."""
        by_header = {f.column_name: name for name, f in self.fields.items()}
        columns, seen = {}, set()
        for index, header in enumerate(headers):
            if header in seen and header in by_header:
                raise ImportFileError(_("The column “%(column)s” appears twice.") % {"column": header})
            seen.add(header)
            if header in by_header:
                name = by_header[header]
                columns[name] = (index, self.fields[name])
        missing = [self.fields[name].column_name for name in self.resource_class.required_fields() if name not in columns]
        if missing:
            raise ImportFileError(
                _("Required columns are missing: %(columns)s. Start from the template of this kind of file.")
                % {"columns": "、".join(missing)}
            )
        return columns

    def _notes(self, headers):
        known = {f.column_name for f in self.fields.values()}
        ignored = [h for h in headers if h and h not in known]
        if ignored:
            return [_("These columns are not part of this kind of file and were ignored: %(columns)s.")
                    % {"columns": "、".join(ignored)}]
        return []

    def _parse(self, number, values, columns):
        row = ParsedRow(number)
        width = len(values)
        for name, (index, resource_field) in columns.items():
            raw = values[index] if index < width else None
            widget = resource_field.widget
            try:
                if isinstance(widget, LookupWidget):
                    row.keys[name] = widget.key(raw)
                else:
                    row.values[name] = widget.clean(raw)
            except ValueError as exc:
                self._error(row, name, str(exc))
        for name in self.resource_class.key_fields:
            if name in row.bad:
                continue
            if row.keys.get(name, row.values.get(name)) is None:
                self._error(row, name, _("A value is required."))
        return row

    def _error(self, row, name, message):
        column = self.fields[name].column_name if name in self.fields else ""
        row.errors.append(RowError(row.number, column, message))
        row.bad.add(name)

    def _field_for_model_field(self, model_name):
        for name, resource_field in self.fields.items():
            if resource_field.attribute == model_name:
                return name
        return None

    def _data(self, row):
        """{model field name: value} of the cells present in the row; an empty cell means
        the field's default (0, no, empty), as in the template's notes."""
        data = {}
        for name in {**row.values, **row.keys}:
            if name in row.bad:
                continue
            value = row.values.get(name)
            attribute = self.fields[name].attribute
            data[attribute] = blank_value(self.model_fields[attribute]) if value is None else value
        return data

    def _build(self, row, existing, plan):
        data = self._data(row)
        if row.key is None:
            # No record to build (its key is bad, unknown or repeats an earlier row): still
            # check the row's other cells, so that one upload shows all of its problems.
            instance = self.model()
            for name, value in data.items():
                setattr(instance, name, value)
            defaulted = [self.fields[name].attribute for name in self.resource_class.defaulted_fields]
            self._full_clean(row, instance, exclude=defaulted)
            return
        instance = existing.get(row.key)
        is_new = instance is None
        self.prepare(row, data, instance)
        if is_new:
            instance = self.model()
            changes = field_changes(
                SimpleNamespace(**dict.fromkeys(data)), {k: v for k, v in data.items() if v != ""}
            )
        else:
            changes = field_changes(instance, data)
        for name, value in data.items():
            setattr(instance, name, value)
        self._full_clean(row, instance)
        if not row.errors:
            self.check(row, instance, changes, is_new)
        if row.errors:
            return
        if is_new:
            plan.creates.append((instance, changes))
        elif changes:
            plan.updates.append((instance, changes))
        else:
            plan.unchanged += 1

    def _full_clean(self, row, instance, exclude=()):
        """The model's own validators (choices, ranges, lengths, formats). Relations were
        resolved from preloaded rows and uniqueness is the natural key's, so neither needs
        the per-row queries full_clean would otherwise make."""
        exclude = [*exclude, *(f.name for f in self.model._meta.concrete_fields if f.is_relation)]
        exclude += [self.fields[name].attribute for name in row.bad if name in self.fields]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self._validation_errors(row, exc)

    def _validation_errors(self, row, exc):
        for model_name, errors in exc.error_dict.items():
            name = self._field_for_model_field(model_name) if model_name != NON_FIELD_ERRORS else None
            for error in errors:
                if error.code in REQUIRED_CODES:
                    message = _("A value is required.")
                else:
                    message = " ".join(error.messages)
                if name is None:
                    row.errors.append(RowError(row.number, "", message))
                else:
                    self._error(row, name, message)

    # -- scope helpers --------------------------------------------------------------

    def district_allowed(self, district_id):
        return self.scope is None or district_id in self.scope

    def school_for(self, row, name, schools):
        """The school a code column names, or an error saying why not."""
        code = row.keys.get(name)
        if code is None:
            return None
        school = schools.get(code)
        if school is None:
            self._error(row, name, unknown_code_message(_("Unknown school code %(code)s.") % {"code": code}, code))
            return None
        if not can_edit_school(self.user, school):
            self._error(row, name, _("School %(code)s (%(name)s) is not in your district.") % {
                "code": code, "name": school.name})
            return None
        row.values[name] = school
        return school

    def load_schools(self, parsed, *names):
        codes = {row.keys.get(name) for row in parsed for name in names} - {None}
        return {s.code: s for s in _fetch(School.objects.select_related("district"), "code", codes)}

    def teachers_by_number(self, numbers, district_ids=None):
        """{staff number: [teachers]} in the user's districts (or in `district_ids`)."""
        queryset = Teacher.objects.select_related("school")
        if district_ids is not None:
            queryset = queryset.filter(district_id__in=district_ids)
        elif self.scope is not None:
            queryset = queryset.filter(district_id__in=self.scope)
        result = defaultdict(list)
        for teacher in _fetch(queryset, "staff_number", numbers):
            result[teacher.staff_number].append(teacher)
        return result

    def teacher_for(self, row, name, teachers):
        number = row.keys.get(name)
        if number is None:
            return None
        found = teachers.get(number, [])
        if not found:
            self._error(row, name, unknown_code_message(
                _("Unknown staff number %(number)s in your district.") % {"number": number}, number))
            return None
        if len(found) > 1:
            self._error(row, name, _("Staff number %(number)s belongs to teachers of several districts.") % {
                "number": number})
            return None
        teacher = found[0]
        if not can_edit_school(self.user, teacher.school):
            self._error(row, name, _("Teacher %(number)s is not in your district.") % {"number": number})
            return None
        row.values[name] = teacher
        return teacher

    def existing_queryset(self):
        queryset = self.model.objects.select_related(*self.select_related)
        if self.lock:
            # Rows about to be updated are locked until the import commits.
            queryset = queryset.select_for_update(of=("self",))
        return queryset

    # -- per kind -------------------------------------------------------------------

    def preload(self, parsed):
        raise NotImplementedError

    def resolve(self, row):
        raise NotImplementedError

    def natural_key(self, row):
        raise NotImplementedError

    def load_existing(self, keys):
        raise NotImplementedError

    def prepare(self, row, data, instance):
        """Fill what the row does not say (district from the school…)."""

    def check(self, row, instance, changes, is_new):
        """Rules of the services beyond the model's validators."""


class SchoolImporter(Importer):
    kind = "schools"
    select_related = ("district", "group")

    def preload(self, parsed):
        codes = {row.values.get("code") for row in parsed} - {None}
        self.existing = {s.code: s for s in _fetch(self.existing_queryset(), "code", codes)}
        district_codes = {row.keys.get("district") for row in parsed} - {None}
        self.districts = {d.code: d for d in _fetch(District.objects.all(), "code", district_codes)}
        # A district account's schools are in its district; a city account names the district.
        self.default_district = None
        if self.scope is not None and len(self.scope) == 1:
            self.default_district = District.objects.get(pk=next(iter(self.scope)))
        elif self.scope is None and self.user.district_id:
            self.default_district = District.objects.get(pk=self.user.district_id)
        names = {row.keys.get("group") for row in parsed} - {None}
        self.groups = {(g.district_id, g.name): g for g in _fetch(EducationGroup.objects.all(), "name", names)}

    def resolve(self, row):
        code = row.values["code"]
        school = self.existing.get(code)
        if school is not None and not can_edit_school(self.user, school):
            self._error(row, "code", _("School %(code)s (%(name)s) is not in your district.") % {
                "code": code, "name": school.name})
            return
        district_code = row.keys.get("district")
        if district_code is not None:
            district = self.districts.get(district_code)
            if district is None:
                self._error(row, "district", _("Unknown district code %(code)s.") % {"code": district_code})
                return
            if not self.district_allowed(district.pk):
                self._error(row, "district", _("District %(code)s is not in your district.") % {"code": district_code})
                return
        elif school is not None:
            district = school.district
        elif self.default_district is not None and self.district_allowed(self.default_district.pk):
            district = self.default_district
        else:
            self._error(row, "district", _("A value is required."))
            return
        row.values["district"] = district
        row.keys.pop("district", None)
        group_name = row.keys.get("group")
        if group_name is not None:
            group = self.groups.get((district.pk, group_name))
            if group is None:
                self._error(row, "group", _("Unknown education group “%(name)s” in %(district)s.") % {
                    "name": group_name, "district": district})
                return
            row.values["group"] = group

    def natural_key(self, row):
        return row.values.get("code")

    def load_existing(self, keys):
        return self.existing


class SchoolYearStatImporter(Importer):
    kind = "stats"
    select_related = ("school", "school_year")
    evaluates_schools = True

    def preload(self, parsed):
        self.schools = self.load_schools(parsed, "school")
        years = {row.keys.get("school_year") for row in parsed} - {None}
        self.years = {y.start_year: y for y in SchoolYear.objects.filter(start_year__in=years)}

    def resolve(self, row):
        self.school_for(row, "school", self.schools)
        start = row.keys.get("school_year")
        year = self.years.get(start)
        if year is None:
            self._error(row, "school_year", _("The school year %(year)s does not exist in the portal yet.") % {
                "year": f"{start}-{start + 1}"})
            return
        row.values["school_year"] = year

    def natural_key(self, row):
        return _key(row, "school", "school_year")

    def load_existing(self, keys):
        rows = _fetch(
            self.existing_queryset().filter(school_year_id__in={k[1] for k in keys}), "school_id", {k[0] for k in keys}
        )
        return {(s.school_id, s.school_year_id): s for s in rows}


class SchoolClassImporter(Importer):
    kind = "classes"
    select_related = ("school", "term", "head_teacher")

    def preload(self, parsed):
        self.schools = self.load_schools(parsed, "school")
        term_keys = {row.keys.get("term") for row in parsed} - {None}
        self.terms = {
            (t.school_year.start_year, t.number): t
            for t in Term.objects.select_related("school_year").filter(
                school_year__start_year__in={k[0] for k in term_keys})
        }
        numbers = {row.keys.get("head_teacher") for row in parsed} - {None}
        district_ids = {s.district_id for s in self.schools.values()}
        self.teachers = self.teachers_by_number(numbers, district_ids) if numbers else {}

    def resolve(self, row):
        school = self.school_for(row, "school", self.schools)
        key = row.keys.get("term")
        term = self.terms.get(key)
        if term is None:
            self._error(row, "term", _("The term %(term)s does not exist in the portal yet.") % {
                "term": f"{key[0]}-{key[0] + 1}-{key[1]}"})
        else:
            row.values["term"] = term
        number = row.keys.get("head_teacher")
        if number is not None and school is not None:
            head = next((t for t in self.teachers.get(number, []) if t.district_id == school.district_id), None)
            if head is None:
                self._error(row, "head_teacher", _("Unknown staff number %(number)s in your district.") % {
                    "number": number})
            else:
                row.values["head_teacher"] = head

    def natural_key(self, row):
        return _key(row, "school", "term", "grade", "number")

    def load_existing(self, keys):
        rows = _fetch(
            self.existing_queryset().filter(term_id__in={k[1] for k in keys}), "school_id", {k[0] for k in keys}
        )
        return {(c.school_id, c.term_id, c.grade, c.number): c for c in rows}

    def check(self, row, instance, changes, is_new):
        # Grade and head teacher were checked by SchoolClass.clean() in full_clean.
        from schools.services import LOCKED_CLASS_FIELDS

        if not is_new and instance.is_locked and any(name in changes for name in LOCKED_CLASS_FIELDS):
            self._error(row, "boys", _(
                "Class %(cls)s is locked after a balanced class assignment; its pupils cannot be changed by an import."
            ) % {"cls": instance})


class TeacherImporter(Importer):
    kind = "teachers"
    select_related = ("school", "district")
    evaluates_schools = True

    def preload(self, parsed):
        self.schools = self.load_schools(parsed, "school")

    def resolve(self, row):
        self.school_for(row, "school", self.schools)

    def natural_key(self, row):
        school, number = row.values.get("school"), row.values.get("staff_number")
        return None if school is None or number is None else (school.district_id, number)

    def load_existing(self, keys):
        rows = _fetch(
            self.existing_queryset().filter(district_id__in={k[0] for k in keys}), "staff_number",
            {k[1] for k in keys},
        )
        return {(t.district_id, t.staff_number): t for t in rows}

    def prepare(self, row, data, instance):
        school = row.values["school"]
        data["district"] = school.district
        if not data.get("section"):
            from schools.services import default_section

            data["section"] = default_section(school)
        if instance is not None and instance.school_id != school.pk:
            if not can_edit_school(self.user, instance.school):
                self._error(row, "staff_number", _("Teacher %(number)s is not in your district.") % {
                    "number": instance.staff_number})
                return
            # A teacher who moves counts for both schools' indicators.
            self._moved_from[instance.pk] = (instance.school_id,)


class TrainingRecordImporter(Importer):
    kind = "trainings"
    select_related = ("teacher",)

    def preload(self, parsed):
        numbers = {row.keys.get("teacher") for row in parsed} - {None}
        self.teachers = self.teachers_by_number(numbers)

    def resolve(self, row):
        self.teacher_for(row, "teacher", self.teachers)

    def natural_key(self, row):
        return _key(row, "teacher", "course", "date")

    def load_existing(self, keys):
        rows = _fetch(self.existing_queryset(), "teacher_id", {k[0] for k in keys})
        return {(r.teacher_id, r.course, r.date): r for r in rows}


class RotationImporter(Importer):
    kind = "rotations"
    select_related = ("teacher", "from_school", "to_school")

    def preload(self, parsed):
        numbers = {row.keys.get("teacher") for row in parsed} - {None}
        self.teachers = self.teachers_by_number(numbers)
        self.schools = self.load_schools(parsed, "from_school", "to_school")

    def resolve(self, row):
        self.teacher_for(row, "teacher", self.teachers)
        self.school_for(row, "from_school", self.schools)
        self.school_for(row, "to_school", self.schools)

    def natural_key(self, row):
        return _key(row, "teacher", "start_date")

    def load_existing(self, keys):
        rows = _fetch(self.existing_queryset(), "teacher_id", {k[0] for k in keys})
        return {(r.teacher_id, r.start_date): r for r in rows}

    def prepare(self, row, data, instance):
        # As schools.services.rotation_create: the teacher leaves their own school by default.
        if data.get("from_school") is None:
            data["from_school"] = row.values["teacher"].school



IMPORTERS = {
    importer.kind: importer
    for importer in (
        SchoolImporter, SchoolYearStatImporter, SchoolClassImporter, TeacherImporter, TrainingRecordImporter,
        RotationImporter,
    )
}


def importer_for(kind, **kwargs):
    return IMPORTERS[kind](**kwargs)


# ---- one-call entry points ------------------------------------------------------------


def _phase(progress, start, share):
    """An importer's (done, total) reports as a fraction of the whole job, for `progress`."""
    if progress is None:
        return None
    return lambda done, total: progress(start + share * (min(done, total) / total if total else 1.0))


def import_validate(*, kind, table, by, progress=None):
    """The dry run: every error and the counts, nothing written. `progress(fraction)`."""
    return importer_for(kind, user=by, progress=_phase(progress, 0.0, 1.0)).plan(table)


@transaction.atomic
def import_apply(*, kind, table, by, progress=None, note=""):
    """Validate again and write, all or nothing. Returns the plan (with errors, if any,
    in which case nothing was written)."""
    if not can_import(by):
        raise DomainError(_("You may not import data."))
    importer = importer_for(kind, user=by, lock=True, progress=_phase(progress, 0.0, 0.5))
    plan = importer.plan(table)
    if not plan.errors:
        importer.progress = _phase(progress, 0.5, 0.5) or importer.progress
        importer.apply(plan, by=by, note=note)
    return plan


# ---- import jobs ----------------------------------------------------------------------


def _progress_key(job_id):
    return f"import-job-progress:{job_id}"


def job_progress(job):
    """(processed, total) of a job: the running task reports through the cache, since its
    own writes are invisible to other connections until the import commits."""
    if job.is_running:
        cached = cache.get(_progress_key(job.pk))
        if cached:
            return cached
    return job.processed_rows, job.total_rows


def _reporter(job_id, total):
    """progress(fraction) of a job → (rows processed, total rows) in the cache."""

    def report(fraction):
        cache.set(_progress_key(job_id), (round(fraction * total), total), timeout=3600)

    return report


def _claim(job_id, source, target, **fields):
    """Move a job from `source` to `target` if, and only if, it is in `source` now (or was
    claimed by a worker that died long ago). True when this caller won the claim."""
    assert target in ImportJob.TRANSITIONS[source]
    now = timezone.now()
    stale = models.Q(status=target, claimed_at__lt=now - STALE_CLAIM)
    return bool(
        ImportJob.objects.filter(models.Q(pk=job_id) & (models.Q(status=source) | stale))
        .update(status=target, claimed_at=now, **fields)
    )


def _finish(job_id, source, target, **fields):
    assert target in ImportJob.TRANSITIONS[source]
    return bool(ImportJob.objects.filter(pk=job_id, status=source).update(status=target, **fields))


def _fail_file(job_id, source, message):
    _finish(job_id, source, ImportJob.Status.FAILED, message=message, finished_at=timezone.now())


def _read_job_table(job):
    with job.file.open("rb") as handle:
        data = handle.read()
    return read_table(data, job.file_format)


def import_job_create(*, kind, upload, by, language=None):
    """Store an uploaded file as a job and validate it: now if small, in a task if large."""
    if not can_import(by):
        raise DomainError(_("You may not import data."))
    if kind not in IMPORTERS:
        raise DomainError(_("Unknown kind of file."))
    fmt = check_upload(upload)
    upload.seek(0)
    data = upload.read()
    rows = estimate_rows(data, fmt)
    job = ImportJob(
        kind=kind, original_name=(upload.name or "")[-200:], file_format=fmt, created_by=by,
        district_id=by.district_id, language=language or translation.get_language() or settings.LANGUAGE_CODE,
        run_async=rows > settings.IMPORT_ASYNC_ROW_THRESHOLD, total_rows=min(rows, 2**31 - 1),
    )
    job.file.save(f"upload.{fmt}", ContentFile(data), save=False)
    job.save()
    if job.run_async:
        _enqueue(job.pk)
    else:
        import_job_validate(job_id=job.pk)
        job.refresh_from_db()
    return job


def _enqueue(job_id):
    from schools.tasks import import_job_process

    # On commit: the worker must find the job (and its status) that this transaction writes.
    transaction.on_commit(lambda: import_job_process.delay(job_id))


def import_job_validate(*, job_id):
    """The dry run of a job. Safe to call twice: only the caller that claims it works."""
    Status = ImportJob.Status
    if not _claim(job_id, Status.PENDING, Status.VALIDATING, processed_rows=0):
        return False
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.language):
        try:
            table = _read_job_table(job)
            ImportJob.objects.filter(pk=job_id).update(total_rows=len(table.rows))
            plan = import_validate(
                kind=job.kind, table=table, by=job.created_by, progress=_reporter(job_id, len(table.rows))
            )
        except ImportFileError as exc:
            _fail_file(job_id, Status.VALIDATING, str(exc))
            return True
        except (OperationalError, InterfaceError):
            # A lost database connection: give the job back for the retry.
            _finish(job_id, Status.VALIDATING, Status.PENDING)
            raise
        except Exception:
            logger.exception("import job %s: validation failed", job_id)
            _fail_file(job_id, Status.VALIDATING, _("The file could not be checked because of an internal error."))
            return True
    now = timezone.now()
    _finish(
        job_id, Status.VALIDATING, Status.FAILED if plan.errors else Status.VALIDATED,
        total_rows=plan.total, processed_rows=plan.total, counts=plan.counts,
        errors=[e.as_dict() for e in plan.errors], error_count=len(plan.errors), notes=plan.notes,
        validated_at=now, finished_at=now if plan.errors else None,
    )
    return True


def import_job_confirm(*, job, by):
    """The user confirms a validated job: import it now if small, in a task if large."""
    Status = ImportJob.Status
    if not can_import(by):
        raise DomainError(_("You may not import data."))
    if not _finish(job.pk, Status.VALIDATED, Status.CONFIRMED, confirmed_by=by, confirmed_at=timezone.now()):
        raise DomainError(_("This file cannot be imported now: it is not waiting for confirmation."))
    if job.run_async:
        _enqueue(job.pk)
    else:
        import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    return job


def import_job_execute(*, job_id):
    """Import a confirmed job, all or nothing. Safe to call twice."""
    Status = ImportJob.Status
    if not _claim(job_id, Status.CONFIRMED, Status.IMPORTING, processed_rows=0):
        return False
    job = ImportJob.objects.select_related("confirmed_by", "created_by").get(pk=job_id)
    actor = job.confirmed_by or job.created_by
    note = _("Import #%(id)s: %(name)s") % {"id": job.pk, "name": job.original_name}
    with translation.override(job.language):
        try:
            table = _read_job_table(job)
            with transaction.atomic():
                plan = import_apply(
                    kind=job.kind, table=table, by=actor, note=note, progress=_reporter(job_id, len(table.rows))
                )
                now = timezone.now()
                if plan.errors:
                    # The data changed since the preview; nothing was written.
                    _finish(
                        job_id, Status.IMPORTING, Status.FAILED, counts=plan.counts, processed_rows=0,
                        errors=[e.as_dict() for e in plan.errors], error_count=len(plan.errors), finished_at=now,
                        message=_("The data changed since the preview; nothing was imported. Check the errors."),
                    )
                else:
                    # In the same transaction as the rows: "done" and the data commit together.
                    _finish(
                        job_id, Status.IMPORTING, Status.DONE, counts=plan.counts, total_rows=plan.total,
                        processed_rows=plan.total, errors=[], error_count=0, finished_at=now,
                    )
        except ImportFileError as exc:
            _fail_file(job_id, Status.IMPORTING, str(exc))
        except IntegrityError:
            logger.warning("import job %s: integrity error, rolled back", job_id, exc_info=True)
            _fail_file(job_id, Status.IMPORTING, _(
                "Someone changed the same records while the file was importing; nothing was imported. "
                "Upload the file again."))
        except (OperationalError, InterfaceError):
            _finish(job_id, Status.IMPORTING, Status.CONFIRMED)
            raise
        except Exception as exc:
            logger.exception("import job %s: import failed", job_id)
            message = str(exc) if isinstance(exc, DomainError) else _(
                "The import stopped because of an internal error; nothing was imported.")
            _fail_file(job_id, Status.IMPORTING, message)
    cache.delete(_progress_key(job_id))
    return True


def import_job_process(*, job_id):
    """What the task does: the next step the job is waiting for."""
    status = ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
    if status in (ImportJob.Status.PENDING, ImportJob.Status.VALIDATING):
        return import_job_validate(job_id=job_id)
    if status in (ImportJob.Status.CONFIRMED, ImportJob.Status.IMPORTING):
        return import_job_execute(job_id=job_id)
    return False


def import_jobs_recent(*, user, limit=10):
    return ImportJob.objects.visible_to(user).filter(created_by=user).order_by("-created_at", "-id")[:limit]


# Uploaded spreadsheets hold teachers' personal data: keep them only as long as someone
# may still want to look at what was imported. The job row (counts, errors) stays.
IMPORT_FILE_RETENTION_DAYS = 90


def import_files_purge(*, older_than_days=IMPORT_FILE_RETENTION_DAYS, now=None):
    """Delete the uploaded files of jobs that finished more than `older_than_days` ago."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    jobs = ImportJob.objects.filter(
        status__in=(ImportJob.Status.DONE, ImportJob.Status.FAILED), finished_at__lt=cutoff
    ).exclude(file="")
    purged = 0
    for job in jobs.only("pk", "file").iterator():
        job.file.delete(save=False)
        # Conditional on the file still being there: a concurrent run deletes it once.
        purged += ImportJob.objects.filter(pk=job.pk).exclude(file="").update(file="")
    return purged
