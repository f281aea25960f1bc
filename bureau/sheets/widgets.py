"""Cell widgets: each turns a cell into a Python value, or raises ValueError with a message
that says what is wrong with the cell (the engine adds the row and the column), and writes
the value back for exports and templates.

The words accepted in cells (是/否, 2025年9月1日…) are the file format's, not the page's,
so they do not depend on the language a user reads the portal in. Choice vocabularies
(学段, 职称…) belong to the app that declares a kind: a ChoiceWidget takes the one it is
given.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets

from bureau.sheets.files import is_blank, restore_formula_text

TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓", "对"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", "✗", "不是"}
BOOL_LABELS = ("是", "否")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%d %H:%M:%S")
# "3.132E+09", "3.13e9": a number the spreadsheet shows in scientific notation.
SCIENTIFIC_RE = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
# Bound numbers before converting them: range checks are the model validators' job.
TOO_LARGE = 10**15


def shown(value):
    """A cell value as the user typed it, for messages."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime):
            value = value.date()
        return restore_formula_text(str(value).strip())

    def hint(self):
        return _("text")


class NumberCode(str):
    """A code that arrived as a number cell: if it turns out unknown, its leading zeros
    may be what is missing, and the message says so."""

    from_number = True


class CodeWidget(TextWidget):
    """An identifier typed in a cell (school code, staff number).

    When a code column is not formatted as text, the spreadsheet stores the code as a
    number: leading zeros go, and long codes turn into scientific notation (3.132E+09)
    and lose digits. Say so, instead of reporting a confusing "unknown code".
    """

    # Written as a text column in xlsx, so that spreadsheets keep the leading zeros.
    text_column = True

    def __init__(self, digits=None, **kwargs):
        self.digits = digits
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a code.") % {"value": value})
        if isinstance(value, float):
            raise ValueError(self._lost(value))
        if isinstance(value, int):
            text = NumberCode(value)
        else:
            text = restore_formula_text(str(value).strip())
            if SCIENTIFIC_RE.match(text):
                raise ValueError(self._lost(text))
        if self.digits and text.isdigit() and len(text) < self.digits:
            raise ValueError(
                _("“%(value)s” has %(n)d digits instead of %(digits)d: the leading zeros were lost. "
                  "Format the column as text and type the code again.")
                % {"value": text, "n": len(text), "digits": self.digits}
            )
        return text

    def _lost(self, value):
        return _(
            "“%(value)s” arrived as a number, so the leading zeros and digits of the code were lost. "
            "Format the column as text and type the code again."
        ) % {"value": shown(value)}

    def hint(self):
        if self.digits:
            return _("%(digits)d digits, in a column formatted as text") % {"digits": self.digits}
        return _("code, in a column formatted as text")


def parse_number(value):
    """Decimal of a cell, or ValueError saying it is not a number."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": shown(value)}) from None
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": shown(value)})
    return number


def _native(value, kwargs, text):
    # xlsx exports keep numbers and dates as such; csv writes every cell as text.
    return value if kwargs.get("force_native_type") else text


class IntWidget(widgets.IntegerWidget):
    # How an xlsx export shows the column: whole numbers with thousands separators (1,200).
    number_format = "#,##0"

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = parse_number(value)
        if number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": shown(value)})
        if abs(number) >= TOO_LARGE:
            raise ValueError(_("“%(value)s” is too large.") % {"value": shown(value)})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else _native(value, kwargs, str(value))

    def hint(self):
        return _("whole number")


class DecimalWidget(widgets.DecimalWidget):
    """A number with a fraction: money and areas (two decimals) unless the column says
    otherwise (`number_format`, as an xlsx export shows it)."""

    def __init__(self, number_format="#,##0.00", **kwargs):
        self.number_format = number_format
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = parse_number(value)
        if abs(number) >= TOO_LARGE:
            raise ValueError(_("“%(value)s” is too large.") % {"value": shown(value)})
        return number

    def render(self, value, obj=None, **kwargs):
        # CSV stays plain, so that it re-imports anywhere: no separators, and no needless
        # zeros (3496512.00 → 3496512, 24.50 → 24.5); fixed-point, never 3.5E+6.
        if value is None:
            return ""
        text = format(value.normalize(), "f") if isinstance(value, Decimal) else format(value, "f")
        return _native(value, kwargs, text)

    def hint(self):
        return _("number")


class DateWidget(widgets.DateWidget):
    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it as 2025-09-01.") % {"value": shown(value)})

    def render(self, value, obj=None, **kwargs):
        return "" if not value else _native(value, kwargs, value.strftime("%Y-%m-%d"))

    def hint(self):
        return _("date, e.g. 2025-09-01")


class BoolWidget(widgets.BooleanWidget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(
            _("Unknown value “%(value)s”. Allowed: %(allowed)s.") % {"value": shown(value), "allowed": "是、否"}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return BOOL_LABELS[0] if value else BOOL_LABELS[1]

    def hint(self):
        return _("是 or 否")


class ChoiceWidget(widgets.Widget):
    """A choice typed as its label in files (小学), its internal code (primary) or its label
    in the portal's languages; written back as the label in files.

    `labels` maps each code (a TextChoices member, or a plain string) to the label written
    in files; `aliases` maps other spellings accepted on import to a code.
    """

    def __init__(self, labels, aliases=None, **kwargs):
        self.labels = dict(labels)
        self.aliases = dict(aliases or {})
        self._index = None
        super().__init__(**kwargs)

    def _lookup(self):
        """{spelling: code}, built once: codes, file labels, aliases, and the labels in
        each of the portal's languages."""
        if self._index is None:
            index = {}
            for code, label in self.labels.items():
                index[str(code).lower()] = str(code)
                if hasattr(code, "label"):
                    for language, _name in settings.LANGUAGES:
                        with translation.override(language):
                            index[str(code.label).lower()] = str(code)
                index[label] = str(code)
            for alias, code in self.aliases.items():
                index[alias] = str(code)
            index.pop("", None)
            self._index = index
        return self._index

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        text = str(value).strip()
        index = self._lookup()
        code = index.get(text, index.get(text.lower()))
        if code is None:
            raise ValueError(
                _("Unknown value “%(value)s”. Allowed: %(allowed)s.") % {"value": text, "allowed": self.allowed()}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        if value is None or value == "":
            return ""
        return self.labels.get(value, value)

    def allowed(self):
        return "、".join(self.labels.values())

    def hint(self):
        return _("one of: %(allowed)s") % {"allowed": self.allowed()}
