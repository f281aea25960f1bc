"""Class sizes of the compulsory grades: each class against the 45 / 50 standard, the national
buckets, big (≥ 56) and super-big (≥ 66) classes, their counts and shares; the between-class
CV of per-student equipment value in each school and stage (seed 003: ≤ 0.3).

The class rows are one INSERT … SELECT (select_class_sizes); one query loads the classes'
sizes and equipment for the between-class CV; one GROUP BY per level counts the buckets."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, Count, F, Q, When
from django.db.models import Value as V
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.rules import (
    BIG_CLASS,
    BIG_CLASS_SHARE,
    CLASS_EQUIPMENT_CV,
    CLASS_SIZE,
    SUPER_BIG_CLASS,
    SUPER_BIG_CLASSES,
)
from reports.indicators.base import AREA_LEVELS, CLASS, SCHOOL, STAGES, Indicator, Value, register
from reports.indicators.sql import Figures, Out, Source, own_rows, ratio
from schools.indicators import weighted_cv
from schools.models import SchoolClass
from schools.selectors import CLASS_SIZE_BUCKETS


def _stage(grade):
    return "primary" if grade <= 6 else "junior"


def _classes(inputs):
    return (SchoolClass.objects.filter(school__district_id__in=inputs.district_ids, term=inputs.term, grade__lte=9)
            .annotate(size=F("boys") + F("girls")))


def select_class_sizes(inputs):
    """Every class's own size, against the standard of its stage: written inside the database."""
    return own_rows(_classes(inputs), indicator="class_size", level=CLASS, scope=F("id"),
                    stage=Case(When(grade__lte=6, then=V("primary")), default=V("junior")), school="school",
                    value=F("size"))


def compute_classes(inputs):
    classes = _classes(inputs)
    per_school = defaultdict(list)
    for school_id, grade, size, equipment in classes.filter(size__gt=0).order_by().values_list(
            "school_id", "grade", "size", "equipment_value"):
        per_school[(school_id, _stage(grade))].append((Decimal(equipment) / size, size))
    for (school_id, stage), pairs in per_school.items():
        yield Value("class_equipment_cv", SCHOOL, school_id, stage, weighted_cv(pairs, rounded=False), None,
                    Decimal(len(pairs)))


def _bucket_aggregates():
    aggregates = {"classes": Count("id"), "big": Count("id", filter=Q(size__gte=BIG_CLASS)),
                  "super_big": Count("id", filter=Q(size__gte=SUPER_BIG_CLASS))}
    for i, (_label, low, high) in enumerate(CLASS_SIZE_BUCKETS):
        condition = Q(size__gte=low) if high is None else Q(size__gte=low, size__lte=high)
        aggregates[f"b{i}"] = Count("id", filter=condition)
    return aggregates


# The buckets, big and super-big classes of every scope: one statement in the database.
CLASS_FIGURES = Figures(
    sources=(Source(_classes, "school", _bucket_aggregates()),),
    outs=(
        Out("classes", "classes"),
        Out("big_classes", "big"),
        Out("big_class_share", ratio("big", "classes", 100), "big", "classes"),
        Out("super_big_classes", "super_big"),
        *(Out(f"class_bucket.{i}", f"b{i}", f"b{i}", "classes") for i in range(len(CLASS_SIZE_BUCKETS))),
    ),
)


register(Indicator("class_size", CLASS_SIZE.title, CLASS_SIZE.unit, (CLASS,), None, CLASS_SIZE,
                   stages=STAGES, group="classes", places=0, select=select_class_sizes))
register(Indicator("classes", _("Classes (grades 1–9)"), pgettext_lazy("unit", "classes"), AREA_LEVELS, None,
                   group="classes", places=0, select=CLASS_FIGURES))
register(Indicator("big_classes", _("Big classes (56 or more)"), pgettext_lazy("unit", "classes"), AREA_LEVELS, None,
                   group="classes", places=0, select=CLASS_FIGURES))
register(Indicator("big_class_share", BIG_CLASS_SHARE.title, "%", AREA_LEVELS, None, BIG_CLASS_SHARE,
                   group="classes", places=1, select=CLASS_FIGURES))
register(Indicator("super_big_classes", SUPER_BIG_CLASSES.title, SUPER_BIG_CLASSES.unit, AREA_LEVELS,
                   None, SUPER_BIG_CLASSES, group="classes", places=0, select=CLASS_FIGURES))
for _i, (_label, _low, _high) in enumerate(CLASS_SIZE_BUCKETS):
    register(Indicator(f"class_bucket.{_i}", _label, pgettext_lazy("unit", "classes"), AREA_LEVELS, None, group="buckets",
                       places=0, select=CLASS_FIGURES))
register(Indicator("class_equipment_cv", CLASS_EQUIPMENT_CV.title, "", (SCHOOL,), compute_classes,
                   CLASS_EQUIPMENT_CV, stages=STAGES, group="classes", places=3))
