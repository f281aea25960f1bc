"""The resource base every kind of spreadsheet extends (django-import-export's ModelResource).

A kind declares its file format (the column headers, one widget per column, an example
row and notes for the template), its natural key, and the import hooks that find what a
row names: `preload` (a few queries for the whole file), `resolve` (one row), `natural_key`,
`load_existing`, `prepare` (fill what the row does not say) and `after_apply`. The engine
(bureau/sheets/engine.py) calls them; the defaults fit kinds whose key is plain columns.

The column headers and the choice labels in cells are the *file format*: a file exported
by a user reading the portal in English must import for a colleague reading it in Chinese,
so they are fixed strings and deliberately not translated. Every message is translated.
"""

from django.db import models
from import_export import fields, resources

from bureau.sheets.lookups import fetch

# Narrow the existing-records query by another key column only when it takes few values
# (a term, a school year); a column of thousands of values would overflow the parameters.
FEW_VALUES = 100


def column(attribute, header, widget, **kwargs):
    return fields.Field(attribute=attribute, column_name=header, widget=widget, **kwargs)


def blank_value(model_field):
    """What an empty cell means for a model field: its default (0, no…), else null, else
    empty text."""
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    if isinstance(model_field, (models.CharField, models.TextField)):
        return ""
    return None


def key_of(row, *names):
    """The key of a row from its resolved values (records by pk), or None."""
    parts = []
    for name in names:
        value = row.values.get(name)
        if value is None or name in row.bad:
            return None
        parts.append(value.pk if isinstance(value, models.Model) else value)
    return tuple(parts)


class SheetResource(resources.ModelResource):
    """What every kind of spreadsheet declares.

    kind             the name used in URLs and on import jobs
    verbose_name     the kind as users read it
    key_fields       the natural key (resource field names); rows upsert on it
    example          one example row for the template, by field name
    notes            extra help per field for the template's notes sheet
    defaulted_fields required model fields that the import fills when the cell is empty
    withheld_fields  fields some users may not read: exported empty for them (the column
                     stays, so that the file has the same shape for everyone)
    select_related   relations the import and the export read
    export_ordering  the order of exported rows
    resolves_itself  lookup columns that `resolve` resolves (the engine does the others)
    listed           offered on the generic import and export pages; False for a kind that
                     only its own page imports, in its own context (a class draw's roster)
    """

    kind = ""
    verbose_name = ""
    key_fields = ()
    example = {}
    notes = {}
    defaulted_fields = ()
    withheld_fields = ()
    select_related = ()
    export_ordering = ()
    resolves_itself = ()
    listed = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @classmethod
    def ordered_fields(cls):
        """(name, field) in file order (Meta.fields); `cls.fields` is in model order."""
        return [(name, cls.fields[name]) for name in cls._meta.fields]

    @classmethod
    def headers(cls):
        return [field.column_name for _name, field in cls.ordered_fields()]

    @classmethod
    def required_fields(cls):
        """The key columns and the model fields that have neither a default nor blank=True."""
        required = list(cls.key_fields)
        model_fields = {f.name: f for f in cls._meta.model._meta.concrete_fields}
        for name, field in cls.ordered_fields():
            model_field = model_fields.get(field.attribute)
            if name in required or model_field is None or field.readonly or name in cls.defaulted_fields:
                continue
            if not model_field.blank and not model_field.has_default() and not model_field.null:
                required.append(name)
        return required

    # ---- export ----------------------------------------------------------------------

    def may_read_withheld(self):
        """Whether this resource's user may read `withheld_fields`."""
        return True

    def export_field(self, field, instance, **kwargs):
        name = self.get_field_name(field)
        if name in self.withheld_fields and not self.may_read_withheld():
            return ""
        return super().export_field(field, instance, **kwargs)

    def export_queryset(self):
        """The records of this kind the user may read, in file order."""
        queryset = self._meta.model._default_manager.select_related(*self.select_related)
        return queryset.visible_to(self.user).order_by(*self.export_ordering)

    # ---- import hooks (see bureau/sheets/engine.py) ------------------------------------

    def preload(self, sheet, rows):
        """Load what the rows refer to beyond their lookup columns."""

    def resolve(self, sheet, row):
        """Resolve what the engine does not: `resolves_itself` columns, defaults."""

    def natural_key(self, sheet, row):
        return key_of(row, *self.key_fields)

    def load_existing(self, sheet, keys):
        """{natural key: record} of the records the keys name."""
        attnames = [self._meta.model._meta.get_field(self.fields[n].attribute).attname for n in self.key_fields]
        queryset = sheet.existing_queryset()
        for index, attname in enumerate(attnames[1:], start=1):
            values = {key[index] for key in keys}
            if len(values) <= FEW_VALUES:
                queryset = queryset.filter(**{f"{attname}__in": values})
        first = {key[0] for key in keys}
        records = fetch(queryset, attnames[0], first)
        return {tuple(getattr(record, name) for name in attnames): record for record in records}

    def prepare(self, sheet, row, data, instance):
        """Fill what the row does not say (the district from the school…) before validation."""

    def after_apply(self, sheet, plan):
        """After the rows are written, in the same transaction (re-evaluate indicators…)."""
