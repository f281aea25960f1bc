"""Teachers: certified rate (seed 001: 100 %), training completion (seed 002: 360 hours in the
five years up to the period), rotation (seed 002: ≥ 15 % of a school's teachers each year;
2017 measures: ≥ 10 % of the eligible, backbone teachers ≥ 20 % of those rotating).

Active teachers as the registry holds them now (it keeps no yearly roll); rotations that
start in the period's school year, counted at the school they leave. One GROUP BY per
level and figure.
"""

import datetime

from django.db.models import Count, Q, Sum

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
from reports.indicators.inputs import grouped, ratios
from schools.models import Rotation, Teacher, TrainingRecord


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def compute_teachers(inputs):
    active = Teacher.objects.filter(school__district_id__in=inputs.district_ids, status=Teacher.Status.ACTIVE)
    since = _years_before(inputs.as_of, TRAINING_CYCLE_YEARS)
    # The teachers with the cycle's hours: one grouped pass over the training records, read
    # as a hashed semi-join (a subquery per teacher was most of the job's time).
    trained_ids = (TrainingRecord.objects.filter(teacher__in=active,
                                                 date__gt=since, date__lte=inputs.as_of)
                   .order_by().values("teacher").annotate(h=Sum("hours"))
                   .filter(h__gte=TRAINING_HOURS.threshold_for("all")).values("teacher"))
    eligible_before = _years_before(inputs.year_start, ROTATION_ELIGIBLE_YEARS)
    teachers = grouped(
        active,
        school="school",
        teachers=Count("id"),
        certified=Count("id", filter=~Q(certificate_type="")),
        trained=Count("id", filter=Q(pk__in=trained_ids)),
        eligible=Count("id", filter=Q(joined_school_date__lte=eligible_before)),
    )
    yield from ratios("certified_teachers", teachers, teachers, num="certified", den="teachers", scale=100)
    yield from ratios("training_done", teachers, teachers, num="trained", den="teachers", scale=100)

    year_end = datetime.date(inputs.year_start.year + 1, 8, 31)
    rotations = Rotation.objects.filter(
        from_school__district_id__in=inputs.district_ids, start_date__gte=inputs.year_start, start_date__lte=year_end,
    )
    rotating = grouped(
        rotations, school="from_school",
        rotating=Count("teacher", distinct=True),
        backbone=Count("teacher", distinct=True, filter=~Q(teacher__backbone_level="")),
    )
    yield from ratios("rotation_share", rotating, teachers, num="rotating", den="teachers", scale=100)
    yield from ratios("rotation_eligible", rotating, teachers, num="rotating", den="eligible", scale=100)
    yield from ratios("rotation_backbone", rotating, rotating, num="backbone", den="rotating", scale=100)


_LEVELS = AREA_LEVELS
register(Indicator("certified_teachers", CERTIFIED_TEACHERS.title, "%", _LEVELS, compute_teachers,
                   CERTIFIED_TEACHERS, group="teachers", places=1))
register(Indicator("training_done", TRAINING_DONE.title, "%", _LEVELS, compute_teachers, TRAINING_DONE, group="teachers", places=1))
register(Indicator("rotation_share", ROTATION_SHARE.title, "%", _LEVELS, compute_teachers, ROTATION_SHARE,
                   group="teachers", places=1))
register(Indicator("rotation_eligible", ROTATION_ELIGIBLE.title, "%", _LEVELS, compute_teachers,
                   ROTATION_ELIGIBLE, group="teachers", places=1))
register(Indicator("rotation_backbone", ROTATION_BACKBONE.title, "%", _LEVELS, compute_teachers,
                   ROTATION_BACKBONE, group="teachers", places=1))
