"""What the compute functions read: the area and the period, and one grouping helper.

A snapshot job computes an *area*: a city with its districts, or a district without a
city. Every compute function groups the rows of that area once per level (school, zone,
district, city) with `grouped`, so the number of queries is fixed whatever the number of
schools, and the database does the sums (per school; the levels above add the school rows
up in one pass).
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Sum

from reports.indicators.base import AREA_LEVELS, ROLLUP_PATHS, SCHOOL, Value, ratio
from schools.models import School, SchoolYearStat
from schools.selectors import stats_school_year


@dataclass
class Inputs:
    district_ids: tuple  # the districts of the area (a city's children, or one district)
    term: object  # schools.Term: the period
    today: datetime.date

    @cached_property
    def school_year(self):
        """The school year whose statistics count: the term's, or the latest before it."""
        return stats_school_year(current=self.term.school_year)

    @property
    def start(self):
        return self.term.start_date

    @property
    def as_of(self):
        """The day the period's running figures stand at: its end, or today while it runs."""
        return min(self.term.end_date, self.today)

    @property
    def year_start(self):
        return datetime.date(self.term.school_year.start_year, 9, 1)

    @property
    def months(self):
        """Calendar months of the period up to `as_of` (at least one)."""
        start, end = self.start, max(self.as_of, self.start)
        return max(1, (end.year - start.year) * 12 + end.month - start.month + 1)

    def schools(self):
        return School.objects.filter(district_id__in=self.district_ids)

    def open_schools(self):
        return self.schools().filter(status=School.Status.OPEN)

    def stats(self):
        """The area's statistics of the period's school year."""
        if self.school_year is None:
            return SchoolYearStat.objects.none()
        return SchoolYearStat.objects.filter(school__district_id__in=self.district_ids, school_year=self.school_year)


def grouped(queryset, *, school, levels=AREA_LEVELS, **aggregates):
    """{(level, scope id): {name: value}} of `aggregates` over `queryset`. `school` is the
    lookup from the queryset's model to its School ("" for School).

    Counts and sums add up: one GROUP BY per school, carrying each school's zone, district
    and city, and the school rows summed into those in one pass, so a whole area costs one
    query. Anything else (a distinct count) is grouped again in SQL at every level."""
    if not all(_additive(aggregate) for aggregate in aggregates.values()):
        return _grouped_per_level(queryset, school=school, levels=levels, **aggregates)
    path = {level: f"{school}__{ROLLUP_PATHS[level]}" if school else ROLLUP_PATHS[level] for level in AREA_LEVELS}
    above = [level for level in levels if level != SCHOOL]
    rows = (queryset.filter(**{f"{path[SCHOOL]}__isnull": False}).order_by()
            .values(path[SCHOOL], *(path[level] for level in above)).annotate(**aggregates))
    schools, totals = {}, {level: {} for level in above}
    for row in rows:
        school_id = row.pop(path[SCHOOL])
        places = [(level, row.pop(path[level])) for level in above]
        schools[(SCHOOL, school_id)] = row
        for level, scope_id in places:
            if scope_id is None:
                continue
            total = totals[level].get(scope_id)
            if total is None:
                totals[level][scope_id] = dict(row)
            else:
                for name, value in row.items():
                    total[name] = _plus(total[name], value)
    result = schools if SCHOOL in levels else {}
    for level in above:
        result.update(((level, scope_id), row) for scope_id, row in totals[level].items())
    return result


def _additive(aggregate):
    return isinstance(aggregate, (Count, Sum)) and not aggregate.distinct


def _plus(a, b):
    """SQL's SUM over groups: NULL only where every part is NULL."""
    if a is None:
        return b
    return a if b is None else a + b


def _grouped_per_level(queryset, *, school, levels, **aggregates):
    result = {}
    for level in levels:
        key = f"{school}__{ROLLUP_PATHS[level]}" if school else ROLLUP_PATHS[level]
        rows = queryset.filter(**{f"{key}__isnull": False}).order_by().values(key).annotate(**aggregates)
        for row in rows:
            result[(level, row.pop(key))] = row
    return result


def ratios(code, numerators, denominators, *, num, den, scale=1, stage="", levels=None):
    """Value rows of numerators[num] / denominators[den] × scale for every scope of
    `denominators` (a scope without numerator rows counts zero)."""
    for (level, scope_id), row in denominators.items():
        if levels is not None and level not in levels:
            continue
        n = numerators.get((level, scope_id), {}).get(num) or 0
        d = row.get(den) or 0
        yield Value(code, level, scope_id, stage, ratio(n, d, scale), n, d)


def counts(code, rows, *, name, scopes, stage="", levels=None):
    """Value rows of a plain count for every scope of `scopes` (zero where none)."""
    for key in scopes:
        level, scope_id = key
        if levels is not None and level not in levels:
            continue
        n = rows.get(key, {}).get(name) or 0
        yield Value(code, level, scope_id, stage, n)


def school_scopes(inputs, *, levels=AREA_LEVELS, open_only=True):
    """{(level, id): {"schools": n}} of the area's (open) schools: the scopes of a level."""
    schools = inputs.open_schools() if open_only else inputs.schools()
    return grouped(schools, school="", levels=levels, schools=Count("id"))

