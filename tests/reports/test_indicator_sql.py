"""The statements of reports/indicators/sql.py: the scopes they give rows to, the levels above
summed from the schools, and the declarations they refuse."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Q

from reports.indicators import REGISTRY, Inputs, select_rows
from reports.indicators.base import Indicator, Registry
from reports.indicators.sql import Figures, Out, Source, ratio
from schools.models import School, Teacher
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 12, 31)


def _rows(figures, inputs):
    with connection.cursor() as cursor:
        cursor.execute(*select_rows(figures(inputs)))
        return {(r[0], r[1], r[2]): r for r in cursor.fetchall()}


def _teachers(inputs):
    return Teacher.objects.filter(school__district_id__in=inputs.district_ids)


def _schools(inputs):
    return School.objects.filter(district_id__in=inputs.district_ids)


FIGURES = Figures(
    sources=(Source(_schools, "", {"schools": Count("id")}),
             Source(_teachers, "school", {"teachers": Count("id"), "certified": Count("id", filter=~Q(
                 certificate_type=""))})),
    outs=(Out("t.count", "teachers"),
          Out("t.share", ratio("certified", "teachers", 100), "certified", "teachers", where="teachers > 0")),
)


def test_every_scope_of_the_first_source_and_the_levels_summed(city, district, zone, school):
    term = factories.TermFactory(school_year=factories.SchoolYearFactory(start_year=2025))
    empty = factories.SchoolFactory(district=district)  # no teachers: a zero, and no share
    for certificate in ("高级", "", "一级"):
        factories.TeacherFactory(school=school, certificate_type=certificate)
    rows = _rows(FIGURES, Inputs((district.pk,), term, TODAY))
    # (indicator, level, scope, stage, district, zone, school, value, numerator, denominator)
    school_row = rows[("t.share", "school", school.pk)]
    assert school_row[4:7] == (district.pk, zone.pk, school.pk)
    assert round(float(school_row[7]), 6) == round(200 / 3, 6) and school_row[8:] == (2, 3)
    assert rows[("t.count", "school", empty.pk)][7] == 0
    assert ("t.share", "school", empty.pk) not in rows  # where="teachers > 0"
    assert rows[("t.count", "zone", zone.pk)][4:7] == (district.pk, zone.pk, None)
    assert rows[("t.count", "district", district.pk)][7] == 3
    assert rows[("t.count", "city", city.pk)][4:7] == (city.pk, None, None)


def test_the_first_source_must_add_up_and_names_must_not_repeat(district):
    term = factories.TermFactory()
    inputs = Inputs((district.pk,), term, TODAY)
    distinct = Source(_teachers, "school", {"n": Count("school", distinct=True)}, additive=False)
    with pytest.raises(ValueError, match="must add up"):
        Figures(sources=(distinct,), outs=(Out("x", "n"),)).sql(inputs)
    twice = Source(_teachers, "school", {"teachers": Count("id")})
    with pytest.raises(ValueError, match="repeat"):
        Figures(sources=(twice, twice), outs=(Out("x", "teachers"),)).sql(inputs)


def test_an_indicator_is_computed_one_way():
    registry = Registry()
    with pytest.raises(ValueError, match="compute or a select"):
        registry.register(Indicator("x", "x", "", ("school",), None))
    with pytest.raises(ValueError, match="compute or a select"):
        registry.register(Indicator("x", "x", "", ("school",), lambda inputs: [], select=FIGURES))
    assert all((i.compute is None) != (i.select is None) for i in REGISTRY)


def test_a_job_writes_one_row_per_indicator_scope_and_stage(city, district, zone, school):
    """The table has no unique index (the job replaces an area's period whole): every key of
    a computed period is written once, by the Python rows and the statements together."""
    from django.db.models import Count as Rows

    from reports.models import Snapshot
    from reports.snapshots import snapshots_compute
    from tests.inspections.factories import FiledVisitFactory

    term = factories.TermFactory(school_year=factories.SchoolYearFactory(start_year=2025))
    other = factories.InspectorZoneFactory(district=district, name="第二责任区")
    for n, stage in enumerate(("primary", "nine_year", "junior")):
        unit = school if n == 0 else factories.SchoolFactory(district=district, stage=stage)
        if n:
            factories.ZoneSchoolFactory(zone=other, school=unit)
        factories.SchoolYearStatFactory(school=unit, school_year=term.school_year)
        factories.SchoolClassFactory(school=unit, term=term, grade=3 + 3 * n, boys=30, girls=20 + n)
        factories.TeacherFactory(school=unit)
        FiledVisitFactory(school=unit, date=datetime.date(2025, 10, 3))
    written = snapshots_compute(area_id=city.pk, term=term, today=TODAY)
    rows = Snapshot.objects.filter(term=term)
    assert written == rows.count() > 100
    twice = rows.values("indicator", "level", "scope_id", "stage").annotate(n=Rows("id")).filter(n__gt=1)
    assert not twice.exists(), list(twice[:5])
    assert snapshots_compute(area_id=city.pk, term=term, today=TODAY) == written == rows.count()  # replaced
