"""Writes of school data. Views, API, imports and tasks call these; nothing else saves."""

from django.db import transaction

from bureau.errors import DomainError
from bureau.permissions import can_edit_school
from bureau.services import model_create, model_update
from schools.indicators import evaluate_school, overall
from schools.models import School, SchoolYearStat, Teacher
from schools.selectors import teacher_counts_by_school

# Fields a principal may change on their own school's profile; the rest (code, district,
# stage, group, status) are the bureau's to set.
PRINCIPAL_SCHOOL_FIELDS = ("address", "principal_name", "phone", "is_boarding")


def _require_edit(user, school):
    if not can_edit_school(user, school):
        raise DomainError("You may not change this school's records.")


@transaction.atomic
def school_update(*, school, data, by):
    _require_edit(by, school)
    if by.role == "principal" and not by.is_superuser:
        forbidden = set(data) - set(PRINCIPAL_SCHOOL_FIELDS)
        if forbidden:
            raise DomainError("A principal may not change: " + ", ".join(sorted(forbidden)))
    school = School.objects.select_for_update().get(pk=school.pk)
    school, _changed = model_update(instance=school, data=data, by=by)
    return school


@transaction.atomic
def school_year_stat_save(*, school, school_year, data, by):
    """Create or update one school's statistics for a year, then re-evaluate its indicators."""
    _require_edit(by, school)
    stat = SchoolYearStat.objects.select_for_update().filter(school=school, school_year=school_year).first()
    if stat is None:
        stat = model_create(model=SchoolYearStat, data={"school": school, "school_year": school_year, **data}, by=by)
    else:
        stat, _changed = model_update(instance=stat, data=data, by=by)
    school_stats_evaluate(school_ids=[school.pk])
    stat.refresh_from_db()
    return stat


def default_section(school):
    sections = school.sections
    return sections[0]


@transaction.atomic
def teacher_update(*, teacher, data, by):
    _require_edit(by, teacher.school)
    if "school" in data and data["school"] != teacher.school:
        _require_edit(by, data["school"])
    teacher = Teacher.objects.select_for_update().get(pk=teacher.pk)
    teacher, changed = model_update(instance=teacher, data=data, by=by)
    if changed:
        school_stats_evaluate(school_ids=[teacher.school_id])
    return teacher


def school_stats_evaluate(*, school_ids, school_year=None):
    """Recompute the stored resource-standard verdict of these schools' statistics.

    Called after anything that changes the indicators' inputs: statistics, teachers.
    Bulk-safe: three queries for any number of schools, then one UPDATE per changed row.
    """
    stats = SchoolYearStat.objects.filter(school_id__in=school_ids).select_related("school")
    if school_year is not None:
        stats = stats.filter(school_year=school_year)
    counts = teacher_counts_by_school(school_ids=school_ids)
    changed = []
    for stat in stats:
        results = evaluate_school(school=stat.school, stat=stat, teacher_counts=counts.get(stat.school_id, {}))
        met, meets = overall(results)
        if (met, meets) != (stat.resource_met_count, stat.meets_resource_standard):
            stat.resource_met_count, stat.meets_resource_standard = met, meets
            changed.append(stat)
    SchoolYearStat.objects.bulk_update(changed, ["resource_met_count", "meets_resource_standard"], batch_size=500)
    return len(changed)
