"""The import of one spreadsheet: validate every row, then write all of them or none.

1. Every cell is read through its column's widget; lookup columns become keys.
2. The engine loads every record the file names in a few queries (lookup columns through
   their widgets, the rest through the resource's `preload`), resolves each row, computes
   its natural key and loads the existing records by key.
3. Each row becomes an instance validated with the model's own `full_clean()`, so its
   `clean()` rules are the same for the web form, the API and the file. Every bad cell
   becomes one error (row, column header, reason); a dry run stops here with a plan.
4. If the whole file is valid, `apply` writes it in one transaction with bulk_create /
   bulk_update in batches, audits every created and changed record (old → new) with one
   INSERT per batch, and lets the resource finish (`after_apply`).

The plan also says what it was made against and what it would do, for the job:
`plan.digest`, over the records its rows name as they were (or that they did not exist),
so that the import, which plans again inside its transaction, refuses to write over
changes made since the preview (`PreviewOutdated`); and `plan.preview`, the new and
updated rows for the job page (bureau/sheets/preview.py).
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import refcache
from bureau.errors import DomainError
from bureau.models import AuditLog
from bureau.permissions import can_import
from bureau.services import audit_bulk, field_changes
from bureau.sheets.files import ImportFileError
from bureau.sheets.lookups import LookupWidget, chunks
from bureau.sheets.preview import Collector
from bureau.sheets.registry import resource_for
from bureau.sheets.resources import blank_value
from bureau.webforms import limit_message

BATCH_SIZE = 500  # rows per bulk INSERT / UPDATE
PROGRESS_EVERY = 250  # rows between progress reports
REQUIRED_CODES = {"blank", "null", "required"}


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


class PreviewOutdated(DomainError):
    """The records a file names changed since its preview: nothing was written."""

    def __init__(self):
        super().__init__(_(
            "Since the preview, someone else changed or added records that this file would write, so nothing "
            "was imported: the preview no longer shows what the import would do. Upload the file again to see "
            "a new preview."
        ))


@dataclass
class Plan:
    kind: str
    total: int
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    creates: list = field(default_factory=list)  # [(instance, changes)]
    updates: list = field(default_factory=list)  # [(instance, changes)]
    unchanged: int = 0
    digest: str = ""  # of the records the rows name, as they were when planned
    collector: Collector = None

    @property
    def counts(self):
        return {"new": len(self.creates), "update": len(self.updates), "unchanged": self.unchanged}

    @property
    def preview(self):
        """The rows the job page shows (bureau/sheets/preview.py), JSON-ready; None when
        the plan has errors or was made without a preview."""
        if self.errors or self.collector is None:
            return None
        return self.collector.result(self.counts)


class SheetImport:
    """The import of one file of one kind by one user."""

    def __init__(self, *, kind, user, lock=False, progress=None, preview=True):
        self.kind = kind
        self.user = user
        self.lock = lock
        self.with_preview = preview
        self.progress = progress or (lambda done, total: None)
        self.resource = resource_for(kind)(user=user)
        self.model = self.resource._meta.model
        self.fields = dict(self.resource.ordered_fields())
        self.model_fields = {f.name: f for f in self.model._meta.concrete_fields}
        self.lookups = {}  # lookup column → {key: [records]}

    # ---- the flow ------------------------------------------------------------------

    def plan(self, table):
        """Validate the whole table. Nothing is written; the plan says what would be."""
        if not table.rows:
            raise ImportFileError(_("The file has column headers but no data rows."))
        columns = self._columns(table.headers)
        key_fields = self.resource.key_fields
        plan = Plan(kind=self.kind, total=len(table.rows))
        plan.notes = self._notes(table.headers)
        self.preview = plan.collector = Collector(self) if self.with_preview else None
        parsed = [self._parse(number, values, columns) for number, values in table.rows]
        self.progress(len(parsed) // 3, len(parsed))
        self._preload_lookups(parsed, columns)
        self.resource.preload(self, parsed)
        keyed = {}
        for row in parsed:
            if any(name in row.bad for name in key_fields):
                continue
            self._resolve(row, columns)
            key = self.resource.natural_key(self, row)
            if key is None:
                continue
            if key in keyed:
                self.error(row, key_fields[0], _(
                    "Duplicate key: this record already appears in row %(row)d of the file.") % {"row": keyed[key]})
                continue
            keyed[key] = row.number
            row.key = key
        existing = self.resource.load_existing(self, list(keyed)) if keyed else {}
        plan.digest = self._digest(keyed, existing)  # before the rows set their values on the records
        for done, row in enumerate(parsed, start=1):
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
        manager = self.model._base_manager
        for batch in chunks(plan.creates, BATCH_SIZE):
            manager.bulk_create([instance for instance, _changes in batch])
            done += len(batch)
            self.progress(done, total)
        has_updated_at = "updated_at" in self.model_fields
        now = timezone.now()
        by_fields = defaultdict(list)
        for instance, changes in plan.updates:
            by_fields[tuple(sorted(changes))].append(instance)
        for names, instances in by_fields.items():
            update_fields = list(names)
            if has_updated_at:
                update_fields.append("updated_at")
                for instance in instances:
                    instance.updated_at = now
            for batch in chunks(instances, BATCH_SIZE):
                manager.bulk_update(batch, update_fields)
                done += len(batch)
                self.progress(done, total)
        audit_bulk(actor=by, action=AuditLog.Action.IMPORT, instances_changes=plan.creates + plan.updates, note=note)
        self.resource.after_apply(self, plan)
        return plan.counts

    # ---- what hooks use ------------------------------------------------------------

    def error(self, row, name, message):
        column = self.fields[name].column_name if name in self.fields else ""
        row.errors.append(RowError(row.number, column, message))
        row.bad.add(name)

    def matches(self, name, key):
        """The records a lookup column's key names, as the user may name them."""
        return self.lookups.get(name, {}).get(key, [])

    def existing_queryset(self):
        """The records this import may update: those the user may see, with their relations."""
        queryset = self.model._default_manager.select_related(*self.resource.select_related).visible_to(self.user)
        if self.lock:
            # Rows about to be updated are locked until the import commits.
            queryset = queryset.select_for_update(of=("self",))
        return queryset

    # ---- steps ---------------------------------------------------------------------

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
        missing = [self.fields[name].column_name for name in self.resource.required_fields() if name not in columns]
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
                self.error(row, name, str(exc))
        for name in self.resource.key_fields:
            if name not in row.bad and row.keys.get(name, row.values.get(name)) is None:
                self.error(row, name, _("A value is required."))
        return row

    def _preload_lookups(self, parsed, columns):
        """Every record the lookup columns name, one load per kind of widget: the two
        school columns of a rotation share one query."""
        groups = defaultdict(list)
        for name, (_index, resource_field) in columns.items():
            if isinstance(resource_field.widget, LookupWidget):
                groups[type(resource_field.widget)].append(name)
        for names in groups.values():
            keys = {row.keys.get(name) for row in parsed for name in names} - {None}
            loaded = self.fields[names[0]].widget.load(keys, self.user) if keys else {}
            for name in names:
                self.lookups[name] = loaded

    def _resolve(self, row, columns):
        for name in self.lookups:
            if name in self.resource.resolves_itself or name in row.bad:
                continue
            key = row.keys.get(name)
            if key is None:
                continue
            widget = self.fields[name].widget
            found = self.matches(name, key)
            if not found:
                self.error(row, name, widget.unknown(key))
            elif len(found) > 1:
                self.error(row, name, widget.several(key))
            else:
                row.values[name] = found[0]
        self.resource.resolve(self, row)

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
            defaulted = [self.fields[name].attribute for name in self.resource.defaulted_fields]
            self._full_clean(row, instance, exclude=defaulted)
            return
        instance = existing.get(row.key)
        is_new = instance is None
        self.resource.prepare(self, row, data, instance)
        old = None
        if is_new:
            instance = self.model()
            changes = field_changes(SimpleNamespace(**dict.fromkeys(data)), {k: v for k, v in data.items() if v != ""})
        else:
            changes = field_changes(instance, data)
            if changes and self.preview and self.preview.has_room(is_new=False):
                old = self.preview.old_values(instance, changes)
        for name, value in data.items():
            setattr(instance, name, value)
        self._full_clean(row, instance)
        if row.errors:
            return
        if is_new:
            plan.creates.append((instance, changes))
            if self.preview:
                self.preview.add(row.number, data, changes)
        elif changes:
            plan.updates.append((instance, changes))
            if old is not None:
                self.preview.add(row.number, data, changes, old=old)
        else:
            plan.unchanged += 1

    def _digest(self, keys, existing):
        """A digest of what the plan is made against: for each natural key of the file, the
        record's values of the fields the import writes, or that there was none. Made again
        by the import inside its transaction (rows locked), it differs when a record was
        changed, added or deleted since the preview."""
        attnames = sorted({
            self.model._meta.get_field(f.attribute).attname
            for f in self.fields.values() if f.attribute in self.model_fields
        })
        lines = []
        for key in keys:
            record = existing.get(key)
            values = None if record is None else [getattr(record, name) for name in attnames]
            lines.append(json.dumps([key, values], default=str, ensure_ascii=False))
        digest = hashlib.sha256()
        for line in sorted(lines):
            digest.update(line.encode() + b"\n")
        return digest.hexdigest()

    def _full_clean(self, row, instance, exclude=()):
        """The model's own validation: its validators (choices, ranges, lengths, formats)
        and its `clean()` rules, the same as the services run. Relations were resolved from
        rows the user may see and uniqueness is the natural key's, so neither needs the
        per-row queries full_clean would otherwise make."""
        exclude = [*exclude, *(f.name for f in self.model._meta.concrete_fields if f.is_relation)]
        exclude += [self.fields[name].attribute for name in row.bad if name in self.fields]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self._validation_errors(row, exc)

    def _validation_errors(self, row, exc):
        by_attribute = {f.attribute: name for name, f in self.fields.items()}
        for model_name, errors in exc.error_dict.items():
            name = by_attribute.get(model_name) if model_name != NON_FIELD_ERRORS else None
            for error in errors:
                if error.code in REQUIRED_CODES:
                    message = _("A value is required.")
                else:
                    message = limit_message(error) or " ".join(error.messages)
                if name is None:
                    row.errors.append(RowError(row.number, "", message))
                else:
                    self.error(row, name, message)


# ---- one-call entry points ----------------------------------------------------------------


def _phase(progress, start, share):
    """An import's (done, total) reports as a fraction of the whole job, for `progress`."""
    if progress is None:
        return None
    return lambda done, total: progress(start + share * (min(done, total) / total if total else 1.0))


def import_validate(*, kind, table, by, progress=None):
    """The dry run: every error and the counts, nothing written. `progress(fraction)`."""
    return SheetImport(kind=kind, user=by, progress=_phase(progress, 0.0, 1.0)).plan(table)


@transaction.atomic
def import_apply(*, kind, table, by, progress=None, note="", expected_digest=""):
    """Validate again and write, all or nothing. Returns the plan (with errors, if any,
    in which case nothing was written).

    `expected_digest` is the digest of the preview the user confirmed (`plan.digest` of
    `import_validate`): when the records the file names changed since, nothing is written
    and PreviewOutdated is raised. Empty: no check (a job previewed before digests).
    """
    if not can_import(by):
        raise DomainError(_("You may not import data."))
    sheet = SheetImport(kind=kind, user=by, lock=True, progress=_phase(progress, 0.0, 0.5), preview=False)
    plan = sheet.plan(table)
    if not plan.errors:
        if expected_digest and plan.digest != expected_digest:
            raise PreviewOutdated()
        sheet.progress = _phase(progress, 0.5, 0.5) or sheet.progress
        sheet.apply(plan, by=by, note=note)
        # Bulk writes send no signals: reference data cached from these tables goes.
        refcache.forget_all()
    return plan
