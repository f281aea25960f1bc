"""Writes of the balanced class draw: roster, class count, seed, the draw, transfers, erasure.

The order is the policy: the roster and the number of classes are fixed first, then the
public seed is published with the roster's hash (the draw moves to "seed published" and
neither can change any more), then the draw runs once. Every step is the school
principal's (schools/draw/permissions.py) and is audited; the draw's audit row holds its
inputs and its result.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import refcache
from bureau.errors import DomainError
from bureau.models import AuditLog
from bureau.rules import CLASS_SIZE
from bureau.services import audit_record
from bureau.sheets.engine import SheetImport
from bureau.sheets.files import check_upload, read_table
from bureau.workflow import transition
from schools.draw import algorithm
from schools.draw.permissions import can_decide_transfer, can_run_draw
from schools.draw.resources import ROSTER_KIND
from schools.draw.teachers import class_balance_store
from schools.models import ClassDraw, ClassTransfer, IncomingStudent, SchoolClass
from schools.selectors import SCHOOL_LIST_CACHE, SUMMARY_CACHE

Status = ClassDraw.Status
ERASED_NAME = "（已删除）"


def _require_runner(by, target):
    if not can_run_draw(by, target):
        raise DomainError(_("Only the school's principal prepares and makes its class draw."))


def _require_status(draw, status, message):
    if draw.status != status:
        raise DomainError(message)


def _locked(draw):
    return ClassDraw.objects.select_for_update().select_related("school", "term").get(pk=draw.pk)


def size_limit(grade):
    section = "primary" if grade <= 6 else "junior"
    return int(CLASS_SIZE.threshold_for(section))


@transaction.atomic
def draw_create(*, school, term, grade, by):
    _require_runner(by, school)
    if ClassDraw.objects.filter(school=school, term=term, grade=grade).exists():
        raise DomainError(_("Grade %(grade)s of %(term)s already has a draw.") % {"grade": grade, "term": term})
    draw = ClassDraw(school=school, term=term, grade=grade, size_limit=size_limit(grade))
    draw.full_clean()
    draw.save()
    audit_record(actor=by, action=AuditLog.Action.CREATE, instance=draw)
    return draw


@transaction.atomic
def roster_import(*, draw, upload, by):
    """Import the roster from an uploaded file, replacing the one before, all rows or none.

    Returns the plan: its `errors` (row, column, message) when nothing was written."""
    draw = _locked(draw)
    _require_runner(by, draw)
    _require_status(draw, Status.DRAFT, _("The seed is published: the roster can no longer change."))
    fmt = check_upload(upload)
    upload.seek(0)
    table = read_table(upload.read(), fmt)
    sheet = SheetImport(kind=ROSTER_KIND, user=by, lock=True, preview=False)
    sheet.resource.draw = draw
    plan = sheet.plan(table)
    if plan.errors:
        return plan
    draw.students.all().delete()
    sheet.apply(plan, by=by, note=_("roster of %(draw)s") % {"draw": draw})
    draw.student_count = len(plan.creates)
    draw.save(update_fields=["student_count", "updated_at"])
    return plan


def least_classes(draw):
    return algorithm.least_classes(draw.student_count, draw.size_limit or size_limit(draw.grade))


@transaction.atomic
def draw_set_classes(*, draw, class_count, by):
    """Set the number of classes: refused when a class would be over the size limit."""
    draw = _locked(draw)
    _require_runner(by, draw)
    _require_status(draw, Status.DRAFT, _("The seed is published: the number of classes can no longer change."))
    limit = size_limit(draw.grade)
    least = algorithm.least_classes(draw.student_count, limit)
    if class_count < 1 or (draw.student_count and class_count < least):
        raise DomainError(_(
            "With %(students)s students, %(count)s classes would put more than %(limit)s in a class (the limit "
            "for this grade): choose at least %(least)s classes.") % {
            "students": draw.student_count, "count": class_count, "limit": limit, "least": least})
    if draw.student_count and class_count > draw.student_count:
        raise DomainError(_("There are fewer students than classes."))
    old = draw.class_count
    draw.class_count, draw.size_limit = class_count, limit
    draw.full_clean()
    draw.save(update_fields=["class_count", "size_limit", "updated_at"])
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=draw, changes={"class_count": [old, class_count]})
    return draw


def roster_rows(students):
    """The roster as the canonical hash reads it (schools/draw/algorithm.py)."""
    return [(s.number, s.name, s.gender, s.birth_date.isoformat(), s.groups) for s in students]


def draw_students(draw):
    """The draw's inputs (no names, no birth dates), in registration-number order."""
    return [algorithm.Student(s.number, s.gender, s.birth_month, s.groups)
            for s in draw.students.order_by("number")]


@transaction.atomic
def draw_publish_seed(*, draw, seed, by):
    """Publish the public seed and fix the roster: its hash is published with the seed."""
    draw = _locked(draw)
    _require_runner(by, draw)
    seed = algorithm.normalise(seed)
    if not seed:
        raise DomainError(_("Enter the public seed, e.g. the number drawn in public."))
    if len(seed) > 64:
        raise DomainError(_("The seed is at most 64 characters."))
    if not draw.student_count:
        raise DomainError(_("Import the roster before publishing the seed."))
    least = least_classes(draw)
    if draw.class_count < least:
        raise DomainError(_("Set the number of classes first: at least %(least)s.") % {"least": least})
    students = list(draw.students.order_by("number"))
    digest = algorithm.roster_hash(roster_rows(students))
    return transition(draw, to=Status.PUBLISHED, by=by, note=_("seed %(seed)s") % {"seed": seed}, fields={
        "seed": seed, "roster_hash": digest, "seed_published_at": timezone.now(),
        "algorithm": algorithm.ALGORITHM, "size_limit": size_limit(draw.grade),
    })


def require_drawable(draw, by):
    _require_runner(by, draw)
    _require_status(draw, Status.PUBLISHED, _("Publish the seed before the draw."))


@transaction.atomic
def draw_run(*, draw, by):
    """Make the draw: classes created (or filled) and locked, students placed, all recorded."""
    draw = _locked(draw)
    require_drawable(draw, by)
    students = list(draw.students.order_by("number"))
    if algorithm.roster_hash(roster_rows(students)) != draw.roster_hash:
        raise DomainError(_("The roster no longer matches its published hash: the draw is refused."))
    result = algorithm.run(draw_students(draw), classes=draw.class_count, limit=draw.size_limit,
                           roster_digest=draw.roster_hash, seed=draw.seed)
    classes = _starting_classes(draw, result, students)
    by_number = {s.number: s for s in students}
    for index, numbers in enumerate(result.classes):
        IncomingStudent.objects.filter(pk__in=[by_number[n].pk for n in numbers]).update(
            school_class=classes[index])
    draw = transition(draw, to=Status.DRAWN, by=by, fields={
        "result": [list(c) for c in result.classes], "drawn_at": timezone.now(), "drawn_by": by,
    })
    # The inputs and the result, in the audit trail's [before, after] form.
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=draw, note="class draw", changes={
        "roster_hash": [None, draw.roster_hash], "seed": [None, draw.seed], "class_count": [None, draw.class_count],
        "size_limit": [None, draw.size_limit], "algorithm": [None, draw.algorithm],
        "student_count": [None, len(students)], "result": [None, draw.result],
    })
    class_balance_store(school=draw.school, term=draw.term)
    return draw


def _starting_classes(draw, result, students):
    """The classes of the grade, numbered 1…k, with the drawn counts, locked. Existing
    unlocked rows of those numbers are taken over; a locked one or a higher number refuses."""
    existing = {c.number: c for c in SchoolClass.objects.select_for_update().filter(
        school=draw.school, term=draw.term, grade=draw.grade)}
    extra = sorted(n for n in existing if n > draw.class_count)
    if extra:
        raise DomainError(_("Class %(grade)s(%(number)s) exists beyond the %(count)s classes drawn: remove it "
                            "first.") % {"grade": draw.grade, "number": extra[0], "count": draw.class_count})
    if any(c.is_locked for c in existing.values()):
        raise DomainError(_("The classes of this grade are already locked by a draw."))
    gender = {s.number: s.gender for s in students}
    classes = []
    for index, numbers in enumerate(result.classes):
        boys = sum(1 for n in numbers if gender[n] == "M")
        values = {"boys": boys, "girls": len(numbers) - boys, "is_starting_grade": True, "is_locked": True}
        school_class = existing.get(index + 1) or SchoolClass(school=draw.school, term=draw.term, grade=draw.grade,
                                                              number=index + 1)
        for name, value in values.items():
            setattr(school_class, name, value)
        school_class.full_clean(validate_unique=False)
        school_class.save()
        classes.append(school_class)
    audit_record(actor=None, action=AuditLog.Action.UPDATE, instance=draw,
                 note="classes locked: " + ", ".join(str(c) for c in classes))
    return classes


def draw_replay(draw):
    """The draw run again from its stored inputs: (Draw, whether it matches the result)."""
    again = algorithm.run(draw_students(draw), classes=draw.class_count, limit=draw.size_limit,
                          roster_digest=draw.roster_hash, seed=draw.seed)
    return again, [list(c) for c in again.classes] == draw.result


# ---- transfers ----------------------------------------------------------------------------


@transaction.atomic
def transfer_request(*, student, to_class, reason, by):
    draw = _locked(student.draw)
    _require_runner(by, draw)
    _require_status(draw, Status.DRAWN, _("Only a drawn class list has transfers."))
    student = IncomingStudent.objects.select_for_update().get(pk=student.pk)
    if to_class.school_id != draw.school_id or to_class.term_id != draw.term_id or to_class.grade != draw.grade:
        raise DomainError(_("Choose a class of the same grade."))
    if draw.transfers.filter(student=student, status=ClassTransfer.Status.REQUESTED).exists():
        raise DomainError(_("This student already has a transfer awaiting approval."))
    transfer = ClassTransfer(draw=draw, student=student, from_class_id=student.school_class_id, to_class=to_class,
                             reason=(reason or "").strip(), requested_by=by)
    transfer.full_clean()
    transfer.save()
    audit_record(actor=by, action=AuditLog.Action.CREATE, instance=transfer, note=transfer.reason)
    return transfer


@transaction.atomic
def transfer_decide(*, transfer, approve, by, note=""):
    """Approve (the student moves, both classes' counts follow) or reject a transfer."""
    if not can_decide_transfer(by, transfer):
        raise DomainError(_("Only staff of the basic education department approve a transfer."))
    target = ClassTransfer.Status.APPROVED if approve else ClassTransfer.Status.REJECTED
    transfer = transition(transfer, to=target, by=by, note=note, fields={"decided_by": by,
                                                                          "decided_at": timezone.now()})
    if approve:
        student = IncomingStudent.objects.select_for_update().get(pk=transfer.student_id)
        if student.school_class_id != transfer.from_class_id:
            raise DomainError(_("The student is no longer in the class the transfer was asked from."))
        field = "boys" if student.gender == "M" else "girls"
        # The classes are locked against edits (SchoolClass.clean); an approved transfer is
        # the one change allowed, so it moves the counts by UPDATE, recorded here.
        SchoolClass.objects.filter(pk=transfer.from_class_id).update(**{field: F(field) - 1})
        SchoolClass.objects.filter(pk=transfer.to_class_id).update(**{field: F(field) + 1})
        IncomingStudent.objects.filter(pk=student.pk).update(school_class_id=transfer.to_class_id)
        # An UPDATE sends no signals: the figures cached from class sizes go.
        refcache.forget(SCHOOL_LIST_CACHE, SUMMARY_CACHE)
        audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=student, changes={
            "school_class": [str(transfer.from_class), str(transfer.to_class)]}, note=transfer.reason)
    return transfer


# ---- retention ----------------------------------------------------------------------------


@transaction.atomic
def rosters_erase(*, now=None):
    """Erase the names and birth dates of rosters drawn more than CLASS_DRAW_RETENTION_DAYS
    ago; the counts, the hash, the birth months and the result stay. How many draws."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.CLASS_DRAW_RETENTION_DAYS)
    ids = list(ClassDraw.objects.select_for_update().filter(
        status=Status.DRAWN, drawn_at__lt=cutoff, personal_data_erased_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    IncomingStudent.objects.filter(draw_id__in=ids).update(name=ERASED_NAME, birth_date=None)
    done = ClassDraw.objects.filter(pk__in=ids, personal_data_erased_at__isnull=True).update(
        personal_data_erased_at=now)
    for draw in ClassDraw.objects.filter(pk__in=ids):
        audit_record(actor=None, action=AuditLog.Action.UPDATE, instance=draw,
                     note="roster names and birth dates erased after the retention period")
    return done
