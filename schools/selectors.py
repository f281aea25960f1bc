"""Reads of school data. Every selector starts from `visible_to(user)`."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau import refcache
from bureau.rules import BIG_CLASS, CLASS_EQUIPMENT_CV, CLASS_SIZE, TRAINING_CYCLE_YEARS, TRAINING_HOURS
from schools.indicators import (
    ABOVE_REQUIRED_EDUCATION,
    SPORTS_ARTS_SUBJECTS,
    class_equipment_cv,
    class_size_flag,
    evaluate_school,
    overall,
    section_shares,
    weakest,
)
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


@dataclass(frozen=True)
class TermNow:
    """Where today falls in the school-year calendar.

    position  "in": today is in `term`; "ended": a holiday, `term` is the one just ended
              (its classes are the latest) and `next_term` the one after it if recorded;
              "coming": no term has begun yet and `term` is the first; "none": no terms.
    """

    term: Term | None
    position: str
    next_term: Term | None = None

    @property
    def school_year(self):
        return self.term.school_year if self.term else None


def term_now(today=None):
    """The current term from the date and the terms' own dates, in one query.

    Between terms (winter and summer holidays) the term just ended stays the current one,
    since its classes are the latest the portal has; the pages say it has ended and when
    the next begins. Terms are few (two a year), so all are loaded and chosen here.
    """
    today = today or timezone.localdate()
    terms = refcache.cached("terms", lambda: list(Term.objects.select_related("school_year").order_by("start_date")))
    for term in terms:
        if term.start_date <= today <= term.end_date:
            return TermNow(term, "in")
    ended = [term for term in terms if term.end_date < today]
    coming = [term for term in terms if term.start_date > today]
    if ended:
        return TermNow(ended[-1], "ended", coming[0] if coming else None)
    if coming:
        return TermNow(coming[0], "coming")
    return TermNow(None, "none")


def current_term(today=None):
    return term_now(today).term


def current_school_year(today=None):
    """The school year of the current term (a school year runs to the next one's first term);
    without terms, the latest school year recorded."""
    return term_now(today).school_year or SchoolYear.objects.order_by("-start_year").first()


def stats_school_year(*, current):
    """The school year whose statistics the lists show: the current one, or the latest
    before it that has statistics (a year's statistics come in after it has begun)."""
    years = refcache.cached("stats-years", lambda: list(
        SchoolYear.objects.filter(pk__in=SchoolYearStat.objects.order_by().values("school_year")).order_by("-start_year")
    ))
    if current is not None:
        years = [year for year in years if year.start_year <= current.start_year]
    return years[0] if years else current


def is_older(school_year, current):
    """Whether data of `school_year` is older than the current school year (the page says so)."""
    return bool(school_year and current and school_year.start_year < current.start_year)


def district_list(*, user):
    return District.objects.visible_to(user).order_by("code")


def group_list(*, user):
    return EducationGroup.objects.visible_to(user).select_related("district", "lead_school").order_by("name")


# The default of school_list's year and term: work them out from today (None is a value: no term).
CURRENT = object()


# The school list's pages as printed, cached per reader's reach, language, filters and page
# (schools.views), forgotten on every change to what a row shows (schools/apps.py).
SCHOOL_LIST_CACHE = "school-list"
SCHOOL_LIST_MODELS = (School, SchoolClass, SchoolYearStat, EducationGroup, District)
# The home page's counts (schools/home.py), cached and forgotten the same way.
SUMMARY_CACHE = "home-schools"
SUMMARY_MODELS = (School, Teacher, SchoolClass, SchoolYearStat)


def school_list(*, user, filters=None, school_year=CURRENT, term=CURRENT):
    """Schools the user may see, with one year's statistics verdict and the big-class flag.

    `school_year` (default: the latest with statistics up to the current one) and `term`
    (default: the current term). The verdict, its weakest indicator and the class flag
    come as annotations, so a page of the list costs the same queries whatever its length.
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

    if school_year is CURRENT or term is CURRENT:
        now = term_now()
        term = now.term if term is CURRENT else term
        school_year = stats_school_year(current=now.school_year) if school_year is CURRENT else school_year
    # order_by(): the model's default ordering would add two joins to every subquery.
    stat = SchoolYearStat.objects.filter(school=OuterRef("pk"), school_year=school_year).order_by()
    big = SchoolClass.objects.filter(school=OuterRef("pk"), term=term).annotate(size=F("boys") + F("girls")).filter(
        size__gte=BIG_CLASS
    )
    qs = qs.annotate(
        students=Subquery(stat.annotate(n=F("primary_students") + F("junior_students") + F("other_students")).values("n")[:1]),
        meets_standard=Subquery(stat.values("meets_resource_standard")[:1]),
        met_count=Subquery(stat.values("resource_met_count")[:1]),
        weakest=Subquery(stat.values("resource_weakest")[:1]),
        weakest_percent=Subquery(stat.values("resource_weakest_percent")[:1]),
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
    return teacher_list_with_training(Teacher.objects.filter(school=school), today=today).order_by(
        "status", "staff_number"
    )


def teacher_list(*, user, filters=None):
    filters = filters or {}
    qs = Teacher.objects.visible_to(user).select_related("school")
    if filters.get("school"):
        qs = qs.filter(school_id=filters["school"])
    if filters.get("q"):
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(staff_number__startswith=filters["q"]))
    for field in ("section", "education", "title", "status"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    # "any" means any backbone level at all; otherwise one level.
    if filters.get("backbone") == "any":
        qs = qs.exclude(backbone_level="")
    elif filters.get("backbone"):
        qs = qs.filter(backbone_level=filters["backbone"])
    return qs.order_by("school__code", "staff_number")


def teacher_trainings(*, teacher):
    return teacher.trainings.order_by("-date")


def teacher_rotations(*, teacher):
    return teacher.rotations.select_related("from_school", "to_school").order_by("-start_date")


def cycle_hours(trainings, today=None):
    since = training_cycle_start(today)
    return sum((t.hours for t in trainings if t.date > since), Decimal(0))


# ---- pages: school detail, teacher pages -------------------------------------------
# The functions below feed the server-rendered pages. Each loads what a page needs in a
# fixed number of queries (whatever the size of the district or the school) and leaves
# the per-row arithmetic to Python over the loaded rows.

# Statistics fields as the pages group them (and the edit form lays them out).
STAT_FIELD_GROUPS = (
    (_("Enrolment"), ("primary_students", "junior_students", "other_students")),
    (_("Buildings and equipment"), (
        "teaching_area", "sports_ground_area", "equipment_value", "multimedia_classrooms", "computers",
        "library_books", "labs",
    )),
    (_("Functional rooms"), (
        "has_music_room", "has_pe_room", "has_art_room", "has_health_room", "has_labour_room", "has_science_room",
        "music_rooms", "music_room_area", "art_rooms", "art_room_area",
    )),
    (_("School status"), ("is_digital_campus", "is_standardized", "is_feature_school")),
    (_("Enrolment flows"), ("enrolled", "graduated", "dropouts", "disabled_students")),
    (_("Physical health"), ("health_tested", "health_excellent", "health_good", "health_pass", "myopia")),
)

# How the pages print each statistics field that is not a count (bureau/templatetags/numbers.py).
STAT_FIELD_KINDS = {
    "teaching_area": "area", "sports_ground_area": "area", "music_room_area": "area", "art_room_area": "area",
    "equipment_value": "amount",
}

# How many years the "years side by side" table shows, newest last.
STAT_YEARS_SHOWN = 5

TEACHERS_PER_PAGE = 50
SCHOOLS_PER_PAGE = 50


def school_detail_queryset():
    """What the school pages load with the school: one query, zone included."""
    return School.objects.select_related("district", "group", "group__lead_school", "zone_link__zone", "merged_into")


def school_zone(*, school):
    """(zone, inspectors) of the school's inspector zone, or (None, []) when it has none.

    The zone link belongs to the inspections app; schools only follows the reverse
    relation, so nothing here imports that app.
    """
    try:
        link = school.zone_link
    except ObjectDoesNotExist:
        return None, []
    inspectors = link.zone.inspectors.filter(is_active=True).order_by("name", "username")
    return link.zone, list(inspectors)


def school_profile_tab(*, school):
    zone, inspectors = school_zone(school=school)
    latest = school_stats(school=school).first()
    current = current_school_year()
    return {
        "zone": zone, "inspectors": inspectors, "latest_stat": latest, "current_year": current,
        "stats_outdated": is_older(latest.school_year if latest else None, current),
    }


def class_size_summary(classes):
    """Counts per size flag over already-loaded classes; sets `size_flag` and `size_limit` on each."""
    summary = {"classes": 0, "students": 0, "over": 0, "big": 0, "super_big": 0}
    for school_class in classes:
        school_class.size_flag = class_size_flag(school_class.size, school_class.section)
        school_class.size_limit = CLASS_SIZE.threshold_for(school_class.section)
        summary["classes"] += 1
        summary["students"] += school_class.size
        if school_class.size_flag:
            summary[school_class.size_flag] += 1
    summary["above_standard"] = summary["over"] + summary["big"] + summary["super_big"]
    summary["average"] = (
        (Decimal(summary["students"]) / summary["classes"]).quantize(Decimal("0.1")) if summary["classes"] else None
    )
    big = summary["big"] + summary["super_big"]
    summary["big_share"] = (Decimal(big * 100) / summary["classes"]).quantize(Decimal("0.1")) if summary["classes"] else None
    return summary


def school_classes_tab(*, school, term_id=None):
    """The school's terms, the chosen one (default: the current term, else its latest) and its classes."""
    terms = list(school_terms(school=school))
    now = term_now()
    term = None
    if term_id:
        term = next((t for t in terms if str(t.pk) == str(term_id)), None)
    chosen = term is not None
    if term is None and terms:
        term = next((t for t in terms if now.term and t.pk == now.term.pk), terms[0])
    classes = list(school_classes(school=school, term=term)) if term else []
    equipment_cv = [
        (Section(section).label, cv, CLASS_EQUIPMENT_CV.is_met(cv, section))
        for section, cv in sorted(class_equipment_cv(classes).items())
        if cv is not None
    ]
    return {
        "terms": terms, "term": term, "classes": classes, "summary": class_size_summary(classes),
        "term_now": now,
        # The school's latest classes are of a term before the current one: the page says so.
        "classes_outdated": bool(not chosen and term and now.term and term.start_date < now.term.start_date),
        "equipment_cv": equipment_cv, "equipment_cv_limit": CLASS_EQUIPMENT_CV.threshold_for("all"),
    }


def training_hours_required():
    return TRAINING_HOURS.threshold_for("all")


def _mark_training(teacher, hours, required):
    teacher.cycle_hours = hours or Decimal(0)
    teacher.hours_met = teacher.cycle_hours >= required
    teacher.hours_percent = min(100, int(teacher.cycle_hours * 100 / required)) if required else 100


def school_teachers_tab(*, school, today=None):
    teachers = list(school_teachers(school=school, today=today).select_related("school"))
    required = training_hours_required()
    summary = {"total": len(teachers), "active": 0, "certified": 0, "backbone": 0, "hours_met": 0, "rotated": 0}
    for teacher in teachers:
        _mark_training(teacher, teacher.cycle_hours, required)
        teacher.rotation_count = teacher.rotation_count or 0
        if teacher.status != Teacher.Status.ACTIVE:
            continue
        summary["active"] += 1
        summary["certified"] += teacher.is_certified
        summary["backbone"] += bool(teacher.backbone_level)
        summary["hours_met"] += teacher.hours_met
        summary["rotated"] += bool(teacher.rotation_count)
    summary["certified_rate"] = (
        (Decimal(summary["certified"] * 100) / summary["active"]).quantize(Decimal("0.1")) if summary["active"] else None
    )
    return {"teachers": teachers, "summary": summary, "training_required": required}


def stat_field_groups(stat):
    """[(group label, [(field label, value, kind)])] of one year's statistics; kind is
    "flag", "area", "amount" or "count", for the page to print the value with its unit."""
    groups = []
    for label, names in STAT_FIELD_GROUPS:
        rows = []
        for name in names:
            field = SchoolYearStat._meta.get_field(name)
            kind = "flag" if isinstance(field, BooleanField) else STAT_FIELD_KINDS.get(name, "count")
            rows.append((field.verbose_name, getattr(stat, name), kind))
        groups.append((label, rows))
    return groups


def _rate(part, whole):
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1")) if whole else None


def stat_years_table(stats):
    """Key numbers of several years side by side: (years, [(label, kind, [value per year])])."""
    stats = sorted(stats, key=lambda s: s.school_year.start_year)[-STAT_YEARS_SHOWN:]

    def row(label, getter, kind="number"):
        return (label, kind, [getter(s) for s in stats])

    rows = [
        row(_("Primary students"), lambda s: s.primary_students),
        row(_("Junior secondary students"), lambda s: s.junior_students),
        row(_("Teaching and support floor area (m²)"), lambda s: s.teaching_area, kind="area"),
        row(_("Sports ground area (m²)"), lambda s: s.sports_ground_area, kind="area"),
        row(_("Teaching equipment value (yuan)"), lambda s: s.equipment_value, kind="amount"),
        row(_("Networked multimedia classrooms"), lambda s: s.multimedia_classrooms),
        row(_("Computers for teaching"), lambda s: s.computers),
        row(_("Library books"), lambda s: s.library_books),
        row(_("Dropouts"), lambda s: s.dropouts),
        row(_("Physical health excellent + good (%)"),
            lambda s: _rate(s.health_excellent + s.health_good, s.health_tested)),
        row(_("Myopia among students tested (%)"), lambda s: _rate(s.myopia, s.health_tested)),
        row(_("Resource indicators met (of 7)"), lambda s: s.resource_met_count),
        row(_("Meets the resource standard"), lambda s: s.meets_resource_standard, kind="verdict"),
    ]
    return [s.school_year for s in stats], rows


def school_statistics_tab(*, school, year=None):
    """One year's statistics (default: the latest) with its seven indicators per section."""
    stats = list(school_stats(school=school))
    stat = None
    if year:
        stat = next((s for s in stats if str(s.school_year.start_year) == str(year)), None)
    if stat is None and stats:
        stat = stats[0]
    results = school_indicators(school=school, stat=stat) if stat else []
    met_count, meets = overall(results)
    weakest_code, weakest_percent = weakest(results)
    shares = None
    if stat and len(school.compulsory_sections) == 2:
        split = section_shares(stat.primary_students, stat.junior_students)
        shares = {section: (share * 100).quantize(Decimal("0.1")) for section, share in split.items()}
    years, year_rows = stat_years_table(stats)
    current = current_school_year()
    return {
        "stats": stats,
        "stat": stat,
        "current_year": current,
        # The latest statistics are of a year before the current one: the page says so.
        "stats_outdated": is_older(stats[0].school_year if stats else None, current),
        "results": results,
        "met_count": met_count,
        "meets": meets,
        "weakest": weakest_code,
        "weakest_percent": weakest_percent,
        "shares": shares,
        "junior_weight": settings.COMBINED_SCHOOL_JUNIOR_WEIGHT,
        "field_groups": stat_field_groups(stat) if stat else [],
        "years": years,
        "year_rows": year_rows,
        "school_years": list(SchoolYear.objects.order_by("-start_year")),
    }


def teacher_list_with_training(queryset, *, today=None):
    """Add training hours in the current cycle and the rotation count to a teacher queryset."""
    since = training_cycle_start(today)
    hours = (
        TrainingRecord.objects.filter(teacher=OuterRef("pk"), date__gt=since)
        .values("teacher")
        .annotate(h=Sum("hours"))
        .values("h")
    )
    rotations = Rotation.objects.filter(teacher=OuterRef("pk")).values("teacher").annotate(n=Count("id")).values("n")
    return queryset.annotate(cycle_hours=Subquery(hours), rotation_count=Subquery(rotations))


def mark_training(teachers):
    """Set `hours_met` and `hours_percent` on teachers annotated by teacher_list_with_training."""
    required = training_hours_required()
    for teacher in teachers:
        _mark_training(teacher, teacher.cycle_hours, required)
    return teachers


def teacher_detail_queryset():
    return Teacher.objects.select_related("school", "school__district", "district")


def teacher_detail_data(*, teacher, today=None):
    trainings = list(teacher_trainings(teacher=teacher))
    required = training_hours_required()
    hours = cycle_hours(trainings, today)
    since = training_cycle_start(today)
    for training in trainings:
        training.in_cycle = training.date > since
    _mark_training(teacher, hours, required)
    return {
        "trainings": trainings,
        "cycle_start": since,
        "training_required": required,
        "rotations": list(teacher_rotations(teacher=teacher)),
        "conduct_records": list(teacher.conduct_records.order_by("-date", "-id")),
    }


def rotation_destinations(*, user, teacher):
    """Schools a teacher may rotate to: open schools of the districts the user works on.

    School names and codes are public (bulletins list them), so a principal may pick any
    school of their district here, although they only see their own school's records.
    """
    return (
        School.objects.filter(district__in=District.objects.visible_to(user), status=School.Status.OPEN)
        .exclude(pk=teacher.school_id)
        .order_by("code")
    )


def school_choices(*, user):
    """The schools a user may see, light, for filter drop-downs (one query)."""
    return School.objects.visible_to(user).only("pk", "code", "name").order_by("code")


# National statistics' class-size buckets (DESIGN: ≤25, 26–30, …, 51–55, 56–65 big, ≥66 super-big).
CLASS_SIZE_BUCKETS = (
    ("≤25", 0, 25), ("26–30", 26, 30), ("31–35", 31, 35), ("36–40", 36, 40), ("41–45", 41, 45),
    ("46–50", 46, 50), ("51–55", 51, 55), ("56–65", 56, 65), ("≥66", 66, None),
)


def class_size_distribution(*, user, term):
    """[(bucket label, classes)] for the classes the user sees in `term`, in one query."""
    if term is None:
        return []
    qs = SchoolClass.objects.visible_to(user).filter(term=term).annotate(size=F("boys") + F("girls"))
    aggregates = {}
    for i, (_label, low, high) in enumerate(CLASS_SIZE_BUCKETS):
        condition = Q(size__gte=low) if high is None else Q(size__gte=low, size__lte=high)
        aggregates[f"b{i}"] = Count("id", filter=condition)
    counts = qs.aggregate(**aggregates)
    return [(label, counts[f"b{i}"]) for i, (label, _low, _high) in enumerate(CLASS_SIZE_BUCKETS)]


def school_indicator_summary(*, school, school_year):
    """A school's seven indicators per section for one year, and the school's verdict."""
    stat = SchoolYearStat.objects.filter(school=school, school_year=school_year).first()
    sections = school_indicators(school=school, stat=stat) if stat else []
    met_count, meets = overall(sections)
    return {
        "school": school.pk,
        "school_year": school_year,
        "has_statistics": stat is not None,
        "met_count": met_count,
        "meets_standard": meets,
        "sections": sections,
    }
