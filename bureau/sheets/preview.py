"""What an import would do, row by row, for the job page: each new row with its values, and
each updated row with its fields old → new, under the file's Chinese column headers.

The plan collects the rows while it validates the file (`Collector`) and keeps a bounded,
compact form that the job stores as JSON, so that paging through it never reads or
validates the file again:

    {"fields": [[attribute, column header], …],           # every column of the kind
     "rows": [[row number, "new" | "update",
               [[field, value], …],                      # what names the record (key, name)
               [[field, old, new], …]], …],              # old is None for a new row
     "new": 1200, "update": 35}                          # how many the import would write

Fields are indexes into "fields". At most LIMIT rows are kept, the updated ones first (they
change what is there), and every value is cut to TEXT characters; the page says how many
rows it does not show. Values are written as in the file (一级教师, 是, 2025-09-01,
3132000001). Fields a user may not read (bureau.scope.hidden_fields) are left out when the
plan is made (the uploader's) and again when the page is shown (the reader's).
"""

from django.core.paginator import Paginator

from bureau import scope
from bureau.sheets.lookups import LookupWidget

LIMIT = 500  # rows kept on the job (a JSON field read with the job: about 150 KB at most)
TEXT = 120  # characters of a value shown
PAGE = 50  # rows per page


def shown(widget, value):
    """A value as the file writes it, cut to TEXT characters."""
    if value is None or value == "":
        return ""
    try:
        text = widget.render(value)
    except (AttributeError, TypeError, ValueError):
        text = value
    text = "" if text is None else str(text)
    return text if len(text) <= TEXT else text[:TEXT - 1] + "…"


class Collector:
    """The rows of a plan as the preview shows them."""

    def __init__(self, sheet):
        resource = sheet.resource
        hidden = scope.hidden_fields(sheet.user, sheet.model)
        self.fields = []  # [attribute, header]
        self.widgets = []
        self.index = {}  # attribute → field index
        for _name, field in resource.ordered_fields():
            if field.attribute in hidden:
                continue
            self.index[field.attribute] = len(self.fields)
            self.fields.append([field.attribute, field.column_name])
            self.widgets.append(field.widget)
        naming = list(resource.key_fields) + (["name"] if "name" in resource.fields else [])
        self.naming = [(resource.fields[n].attribute, resource.fields[n].widget) for n in dict.fromkeys(naming)]
        self.new, self.updates = [], []

    def has_room(self, is_new):
        return len(self.updates) < LIMIT if not is_new else len(self.new) + len(self.updates) < LIMIT

    def record(self, values):
        """[[field, value], …] naming a record, from {attribute: value}."""
        return [
            [self.index[attribute], self._show(attribute, values.get(attribute))]
            for attribute, _widget in self.naming if attribute in self.index
        ]

    def _show(self, attribute, value):
        widget = self.widgets[self.index[attribute]]
        if isinstance(widget, LookupWidget) and value is not None and not hasattr(value, "pk"):
            return str(value)
        return shown(widget, value)

    def old_values(self, instance, changes):
        """The values an update changes and what names its record, before the plan sets
        the new ones on the instance."""
        wanted = set(changes) | {attribute for attribute, _w in self.naming}
        return {attribute: getattr(instance, attribute) for attribute in wanted if attribute in self.index}

    def add(self, number, data, changes, old=None):
        """A valid row: `data` {attribute: new value}; `old` the old values of an update."""
        is_new = old is None
        if not self.has_room(is_new):
            return
        fields = sorted(
            [self.index[a], None if is_new else self._show(a, old.get(a)), self._show(a, data.get(a))]
            for a in changes if a in self.index
        )
        if is_new:  # a new row shows the values it has, not the empty cells
            fields = [field for field in fields if field[2] != ""]
        entry = [number, "new" if is_new else "update", self.record(data if is_new else old), fields]
        (self.new if is_new else self.updates).append(entry)

    def result(self, counts):
        rows = self.updates + self.new[:max(0, LIMIT - len(self.updates))]
        rows.sort(key=lambda entry: entry[0])
        return {"fields": self.fields, "rows": rows, "new": counts["new"], "update": counts["update"]}


# ---- reading what a job stored -------------------------------------------------------------


def stored(job):
    """The preview a job stored, or None."""
    preview = job.preview
    return preview if isinstance(preview, dict) and "rows" in preview else None


def notes(job):
    """The job's notes that are messages for the user."""
    return [note for note in job.notes or () if isinstance(note, str)]


def page(preview, *, user, model, number):
    """One page of a stored preview as `user` may read it, for the template."""
    hidden = scope.hidden_fields(user, model)
    fields = preview["fields"]
    visible = {i for i, (attribute, _header) in enumerate(fields) if attribute not in hidden}
    paginator = Paginator(preview["rows"], PAGE)
    current = paginator.get_page(number)
    rows = [
        {
            "row": row, "action": action,
            "record": " · ".join(value for i, value in naming if i in visible and value),
            "changes": [{"column": fields[i][1], "old": old, "new": new} for i, old, new in changes if i in visible],
        }
        for row, action, naming, changes in current
    ]
    kept_new = sum(1 for entry in preview["rows"] if entry[1] == "new")
    return {
        "rows": rows, "page": current,
        "not_shown": max(0, preview["new"] - kept_new) + max(0, preview["update"] - (len(preview["rows"]) - kept_new)),
    }
