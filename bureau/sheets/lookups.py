"""Columns that name another record (a school by its code, a term as 2025-2026-1).

The engine reads each such cell into a lookup key (`key`), loads every record the file
names in a few queries (`load`), and resolves each row from what was loaded. The records a
user may name are those it may see (`Model.objects.visible_to(user)`) and may use
(`usable`): a record outside the user's scope is not found, and gets exactly the message
of an unknown one, so that a file cannot probe other districts' records.
"""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from bureau.sheets.widgets import CodeWidget

IN_CHUNK = 2000  # values per `IN (...)` (SQLite allows 32766 parameters)


def chunks(values, size):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def fetch(queryset, lookup, values):
    """queryset.filter(lookup__in=values) in chunks, as one list."""
    result = []
    for chunk in chunks(set(values), IN_CHUNK):
        result.extend(queryset.filter(**{f"{lookup}__in": chunk}))
    return result


def unknown_code_message(message, code):
    """`message` about an unknown code, plus the likely reason when the cell was a number."""
    if getattr(code, "from_number", False):
        return message + " " + _(
            "The cell holds a number, not text: if the code starts with zeros or was shown as 3.13E+09, "
            "its leading zeros and digits were lost. Format the column as text and type the code again."
        )
    return message


def message_for(template, shown_key):
    # Messages name the key as %(value)s, %(code)s or %(number)s: an unused key is ignored.
    return str(template) % {"value": shown_key, "code": shown_key, "number": shown_key}


class LookupWidget(widgets.Widget):
    """A column naming a record of `model` by `field` (a code, a name).

    Subclasses set the model and field, how a cell reads into a key (`key_widget` or
    `key`), and the messages; `queryset`, `usable` and `load` say which records may be
    named. Exports write the record's `field` back.
    """

    model = None
    field = None
    key_widget = CodeWidget()
    select_related = ()
    unknown_message = gettext_lazy("Unknown value “%(value)s”.")
    several_message = gettext_lazy("“%(value)s” matches several records.")
    text_column = True

    def key(self, value):
        return self.key_widget.clean(value)

    def show_key(self, key):
        return str(key)

    def queryset(self, user):
        """The records `user` may name: those the scope lets it see."""
        queryset = self.model._default_manager.select_related(*self.select_related)
        return queryset.visible_to(user) if hasattr(queryset, "visible_to") else queryset

    def usable(self, user, record):
        """Whether `user` may write with this record (beyond seeing it)."""
        return True

    def key_of(self, record):
        return getattr(record, self.field)

    def load(self, keys, user):
        """{key: [records]} of the keys, as `user` may name them."""
        found = defaultdict(list)
        for record in fetch(self.queryset(user), self.field, keys):
            if self.usable(user, record):
                found[self.key_of(record)].append(record)
        return found

    def unknown(self, key):
        return unknown_code_message(message_for(self.unknown_message, self.show_key(key)), key)

    def several(self, key):
        return message_for(self.several_message, self.show_key(key))

    def clean(self, value, row=None, **kwargs):
        # The engine resolves keys from preloaded records, never one query per cell.
        raise NotImplementedError("LookupWidget columns are resolved by bureau.sheets.engine")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else self.show_key(self.key_of(value))

    def hint(self):
        return self.key_widget.hint()
