"""The periods reports cover: a calendar month, a quarter, a school term, a year."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"


@dataclass(frozen=True)
class Period:
    unit: str
    start: datetime.date
    end: datetime.date  # the last day, inclusive

    @property
    def label(self):
        if self.unit == MONTH:
            return _("%(year)s-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.unit == QUARTER:
            return _("%(year)s Q%(quarter)s") % {"year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}
        return str(self.start.year)


def _month_end(year, month):
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def period_containing(unit, day):
    if unit == MONTH:
        return Period(unit, day.replace(day=1), _month_end(day.year, day.month))
    if unit == QUARTER:
        first = (day.month - 1) // 3 * 3 + 1
        return Period(unit, datetime.date(day.year, first, 1), _month_end(day.year, first + 2))
    if unit == YEAR:
        return Period(unit, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))
    raise ValueError(unit)


def period_before(unit, day):
    """The last whole period before the one `day` is in: what a schedule reports on."""
    return period_containing(unit, period_containing(unit, day).start - datetime.timedelta(days=1))


def period_starting(unit, start):
    period = period_containing(unit, start)
    if period.start != start:
        raise ValueError(f"{start} does not start a {unit}")
    return period
