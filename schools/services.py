"""Writes of school data. Views, API, imports and tasks call these; nothing else saves."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bureau import refcache
from bureau.errors import DomainError
from bureau.services import model_create, model_update
from schools.indicators import evaluate_school, overall, weakest
from schools.models import Rotation, School, SchoolClass, SchoolYearStat, Teacher, TrainingRecord
from schools.permissions import can_add_school, can_change_school_status, can_edit_school, can_edit_school_field
from schools.selectors import SCHOOL_LIST_CACHE, SUMMARY_CACHE, teacher_counts_by_school


def _require_edit(user, school):
    if not can_edit_school(user, school):
        raise DomainError(_("You may not change the records of %(school)s.") % {"school": school})


@transaction.atomic
def school_update(*, school, data, by):
    _require_edit(by, school)
    forbidden = sorted(name for name in data if not can_edit_school_field(by, name))
    if forbidden:
        raise ValidationError({name: _("A principal may not change this field.") for name in forbidden})
    # The group's district is checked by School.clean() in model_update.
    school = School.objects.select_for_update().get(pk=school.pk)
    school, _changed = model_update(instance=school, data=data, by=by)
    return school


@transaction.atomic
def school_create(*, data, by):
    """Add a school to a district the user works on; it opens now. Audited like every create."""
    district = data.get("district")
    if district is None or not can_add_school(by, district):
        raise ValidationError({"district": _("Choose a district you work on.")})
    data = {**data, "status": School.Status.OPEN, "merged_into": None}
    # The code's uniqueness and format, and the group's district, are checked by full_clean().
    return model_create(model=School, data=data, by=by)


def _require_status_change(by, school):
    if not can_change_school_status(by, school):
        raise DomainError(_("You may not close, merge or reopen %(school)s.") % {"school": school})


def _lock_open(school, by):
    _require_status_change(by, school)
    locked = School.objects.select_for_update().get(pk=school.pk)
    if locked.status != School.Status.OPEN:
        raise DomainError(_("%(school)s is not open: it is %(status)s.") % {
            "school": locked, "status": locked.get_status_display(),
        })
    return locked


@transaction.atomic
def school_close(*, school, by, note=""):
    """Close a school (撤销/停办). Its records stay as they are: statistics are history."""
    locked = _lock_open(school, by)
    locked, _changed = model_update(instance=locked, data={"status": School.Status.CLOSED}, by=by, note=note)
    return locked


@transaction.atomic
def school_merge(*, school, into, by, note=""):
    """Merge a school into another open school of its district. The merged school keeps its
    records as history and points at the school that took it in."""
    locked = _lock_open(school, by)
    if into is None or into.pk == locked.pk:
        raise ValidationError({"into": _("Choose the school it merges into.")})
    into = School.objects.select_for_update().get(pk=into.pk)
    if into.district_id != locked.district_id or not can_edit_school(by, into):
        raise ValidationError({"into": _("A school merges into a school of its own district.")})
    if into.status != School.Status.OPEN:
        raise ValidationError({"into": _("%(school)s is not open.") % {"school": into}})
    locked, _changed = model_update(
        instance=locked, data={"status": School.Status.MERGED, "merged_into": into}, by=by, note=note
    )
    return locked


@transaction.atomic
def school_reopen(*, school, by, note=""):
    """Undo a closure or a merge (made by mistake, or a school that opens again)."""
    _require_status_change(by, school)
    locked = School.objects.select_for_update().get(pk=school.pk)
    if locked.status == School.Status.OPEN:
        raise DomainError(_("%(school)s is open already.") % {"school": locked})
    locked, _changed = model_update(
        instance=locked, data={"status": School.Status.OPEN, "merged_into": None}, by=by, note=note
    )
    return locked


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
    """The section of a teacher whose record does not say: the school's first."""
    return school.sections[0]


@transaction.atomic
def teacher_update(*, teacher, data, by):
    _require_edit(by, teacher.school)
    if "school" in data and data["school"] != teacher.school:
        _require_edit(by, data["school"])
    # The district and the school's sections are checked by Teacher.clean() in model_update.
    teacher = Teacher.objects.select_for_update().get(pk=teacher.pk)
    old_school_id = teacher.school_id
    if "staff_number" in data:
        _check_staff_number_free(district_id=teacher.district_id, staff_number=data["staff_number"], exclude_pk=teacher.pk)
    teacher, changed = model_update(instance=teacher, data=data, by=by)
    if changed:
        # A teacher who moved counts for both schools' indicators.
        school_stats_evaluate(school_ids=sorted({old_school_id, teacher.school_id}))
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
    fields = ["resource_met_count", "meets_resource_standard", "resource_weakest", "resource_weakest_percent"]
    changed = []
    for stat in stats:
        results = evaluate_school(school=stat.school, stat=stat, teacher_counts=counts.get(stat.school_id, {}))
        verdict = (*overall(results), *weakest(results))
        if verdict != tuple(getattr(stat, name) for name in fields):
            for name, value in zip(fields, verdict, strict=True):
                setattr(stat, name, value)
            changed.append(stat)
    SchoolYearStat.objects.bulk_update(changed, fields, batch_size=500)
    if changed:  # a bulk update sends no signals: the figures cached from the verdicts go
        refcache.forget(SCHOOL_LIST_CACHE, SUMMARY_CACHE)
    return len(changed)


# ---- writes used by the school pages ------------------------------------------------


def _check_staff_number_free(*, district_id, staff_number, exclude_pk=None):
    """Staff numbers are unique in a district; say so on the field rather than as a 500."""
    taken = Teacher.objects.filter(district_id=district_id, staff_number=staff_number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({
            "staff_number": _("Staff number %(number)s is already used by another teacher in this district.")
            % {"number": staff_number}
        })


@transaction.atomic
def teacher_create(*, school, data, by):
    """Add a teacher to a school; the district comes from the school."""
    _require_edit(by, school)
    data = {**data, "school": school, "district": school.district}
    _check_staff_number_free(district_id=school.district_id, staff_number=data.get("staff_number"))
    try:
        # A savepoint, so that a concurrent insert of the same number ends as a field error.
        with transaction.atomic():
            teacher = model_create(model=Teacher, data=data, by=by)
    except IntegrityError:
        _check_staff_number_free(district_id=school.district_id, staff_number=data.get("staff_number"))
        raise
    if teacher.status == Teacher.Status.ACTIVE:
        school_stats_evaluate(school_ids=[school.pk])
    return teacher


@transaction.atomic
def school_class_save(*, school, term, data, by, school_class=None):
    """Create a class of `school` in `term`, or update `school_class` (its term does not change)."""
    _require_edit(by, school)
    if school_class is not None:
        if school_class.school_id != school.pk or school_class.term_id != term.pk:
            raise DomainError(_("This class does not belong to %(school)s in %(term)s.") % {"school": school, "term": term})
        school_class = SchoolClass.objects.select_for_update().get(pk=school_class.pk)
    # Grade, head teacher and the lock of a balanced class are checked by SchoolClass.clean()
    # in model_create/model_update.
    grade, number = data.get("grade"), data.get("number")
    taken = SchoolClass.objects.filter(school=school, term=term, grade=grade, number=number)
    if school_class is not None:
        taken = taken.exclude(pk=school_class.pk)
    if taken.exists():
        raise ValidationError({
            "number": _("Class %(grade)s(%(number)s) already exists in %(term)s.")
            % {"grade": grade, "number": number, "term": term}
        })
    if school_class is None:
        return model_create(model=SchoolClass, data={**data, "school": school, "term": term}, by=by)
    school_class, _changed = model_update(instance=school_class, data=data, by=by)
    return school_class


@transaction.atomic
def training_record_create(*, teacher, data, by):
    _require_edit(by, teacher.school)
    if TrainingRecord.objects.filter(teacher=teacher, course=data.get("course"), date=data.get("date")).exists():
        raise ValidationError({
            "course": _("%(teacher)s already has the course “%(course)s” on %(date)s.")
            % {"teacher": teacher, "course": data.get("course"), "date": data.get("date")}
        })
    return model_create(model=TrainingRecord, data={**data, "teacher": teacher}, by=by)


def rotation_defaults(*, teacher, data):
    """What a rotation that does not say means: the teacher leaves their own school. The
    service and the spreadsheet import both fill it so."""
    if data.get("from_school") is None:
        data = {**data, "from_school": teacher.school}
    return data


@transaction.atomic
def rotation_create(*, teacher, data, by):
    """Record a rotation (交流轮岗) of a teacher away from their school."""
    _require_edit(by, teacher.school)
    data = rotation_defaults(teacher=teacher, data={**data, "teacher": teacher})
    # Schools and dates are checked by Rotation.clean(); the start date is the natural key.
    start = data.get("start_date")
    if start and Rotation.objects.filter(teacher=teacher, start_date=start).exists():
        raise ValidationError({"start_date": _("%(teacher)s already has a rotation starting on %(date)s.") % {
            "teacher": teacher, "date": start,
        }})
    return model_create(model=Rotation, data=data, by=by)
