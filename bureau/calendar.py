"""Working days on the bureau calendar: what deadlines count.

A day is a working day when it is Monday to Friday, unless a calendar day says otherwise:
a public holiday (放假) takes a weekday off, a make-up working day (调休上班) puts a
weekend day to work. Which calendar day counts, most specific first:

1. the district's own day (a local holiday, a district-wide closure);
2. its city's day (a city bureau may declare a city-wide day);
3. the national day, from the State Council's yearly notice (bureau/holidays.py);
4. the plain week.

Every function reads the calendar days of the dates it needs with one query, never one
query per day. Dates may be given as datetimes: they are read as dates in the portal's
time zone (Asia/Shanghai), so that a complaint lodged at 23:30 counts from that day.
"""

import calendar as stdlib_calendar
import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Model, Q
from django.utils import timezone

from bureau.models import CalendarDay

HOLIDAY = CalendarDay.Kind.HOLIDAY
WORKDAY = CalendarDay.Kind.WORKDAY

# How a day shows on the calendar page (a plain weekday is WORKING).
WORKING = "working"
WEEKEND = "weekend"

# A window of dates read at once must cover a deadline's working days plus the breaks in
# between: five working days to a week, plus room for the longest published break (the
# Spring Festival: nine days in 2026) and a local closure next to it.
_WINDOW_MARGIN = 21
# No calendar keeps a district off work for years; beyond this, the data is wrong, and an
# error says so rather than a loop that reads the database until the dates run out.
_MAX_SCAN_DAYS = 366 * 5


class CalendarError(ValueError):
    """The calendar cannot answer: no working day within years (a wrong run of holidays)."""


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"a date or datetime is needed, not {type(value).__name__}")


def _district_id(district):
    return district.pk if isinstance(district, Model) else district


def _applying(district):
    """The calendar days that may count for `district`: national, its city's and its own.

    From a loaded District the city is read from `parent_id`; from an id, through a
    subquery, so that either way the caller's one query stays one.
    """
    condition = Q(district__isnull=True)
    if district is None:
        return condition
    if isinstance(district, Model):
        ids = {district.pk}
        if district.parent_id:
            ids.add(district.parent_id)
        return condition | Q(district_id__in=ids)
    district_model = CalendarDay._meta.get_field("district").related_model
    parent = district_model.objects.filter(pk=district).values("parent_id")
    return condition | Q(district_id=district) | Q(district_id__in=parent)


def _rank(row_district_id, district_id):
    """How specific a calendar day is for the district: its own 2, its city's 1, national 0."""
    if row_district_id is None:
        return 0
    return 2 if row_district_id == district_id else 1


def _effective(rows, district_id):
    """{date: row} keeping, for each date, the most specific day."""
    best = {}
    for row in rows:
        current = best.get(row.date)
        if current is None or _rank(row.district_id, district_id) > _rank(current.district_id, district_id):
            best[row.date] = row
    return best


def _days_between(first, last, district):
    """{date: row} of the days that count for `district` in [first, last]: one query."""
    rows = CalendarDay.objects.filter(_applying(district), date__range=(first, last)).only(
        "date", "kind", "district_id"
    )
    return _effective(rows, _district_id(district))


def _is_working(day, special):
    row = special.get(day)
    if row is not None:
        return row.kind == WORKDAY
    return day.weekday() < 5


def is_working_day(day, *, district=None):
    """Whether `day` is a working day for `district` (None: the national calendar)."""
    day = _as_date(day)
    return _is_working(day, _days_between(day, day, district))


def add_working_days(start, days, *, district=None):
    """The date `days` working days after `start`; `start` itself is not counted.

    A complaint received on Thursday 2026-02-12 and to be accepted within 2 working days
    is due on Saturday 2026-02-14, a make-up working day before the Spring Festival.
    """
    start = _as_date(start)
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return start
    counted, day = 0, start
    span = days * 7 // 5 + _WINDOW_MARGIN
    while day - start < datetime.timedelta(days=_MAX_SCAN_DAYS):
        last = day + datetime.timedelta(days=span)
        special = _days_between(day + datetime.timedelta(days=1), last, district)
        while day < last:
            day += datetime.timedelta(days=1)
            if _is_working(day, special):
                counted += 1
                if counted == days:
                    return day
        span *= 2  # a long run of days off: read a larger window next
    raise CalendarError(f"no {days} working days within {_MAX_SCAN_DAYS} days after {start}: check the calendar")


def working_days_between(start, end, *, district=None):
    """The working days in (start, end]: `start` is not counted, `end` is.

    So `working_days_between(d, add_working_days(d, n)) == n`. With `end` before `start`
    the count is negative (-(working days in (end, start])), as in "overdue by".
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start, district=district)
    if end == start:
        return 0
    special = _days_between(start + datetime.timedelta(days=1), end, district)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += _is_working(day, special)
    return count


# ---- the calendar page ------------------------------------------------------------------


@dataclass
class Cell:
    date: datetime.date
    kind: str  # HOLIDAY, WORKDAY (make-up), WEEKEND or WORKING
    name: str = ""
    local: bool = False  # a day of the district or its city, not the national calendar
    today: bool = False


@dataclass
class Month:
    number: int
    first: datetime.date
    weeks: list  # weeks of seven cells, Monday first; None outside the month


@dataclass
class CalendarYear:
    year: int
    district: object
    months: list
    special_days: list  # CalendarDay rows, each with .rank and .overridden
    national_sources: list  # the notices the national days of the year cite
    working_days: int
    holidays: int
    workdays: int  # make-up working days

    @property
    def has_national(self):
        """Whether the State Council's arrangement of the year is loaded."""
        return any(day.district_id is None for day in self.special_days)


def calendar_year(*, year, district=None):
    """What the calendar page shows of one year for one district (None: national): the
    twelve months as week grids, the special days that apply (those overridden by a more
    specific day flagged), and the citations of the national arrangement. One query."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = list(
        CalendarDay.objects.filter(_applying(district), date__range=(first, last))
        .select_related("district")
        .order_by("date", "pk")
    )
    district_id = _district_id(district)
    special = _effective(rows, district_id)
    for row in rows:
        row.rank = _rank(row.district_id, district_id)
        row.overridden = special[row.date] is not row
    sources = []
    for row in rows:
        if row.district_id is None and row.source and row.source not in sources:
            sources.append(row.source)

    today = timezone.localdate()
    weeks_of = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar
    months, working = [], 0
    for number in range(1, 13):
        weeks = []
        for week in weeks_of(year, number):
            cells = []
            for day in week:
                if day.month != number:
                    cells.append(None)
                    continue
                row = special.get(day)
                if row is not None:
                    kind = row.kind
                else:
                    kind = WORKING if day.weekday() < 5 else WEEKEND
                working += kind in (WORKING, WORKDAY)
                cells.append(Cell(
                    date=day, kind=kind, name=row.name if row else "",
                    local=bool(row and row.district_id), today=day == today,
                ))
            weeks.append(cells)
        months.append(Month(number=number, first=datetime.date(year, number, 1), weeks=weeks))
    kinds = [row.kind for row in special.values()]
    return CalendarYear(
        year=year, district=district, months=months, special_days=rows, national_sources=sources,
        working_days=working, holidays=kinds.count(HOLIDAY), workdays=kinds.count(WORKDAY),
    )


def calendar_years_loaded():
    """The years whose national arrangement is loaded, ascending: one query.

    A year missing here counts plain weeks until its days are added (the State Council
    publishes them each November for the year after), so the calendar page warns.
    """
    return [day.year for day in CalendarDay.objects.filter(district__isnull=True).dates("date", "year")]


# ---- "due on the next working day", for many districts at once ----------------------------


def next_working_day_q(start, *, district_path, condition):
    """A Q for the rows whose district (at `district_path`) has its next working day after
    `start` on day D, and for which `condition(D)` (a Q) holds: "due tomorrow" counts the
    calendar of each row's own district, so that on a Friday it finds what is due on Monday
    and, before a holiday, what is due on the first day back.

    One query, whatever the number of districts: the calendar days of the coming weeks,
    each with its district's city. A district with days of its own (or whose city has some)
    gets its own date; every other district the national one.
    """
    start = _as_date(start)
    last = start + datetime.timedelta(days=_WINDOW_MARGIN + 10)
    rows = list(CalendarDay.objects.filter(date__range=(start + datetime.timedelta(days=1), last))
                .values_list("date", "kind", "district_id", "district__parent_id"))
    national = {date: kind for date, kind, district, _parent in rows if district is None}
    cities, local, parents = {}, {}, {}
    for date, kind, district, parent in rows:
        if district is None:
            continue
        # A row of a district with no parent is a city's (or a district's without a city): it
        # applies to itself and, as a city, to its children.
        cities.setdefault(district, {})[date] = kind
        local.setdefault(district, {})[date] = kind
        parents[district] = parent

    def first_working(*layers):
        day = start
        while day < last:
            day += datetime.timedelta(days=1)
            kind = next((layer[day] for layer in reversed(layers) if day in layer), None)
            if (kind == WORKDAY) if kind is not None else day.weekday() < 5:
                return day
        raise CalendarError(f"no working day within {last - start} after {start}: check the calendar")

    own = Q(**{f"{district_path}__in": list(local)})
    child_of = Q(**{f"{district_path}__parent_id__in": list(cities)})
    parts = [Q(**{f"{district_path}_id": pk}) & condition(first_working(national, cities.get(parents[pk], {}), days))
             for pk, days in local.items()]
    parts += [Q(**{f"{district_path}__parent_id": city}) & ~own & condition(first_working(national, days))
              for city, days in cities.items()]
    parts.append(~own & ~child_of & condition(first_working(national)))
    return reduce(or_, parts)
