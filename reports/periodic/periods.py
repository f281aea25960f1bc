"""The periods reports cover: a calendar month, a quarter, a school term, a year.

Months, quarters and years are the calendar's; a term is a row of schools.Term (the
bureau's calendar), so its periods are looked up: the term a day is in, the last one that
ended before a day, the one that starts on a date.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTH, QUARTER, TERM, YEAR = "month", "quarter", "term", "year"


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
        if self.unit == TERM:
            return _term_label(self.start)
        return str(self.start.year)


def _month_end(year, month):
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _term_label(start):
    """The term by name from its first day, without a query (lists label many reports): a
    term starting in the second half of a year is the first of the school year begun then."""
    first = start.month >= 7
    year = start.year if first else start.year - 1
    return _("%(start)s–%(end)s school year, %(term)s") % {
        "start": year, "end": year + 1, "term": _("First term") if first else _("Second term")}


def _term_period(term):
    if term is None:
        raise ValueError("no term")
    return Period(TERM, term.start_date, term.end_date)


def _terms():
    from schools.models import Term

    return Term.objects.order_by("-start_date")


def period_containing(unit, day):
    if unit == TERM:
        return _term_period(_terms().filter(start_date__lte=day, end_date__gte=day).first())
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
    if unit == TERM:  # the last term ended before `day`, whether `day` is in a term or a holiday
        return _term_period(_terms().filter(end_date__lt=day).first())
    return period_containing(unit, period_containing(unit, day).start - datetime.timedelta(days=1))


def period_starting(unit, start):
    if unit == TERM:
        return _term_period(_terms().filter(start_date=start).first())
    period = period_containing(unit, start)
    if period.start != start:
        raise ValueError(f"{start} does not start a {unit}")
    return period
