"""Reads of school data. Every selector starts from `visible_to(user)`."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum

from bureau.rules import BIG_CLASS, TRAINING_CYCLE_YEARS
from schools.indicators import ABOVE_REQUIRED_EDUCATION, SPORTS_ARTS_SUBJECTS, evaluate_school
from schools.models import (
    District,
    EducationGroup,
    Rotation,
    School,
    SchoolClass,
    SchoolYear,
    SchoolYearStat,
    Section,
    Teacher,
    Term,
    TrainingRecord,
)


def current_school_year():
    return SchoolYear.objects.order_by("-start_year").first()


def current_term():
    today = datetime.date.today()
    term = Term.objects.filter(start_date__lte=today).select_related("school_year").order_by("-start_date").first()
    return term or Term.objects.select_related("school_year").order_by("-start_date").first()


def district_list(*, user):
    return District.objects.visible_to(user).order_by("code")


def group_list(*, user):
    return EducationGroup.objects.visible_to(user).select_related("district", "lead_school").order_by("name")


def school_list(*, user, filters=None, school_year=None, term=None):
    """Schools the user may see, with the latest statistics' verdict and big-class flag.

    The verdict and the class flag come as annotations so a page of the list costs the
    same number of queries whatever its length.
    """
    filters = filters or {}
    qs = School.objects.visible_to(user).select_related("district", "group")
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    for field in ("stage", "location", "ownership", "status"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("group"):
        qs = qs.filter(group_id=filters["group"])
    if filters.get("district"):
        qs = qs.filter(district_id=filters["district"])

    school_year = school_year or current_school_year()
    term = term or current_term()
    stat = SchoolYearStat.objects.filter(school=OuterRef("pk"), school_year=school_year)
    big = SchoolClass.objects.filter(school=OuterRef("pk"), term=term).annotate(size=F("boys") + F("girls")).filter(
        size__gte=BIG_CLASS
    )
    qs = qs.annotate(
        students=Subquery(stat.annotate(n=F("primary_students") + F("junior_students") + F("other_students")).values("n")[:1]),
        meets_standard=Subquery(stat.values("meets_resource_standard")[:1]),
        met_count=Subquery(stat.values("resource_met_count")[:1]),
        has_big_class=Exists(big),
    )
    below = filters.get("below_standard")
    if below:
        qs = qs.filter(Q(meets_standard=False) | Q(has_big_class=True))
    return qs.order_by("code")


def teacher_counts_by_school(*, school_ids):
    """{school_id: {section: {"total", "above_education", "backbone", "sports_arts"}}} in one query."""
    above = {s: Q(section=s, education__in=levels) for s, levels in ABOVE_REQUIRED_EDUCATION.items()}
    rows = (
        Teacher.objects.filter(school_id__in=school_ids, status=Teacher.Status.ACTIVE)
        .values("school_id", "section")
        .annotate(
            total=Count("id"),
            above_education=Count("id", filter=above[Section.PRIMARY] | above[Section.JUNIOR]),
            backbone=Count("id", filter=~Q(backbone_level="")),
            sports_arts=Count("id", filter=Q(is_sports_arts=True) | Q(subject__in=SPORTS_ARTS_SUBJECTS)),
            certified=Count("id", filter=~Q(certificate_type="")),
        )
    )
    result = defaultdict(dict)
    for row in rows:
        result[row["school_id"]][row["section"]] = row
    return result


def school_indicators(*, school, stat):
    counts = teacher_counts_by_school(school_ids=[school.pk]).get(school.pk, {})
    return evaluate_school(school=school, stat=stat, teacher_counts=counts)


def school_stats(*, school):
    return SchoolYearStat.objects.filter(school=school).select_related("school_year").order_by("-school_year__start_year")


def school_terms(*, school):
    return Term.objects.filter(classes__school=school).distinct().select_related("school_year").order_by("-start_date")


def school_classes(*, school, term):
    return (
        SchoolClass.objects.filter(school=school, term=term)
        .select_related("head_teacher")
        .order_by("grade", "number")
    )


def training_cycle_start(today=None):
    today = today or datetime.date.today()
    return today.replace(year=today.year - TRAINING_CYCLE_YEARS)


def school_teachers(*, school, today=None):
    """Teachers with training hours in the current five-year cycle and rotation count."""
    since = training_cycle_start(today)
    hours = (
        TrainingRecord.objects.filter(teacher=OuterRef("pk"), date__gt=since)
        .values("teacher")
        .annotate(h=Sum("hours"))
        .values("h")
    )
    rotations = Rotation.objects.filter(teacher=OuterRef("pk")).values("teacher").annotate(n=Count("id")).values("n")
    return (
        Teacher.objects.filter(school=school)
        .annotate(cycle_hours=Subquery(hours), rotation_count=Subquery(rotations))
        .order_by("status", "staff_number")
    )


def teacher_list(*, user, filters=None):
    filters = filters or {}
    qs = Teacher.objects.visible_to(user).select_related("school")
    if filters.get("school"):
        qs = qs.filter(school_id=filters["school"])
    if filters.get("q"):
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(staff_number__startswith=filters["q"]))
    return qs.order_by("school__code", "staff_number")


def teacher_trainings(*, teacher):
    return teacher.trainings.order_by("-date")


def teacher_rotations(*, teacher):
    return teacher.rotations.select_related("from_school", "to_school").order_by("-start_date")


def cycle_hours(trainings, today=None):
    since = training_cycle_start(today)
    return sum((t.hours for t in trainings if t.date > since), Decimal(0))
