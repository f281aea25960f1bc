"""Class sizes of the compulsory grades: each class against the 45 / 50 standard, the national
buckets, big (≥ 56) and super-big (≥ 66) classes, their counts and shares; the between-class
CV of per-student equipment value in each school and stage (seed 003: ≤ 0.3).

One query loads the period's classes (id, school, grade, size, equipment) for the class rows
and the between-class CV; one GROUP BY per level counts the buckets."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q
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
from reports.indicators.base import AREA_LEVELS, CLASS, SCHOOL, STAGES, Indicator, Value, ratio, register
from reports.indicators.inputs import grouped
from schools.indicators import weighted_cv
from schools.models import SchoolClass
from schools.selectors import CLASS_SIZE_BUCKETS


def _stage(grade):
    return "primary" if grade <= 6 else "junior"


def compute_classes(inputs):
    classes = (SchoolClass.objects.filter(school__district_id__in=inputs.district_ids, term=inputs.term, grade__lte=9)
               .annotate(size=F("boys") + F("girls")))
    per_school = defaultdict(list)
    for pk, school_id, grade, size, equipment in classes.order_by().values_list(
            "id", "school_id", "grade", "size", "equipment_value"):
        stage = _stage(grade)
        yield Value("class_size", CLASS, pk, stage, Decimal(size))
        if size:
            per_school[(school_id, stage)].append((Decimal(equipment) / size, size))
    for (school_id, stage), pairs in per_school.items():
        yield Value("class_equipment_cv", SCHOOL, school_id, stage, weighted_cv(pairs, rounded=False), None,
                    Decimal(len(pairs)))

    aggregates = {"classes": Count("id"), "big": Count("id", filter=Q(size__gte=BIG_CLASS)),
                  "super_big": Count("id", filter=Q(size__gte=SUPER_BIG_CLASS))}
    for i, (_label, low, high) in enumerate(CLASS_SIZE_BUCKETS):
        condition = Q(size__gte=low) if high is None else Q(size__gte=low, size__lte=high)
        aggregates[f"b{i}"] = Count("id", filter=condition)
    for (level, scope_id), row in grouped(classes, school="school", **aggregates).items():
        total = row["classes"]
        yield Value("classes", level, scope_id, "", Decimal(total))
        yield Value("big_classes", level, scope_id, "", Decimal(row["big"]))
        yield Value("big_class_share", level, scope_id, "", ratio(row["big"], total, 100), row["big"], total)
        yield Value("super_big_classes", level, scope_id, "", Decimal(row["super_big"]))
        for i in range(len(CLASS_SIZE_BUCKETS)):
            yield Value(f"class_bucket.{i}", level, scope_id, "", Decimal(row[f"b{i}"]), row[f"b{i}"], total)


register(Indicator("class_size", CLASS_SIZE.title, CLASS_SIZE.unit, (CLASS,), compute_classes, CLASS_SIZE,
                   stages=STAGES, group="classes", places=0))
register(Indicator("classes", _("Classes (grades 1–9)"), pgettext_lazy("unit", "classes"), AREA_LEVELS, compute_classes,
                   group="classes", places=0))
register(Indicator("big_classes", _("Big classes (56 or more)"), pgettext_lazy("unit", "classes"), AREA_LEVELS, compute_classes,
                   group="classes", places=0))
register(Indicator("big_class_share", BIG_CLASS_SHARE.title, "%", AREA_LEVELS, compute_classes, BIG_CLASS_SHARE,
                   group="classes", places=1))
register(Indicator("super_big_classes", SUPER_BIG_CLASSES.title, SUPER_BIG_CLASSES.unit, AREA_LEVELS,
                   compute_classes, SUPER_BIG_CLASSES, group="classes", places=0))
for _i, (_label, _low, _high) in enumerate(CLASS_SIZE_BUCKETS):
    register(Indicator(f"class_bucket.{_i}", _label, pgettext_lazy("unit", "classes"), AREA_LEVELS, compute_classes, group="buckets",
                       places=0))
register(Indicator("class_equipment_cv", CLASS_EQUIPMENT_CV.title, "", (SCHOOL,), compute_classes,
                   CLASS_EQUIPMENT_CV, stages=STAGES, group="classes", places=3))
