"""What the indicators read: the area and the period.

A snapshot job computes an *area*: a city with its districts, or a district without a
city. The indicators group the rows of that area inside the database (indicators/sql.py),
so the number of statements is fixed whatever the number of schools.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Q

from reports.indicators.sql import Source
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
    def months_ended(self):
        """The last days of the period's calendar months that have ended by `as_of`. Seed 004
        visits every school once a month, so a month is due once it is over: the month of a
        running period's date is not due yet, and neither is a term's last, partial month
        (it ends in the holiday); a first month the term starts in counts (February's
        start-of-term visits are seed 004's first theme)."""
        ended, first = [], self.start.replace(day=1)
        while True:
            last = (first + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
            if last > self.as_of:
                return ended
            ended.append(last)
            first = last + datetime.timedelta(days=1)

    def schools(self):
        return School.objects.filter(district_id__in=self.district_ids)

    def open_schools(self):
        return self.schools().filter(status=School.Status.OPEN)

    def stats(self):
        """The area's statistics of the period's school year."""
        if self.school_year is None:
            return SchoolYearStat.objects.none()
        return SchoolYearStat.objects.filter(school__district_id__in=self.district_ids, school_year=self.school_year)


def _schools(inputs):
    return inputs.schools()


# Every school of the area as the first source of a statement (indicators/sql.py): its scopes.
# Open ones get the visit, notice and complaint counts; a closed one still has its
# complaints, statistics and teachers counted.
SCHOOLS = Source(_schools, "", {"open_schools": Count("id", filter=Q(status=School.Status.OPEN))})
OPEN = "open_schools > 0"
