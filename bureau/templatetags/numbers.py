"""Numbers as the pages print them: 3,496,512.00 元, 6,500 m², 1,218.

One place for the format of every amount, area and count on a page. Django's own l10n
cannot do it: its zh-hans format has no thousands separator (and would group by 4), so
`intcomma` prints 3496512.00. Chinese official and financial writing groups by three with
commas (GB/T 15835), as English does, so the format is the same in both languages; only
the unit's word is translated. Exports and the API keep plain numbers.

    {{ stat.equipment_value|amount }}          3,496,512.00 元
    {{ stat.equipment_value|amount:"plain" }}  3,496,512.00  (the column header names the unit)
    {{ stat.teaching_area|area }}              6,500 m²     (at most two decimals, no trailing zeros)
    {{ summary.students|number }}              1,218
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()

EMPTY = "—"
# Between a number and its unit: never split over two lines.
NBSP = "\u00a0"


def grouped(value, *, decimals, trim=False):
    """'3,496,512.00': grouped by three, rounded half up; `trim` drops trailing zeros.

    None (or something that is not a number) gives None.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{number:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@register.filter
def number(value, decimals=2):
    """A count or measure without unit: 1,218 · 2,345.6 (at most `decimals`, no trailing zeros)."""
    text = grouped(value, decimals=int(decimals), trim=True)
    return EMPTY if text is None else text


@register.filter
def amount(value, unit="yuan"):
    """Money with two decimals: '3,496,512.00 元'; `"plain"` leaves the unit to a header."""
    text = grouped(value, decimals=2)
    if text is None:
        return EMPTY
    if unit == "plain":
        return text
    return (_("%(amount)s yuan") % {"amount": text}).replace(" ", NBSP)


@register.filter
def area(value, unit="m2"):
    """Floor or ground area: '6,500 m²', '812.5 m²'; `"plain"` leaves the unit to a header."""
    text = grouped(value, decimals=2, trim=True)
    if text is None:
        return EMPTY
    if unit == "plain":
        return text
    return f"{text}{NBSP}m²"
