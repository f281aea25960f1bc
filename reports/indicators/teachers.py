"""Teachers: certified rate (seed 001: 100 %), training completion (seed 002: 360 hours in the
five years up to the period), rotation (seed 002: ≥ 15 % of a school's teachers each year;
2017 measures: ≥ 10 % of the eligible, backbone teachers ≥ 20 % of those rotating).

Active teachers as the registry holds them now (it keeps no yearly roll); rotations that
start in the period's school year, counted at the school they leave. Computed and written
inside the database (indicators/sql.py).
"""

import datetime

from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, When

from bureau.rules import (
    CERTIFIED_TEACHERS,
    ROTATION_BACKBONE,
    ROTATION_ELIGIBLE,
    ROTATION_ELIGIBLE_YEARS,
    ROTATION_SHARE,
    TRAINING_CYCLE_YEARS,
    TRAINING_DONE,
    TRAINING_HOURS,
)
from reports.indicators.base import AREA_LEVELS, Indicator, register
from reports.indicators.inputs import SCHOOLS
from reports.indicators.sql import Figures, Out, Source, nonzero, ratio
from schools.models import Rotation, Teacher, TrainingRecord


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _active(inputs):
    return Teacher.objects.filter(school__district_id__in=inputs.district_ids, status=Teacher.Status.ACTIVE)


def _teachers(inputs):
    """The active teachers, each marked when trained (the cycle's hours) or eligible to rotate."""
    active = _active(inputs)
    since = _years_before(inputs.as_of, TRAINING_CYCLE_YEARS)
    # Each teacher's hours in the cycle: a subquery per teacher on the records' teacher index.
    # (A semi-join against the grouped records was faster on fresh statistics, but with stale
    # ones PostgreSQL chose to scan every record once per teacher, for minutes.)
    hours = (TrainingRecord.objects.filter(teacher=OuterRef("pk"), date__gt=since, date__lte=inputs.as_of)
             .order_by().values("teacher").annotate(h=Sum("hours")).values("h"))
    eligible_before = _years_before(inputs.year_start, ROTATION_ELIGIBLE_YEARS)
    return active.annotate(cycle_hours=Subquery(hours, output_field=DecimalField())).annotate(
        is_trained=Case(When(cycle_hours__gte=TRAINING_HOURS.threshold_for("all"), then=F("id"))),
        is_eligible=Case(When(joined_school_date__lte=eligible_before, then=F("id"))),
    )


def _rotations(inputs):
    """The rotations that start in the period's school year, at the school they leave."""
    year_end = datetime.date(inputs.year_start.year + 1, 8, 31)
    return Rotation.objects.filter(
        from_school__district_id__in=inputs.district_ids, start_date__gte=inputs.year_start, start_date__lte=year_end,
    )


_WITH_TEACHERS = "teachers > 0"
_ROTATING = nonzero("rotating")
TEACHER_FIGURES = Figures(
    sources=(
        SCHOOLS,
        Source(_teachers, "school", {"teachers": Count("id"), "certified": Count("id", filter=~Q(certificate_type="")),
                                     "trained": Count("is_trained"), "eligible": Count("is_eligible")}),
        # A teacher rotating twice in a year counts once: distinct, grouped per level.
        Source(_rotations, "from_school", {
            "rotating": Count("teacher", distinct=True),
            "backbone": Count("teacher", distinct=True, filter=~Q(teacher__backbone_level="")),
        }, additive=False),
    ),
    outs=(
        Out("certified_teachers", ratio("certified", "teachers", 100), "certified", "teachers", where=_WITH_TEACHERS),
        Out("training_done", ratio("trained", "teachers", 100), "trained", "teachers", where=_WITH_TEACHERS),
        Out("rotation_share", ratio(_ROTATING, "teachers", 100), _ROTATING, "teachers", where=_WITH_TEACHERS),
        Out("rotation_eligible", ratio(_ROTATING, "eligible", 100), _ROTATING, "eligible", where=_WITH_TEACHERS),
        Out("rotation_backbone", ratio("backbone", "rotating", 100), "backbone", "rotating", where="rotating > 0"),
    ),
)


_LEVELS = AREA_LEVELS
register(Indicator("certified_teachers", CERTIFIED_TEACHERS.title, "%", _LEVELS, None,
                   CERTIFIED_TEACHERS, group="teachers", places=1, select=TEACHER_FIGURES))
register(Indicator("training_done", TRAINING_DONE.title, "%", _LEVELS, None, TRAINING_DONE, group="teachers", places=1, select=TEACHER_FIGURES))
register(Indicator("rotation_share", ROTATION_SHARE.title, "%", _LEVELS, None, ROTATION_SHARE,
                   group="teachers", places=1, select=TEACHER_FIGURES))
register(Indicator("rotation_eligible", ROTATION_ELIGIBLE.title, "%", _LEVELS, None,
                   ROTATION_ELIGIBLE, group="teachers", places=1, select=TEACHER_FIGURES))
register(Indicator("rotation_backbone", ROTATION_BACKBONE.title, "%", _LEVELS, None,
                   ROTATION_BACKBONE, group="teachers", places=1, select=TEACHER_FIGURES))
