"""From the yearly statistics: school size (2017 measures: ≤ 2000 students, a combined school
≤ 2500), computers per 100 students (seed 000: ≥ 8.5), the shares of standardized,
digital-campus and feature schools (seed 000: 85 %, 85 %, 80 %), retention (seed 001: 95 %)
and the physical-health excellent-and-good rate (seed 001: 40 %).

Retention (巩固率) is read from the year's own figures, 1 − dropouts / compulsory students:
the statistics hold no cohort. One GROUP BY per level over the statistics.
"""

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.rules import (
    COMPUTERS,
    DIGITAL_SHARE,
    FEATURE_SHARE,
    HEALTH_GOOD,
    RETENTION,
    SCHOOL_SIZE,
    STANDARDIZED_SHARE,
)
from reports.indicators.base import ABOVE_SCHOOL, AREA_LEVELS, SCHOOL, Indicator, Value, ratio, register
from reports.indicators.inputs import grouped, ratios
from schools.models import SchoolStage

COMBINED = (SchoolStage.NINE_YEAR, SchoolStage.COMPLETE)


def size_key(stage):
    """The key of SCHOOL_SIZE's threshold for a kind of school."""
    if stage in COMBINED:
        return "combined"
    return "junior" if stage == SchoolStage.JUNIOR else "primary"


def compute_facilities(inputs):
    stats = inputs.stats().exclude(school__stage__in=(SchoolStage.SPECIAL, SchoolStage.KINDERGARTEN))
    figures = grouped(
        stats.annotate(all_students=F("primary_students") + F("junior_students") + F("other_students"),
                       compulsory=F("primary_students") + F("junior_students"),
                       excellent_good=F("health_excellent") + F("health_good")),
        school="school",
        schools=Count("id"),
        students=Sum("all_students"),
        compulsory=Sum("compulsory"),
        computers=Sum("computers"),
        dropouts=Sum("dropouts"),
        tested=Sum("health_tested"),
        excellent_good=Sum("excellent_good"),
        standardized=Count("id", filter=Q(is_standardized=True)),
        digital=Count("id", filter=Q(is_digital_campus=True)),
        feature=Count("id", filter=Q(is_feature_school=True)),
        oversize=Count("id", filter=(
            Q(school__stage__in=COMBINED, all_students__gt=SCHOOL_SIZE.threshold_for("combined"))
            | (~Q(school__stage__in=COMBINED) & Q(all_students__gt=SCHOOL_SIZE.threshold_for("primary")))
        )),
    )
    yield from ratios("computers", figures, figures, num="computers", den="students", scale=100)
    yield from ratios("health_good", figures, figures, num="excellent_good", den="tested", scale=100)
    for key, row in figures.items():
        level, scope_id = key
        compulsory = row["compulsory"] or 0
        retained = compulsory - (row["dropouts"] or 0)
        yield Value("retention", level, scope_id, "", ratio(retained, compulsory, 100), retained, compulsory)
        if level != SCHOOL:
            for code, name in (("standardized_share", "standardized"), ("digital_share", "digital"),
                               ("feature_share", "feature")):
                yield Value(code, level, scope_id, "", ratio(row[name], row["schools"], 100), row[name],
                            row["schools"])
            yield Value("oversize_schools", level, scope_id, "", Decimal(row["oversize"]))
    # A school's size against the limit of its kind: the stage field carries the kind.
    for school_id, stage, students in stats.order_by().values_list(
            "school_id", "school__stage", F("primary_students") + F("junior_students") + F("other_students")):
        yield Value("school_size", SCHOOL, school_id, size_key(stage), Decimal(students))


register(Indicator("school_size", SCHOOL_SIZE.title, SCHOOL_SIZE.unit, (SCHOOL,), compute_facilities, SCHOOL_SIZE,
                   stages=("primary", "junior", "combined"), group="schools", places=0))
register(Indicator("oversize_schools", _("Schools above the size limit"), pgettext_lazy("unit", "schools"), ABOVE_SCHOOL,
                   compute_facilities, group="schools", places=0))
register(Indicator("computers", COMPUTERS.title, COMPUTERS.unit, AREA_LEVELS, compute_facilities, COMPUTERS,
                   group="schools", places=1))
register(Indicator("standardized_share", STANDARDIZED_SHARE.title, "%", ABOVE_SCHOOL, compute_facilities,
                   STANDARDIZED_SHARE, group="schools", places=1))
register(Indicator("digital_share", DIGITAL_SHARE.title, "%", ABOVE_SCHOOL, compute_facilities, DIGITAL_SHARE,
                   group="schools", places=1))
register(Indicator("feature_share", FEATURE_SHARE.title, "%", ABOVE_SCHOOL, compute_facilities, FEATURE_SHARE,
                   group="schools", places=1))
register(Indicator("retention", RETENTION.title, "%", AREA_LEVELS, compute_facilities, RETENTION,
                   group="students", places=2))
register(Indicator("health_good", HEALTH_GOOD.title, "%", AREA_LEVELS, compute_facilities, HEALTH_GOOD,
                   group="students", places=1))
