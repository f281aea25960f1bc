"""From the yearly statistics: school size (2017 measures: ≤ 2000 students, a combined school
≤ 2500), computers per 100 students (seed 000: ≥ 8.5), the shares of standardized,
digital-campus and feature schools (seed 000: 85 %, 85 %, 80 %), retention (seed 001: 95 %)
and the physical-health excellent-and-good rate (seed 001: 40 %). Computed and written inside
the database (indicators/sql.py): one statement for the figures, one for the schools' sizes.

Retention (巩固率) is read from the year's own figures, 1 − dropouts / compulsory students:
the statistics hold no cohort.
"""

from django.db.models import Case, Count, F, Q, Sum, When
from django.db.models import Value as V
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
from reports.indicators.base import ABOVE_SCHOOL, AREA_LEVELS, SCHOOL, Indicator, register
from reports.indicators.sql import Figures, Out, Source, nonzero, own_rows, ratio
from schools.models import SchoolStage

COMBINED = (SchoolStage.NINE_YEAR, SchoolStage.COMPLETE)


def _stats(inputs):
    return (inputs.stats().exclude(school__stage__in=(SchoolStage.SPECIAL, SchoolStage.KINDERGARTEN))
            .annotate(all_students=F("primary_students") + F("junior_students") + F("other_students"),
                      compulsory_students=F("primary_students") + F("junior_students"),
                      excellent_good=F("health_excellent") + F("health_good")))


_AGGREGATES = {
    "schools": Count("id"),
    "students": Sum("all_students"),
    "compulsory": Sum("compulsory_students"),
    "computers": Sum("computers"),
    "dropouts": Sum("dropouts"),
    "tested": Sum("health_tested"),
    "good": Sum("excellent_good"),
    "standardized": Count("id", filter=Q(is_standardized=True)),
    "digital": Count("id", filter=Q(is_digital_campus=True)),
    "feature": Count("id", filter=Q(is_feature_school=True)),
    "oversize": Count("id", filter=(
        Q(school__stage__in=COMBINED, all_students__gt=SCHOOL_SIZE.threshold_for("combined"))
        | (~Q(school__stage__in=COMBINED) & Q(all_students__gt=SCHOOL_SIZE.threshold_for("primary")))
    )),
}
_RETAINED = f"{nonzero('compulsory')} - {nonzero('dropouts')}"


def _share(code, name):
    return Out(code, ratio(name, "schools", 100), name, "schools", levels=ABOVE_SCHOOL)


FACILITY_FIGURES = Figures(
    sources=(Source(_stats, "school", _AGGREGATES),),
    outs=(
        Out("computers", ratio(nonzero("computers"), nonzero("students"), 100), nonzero("computers"),
            nonzero("students")),
        Out("health_good", ratio(nonzero("good"), nonzero("tested"), 100), nonzero("good"), nonzero("tested")),
        Out("retention", ratio(_RETAINED, nonzero("compulsory"), 100), _RETAINED, nonzero("compulsory")),
        _share("standardized_share", "standardized"),
        _share("digital_share", "digital"),
        _share("feature_share", "feature"),
        Out("oversize_schools", "oversize", levels=ABOVE_SCHOOL),
    ),
)


def select_school_sizes(inputs):
    """A school's size against the limit of its kind: the stage field carries the kind."""
    kind = Case(When(school__stage__in=COMBINED, then=V("combined")),
                When(school__stage=SchoolStage.JUNIOR, then=V("junior")), default=V("primary"))
    return own_rows(_stats(inputs), indicator="school_size", level=SCHOOL, scope=F("school_id"), stage=kind,
                    school="school", value=F("all_students"))


register(Indicator("school_size", SCHOOL_SIZE.title, SCHOOL_SIZE.unit, (SCHOOL,), None, SCHOOL_SIZE,
                   stages=("primary", "junior", "combined"), group="schools", places=0,
                   select=select_school_sizes))
register(Indicator("oversize_schools", _("Schools above the size limit"), pgettext_lazy("unit", "schools"), ABOVE_SCHOOL,
                   None, group="schools", places=0, select=FACILITY_FIGURES))
register(Indicator("computers", COMPUTERS.title, COMPUTERS.unit, AREA_LEVELS, None, COMPUTERS,
                   group="schools", places=1, select=FACILITY_FIGURES))
register(Indicator("standardized_share", STANDARDIZED_SHARE.title, "%", ABOVE_SCHOOL, None,
                   STANDARDIZED_SHARE, group="schools", places=1, select=FACILITY_FIGURES))
register(Indicator("digital_share", DIGITAL_SHARE.title, "%", ABOVE_SCHOOL, None, DIGITAL_SHARE,
                   group="schools", places=1, select=FACILITY_FIGURES))
register(Indicator("feature_share", FEATURE_SHARE.title, "%", ABOVE_SCHOOL, None, FEATURE_SHARE,
                   group="schools", places=1, select=FACILITY_FIGURES))
register(Indicator("retention", RETENTION.title, "%", AREA_LEVELS, None, RETENTION,
                   group="students", places=2, select=FACILITY_FIGURES))
register(Indicator("health_good", HEALTH_GOOD.title, "%", AREA_LEVELS, None, HEALTH_GOOD,
                   group="students", places=1, select=FACILITY_FIGURES))
