"""Teachers spread evenly over the drawn classes (seed 003: 均衡配置班级师资), and the between-class
balance measured and stored per term (ClassBalance) for the district's dashboards.

What the registry records of a teacher gives four indicators: backbone level, title, years of
experience and education level, each as a rank (none 0 … master teacher 5; none 0 … professor
5; years since hiring, at most 40; secondary 0 … doctorate 4). A class's value of an indicator
is the mean over its head teacher and its subject teachers; the between-class CV is the one
weighted CV of schools/indicators.py, weighted by the class's students.

The plan is deterministic: head teachers (teachers marked 班主任) by strength, then per
subject its teachers by strength, each taking its share of the classes (⌈k/m⌉ or ⌊k/m⌋), each
share going to the class whose teachers are weakest so far (a greedy serpentine); ties by
class number and staff number, never by database order.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import AuditLog
from bureau.services import audit_record
from schools.draw.permissions import can_run_draw
from schools.indicators import class_equipment_cv, weighted_cv
from schools.models import ClassBalance, ClassDraw, SchoolClass, Teacher, TeachingAssignment
from schools.models.teachers import EDUCATION_RANK

Measure = ClassBalance.Measure
TEACHER_MEASURES = (Measure.BACKBONE, Measure.TITLE, Measure.EXPERIENCE, Measure.EDUCATION)
BACKBONE_RANK = {value: rank for rank, value in enumerate(Teacher.Backbone.values)}
TITLE_RANK = {value: rank for rank, value in enumerate(Teacher.Title.values)}
HEAD = "班主任"


def indicators(teacher, on):
    years = 0 if teacher.hire_date is None else max(0, min(40, (on - teacher.hire_date).days // 365))
    return {
        Measure.BACKBONE: BACKBONE_RANK.get(teacher.backbone_level, 0),
        Measure.TITLE: TITLE_RANK.get(teacher.title, 0),
        Measure.EXPERIENCE: years,
        Measure.EDUCATION: EDUCATION_RANK.get(teacher.education, 0),
    }


def strength(teacher, on):
    # Backbone and title weigh most; years and education break what they leave even.
    value = indicators(teacher, on)
    return (value[Measure.BACKBONE] * 4 + value[Measure.TITLE] * 3 + value[Measure.EDUCATION] * 2
            + Decimal(value[Measure.EXPERIENCE]) / 10)


def plan(*, classes, teachers, on):
    """{class pk: [(subject, teacher)]}: one head teacher and one teacher per subject a class."""
    classes = sorted(classes, key=lambda c: c.number)
    load = {c.pk: Decimal(0) for c in classes}
    result = {c.pk: [] for c in classes}
    ordered = sorted(teachers, key=lambda t: (-strength(t, on), t.staff_number))
    heads = [t for t in ordered if t.is_head_teacher]
    by_subject = {}
    for teacher in ordered:
        by_subject.setdefault(teacher.subject, []).append(teacher)
    for subject, group in [(HEAD, heads), *sorted(by_subject.items())]:
        if not group:
            continue
        group = group[:len(classes)]
        base, extra = divmod(len(classes), len(group))
        waiting = [c.pk for c in classes]
        for index, teacher in enumerate(group):
            for _share in range(base + (index < extra)):
                target = min(waiting, key=lambda pk: (load[pk], waiting.index(pk)))
                waiting.remove(target)
                result[target].append((subject, teacher))
                load[target] += strength(teacher, on)
    return result


def balance(*, assignment, sizes, on):
    """{measure: CV between classes} of an assignment {class pk: [(subject, teacher)]}."""
    cvs = {}
    for measure in TEACHER_MEASURES:
        pairs = []
        for pk, pairs_of_class in assignment.items():
            values = [indicators(teacher, on)[measure] for _subject, teacher in pairs_of_class]
            if values:
                pairs.append((Decimal(sum(values)) / len(values), sizes[pk]))
        cvs[measure] = weighted_cv(pairs)
    return cvs


def current(*, classes, term):
    """The assignment as recorded: head teachers and teaching assignments of the term."""
    result = {c.pk: [] for c in classes}
    for c in classes:
        if c.head_teacher is not None:
            result[c.pk].append((HEAD, c.head_teacher))
    for a in TeachingAssignment.objects.filter(school_class__in=classes, term=term).select_related("teacher").order_by(
            "school_class__number", "subject", "teacher__staff_number"):
        result[a.school_class_id].append((a.subject, a.teacher))
    return result


def teachers_of(draw):
    return list(Teacher.objects.filter(school=draw.school, section=draw.section, status=Teacher.Status.ACTIVE)
                .order_by("staff_number"))


def draw_teacher_plan(draw):
    """(classes, before, after, CV before, CV after) for a drawn grade."""
    classes = list(SchoolClass.objects.filter(school=draw.school, term=draw.term, grade=draw.grade)
                   .select_related("head_teacher").order_by("number"))
    on = draw.term.start_date
    sizes = {c.pk: c.size for c in classes}
    before = current(classes=classes, term=draw.term)
    after = plan(classes=classes, teachers=teachers_of(draw), on=on)
    return classes, before, after, balance(assignment=before, sizes=sizes, on=on), balance(
        assignment=after, sizes=sizes, on=on)


@transaction.atomic
def draw_teachers_assign(*, draw, by):
    """Write the plan: head teachers on the classes, the subject teachers as teaching
    assignments of the term (replacing those of these classes); then store the balance."""
    draw = ClassDraw.objects.select_for_update().select_related("school", "term").get(pk=draw.pk)
    if not can_run_draw(by, draw):
        raise DomainError(_("Only the school's principal assigns the teachers of its classes."))
    if draw.status != ClassDraw.Status.DRAWN:
        raise DomainError(_("Teachers are assigned once the classes are drawn."))
    classes, _before, after, cv_before, cv_after = draw_teacher_plan(draw)
    TeachingAssignment.objects.filter(school_class__in=classes, term=draw.term).delete()
    rows = []
    for school_class in classes:
        head = next((t for subject, t in after[school_class.pk] if subject == HEAD), None)
        if head is not None and school_class.head_teacher_id != head.pk:
            school_class.head_teacher = head
            school_class.full_clean(validate_unique=False)
            school_class.save(update_fields=["head_teacher"])
        rows += [TeachingAssignment(teacher=t, school_class=school_class, subject=subject, term=draw.term)
                 for subject, t in after[school_class.pk] if subject != HEAD]
    TeachingAssignment.objects.bulk_create(rows)
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=draw, note="teachers assigned", changes={
        str(m.label): [str(cv_before[m]), str(cv_after[m])] for m in TEACHER_MEASURES})
    class_balance_store(school=draw.school, term=draw.term)
    return after


def class_balance_store(*, school, term):
    """Store the between-class CVs of `school` in `term`, per stage: equipment value per
    student (seed 003: ≤ 0.3) and the four teacher indicators. Safe to run again."""
    classes = list(SchoolClass.objects.filter(school=school, term=term).select_related("head_teacher"))
    by_section = {}
    for c in classes:
        by_section.setdefault(c.section, []).append(c)
    equipment = class_equipment_cv(classes)
    on = term.start_date or datetime.date.today()
    assignment = current(classes=classes, term=term)
    for section, members in sorted(by_section.items()):
        sizes = {c.pk: c.size for c in members}
        cvs = balance(assignment={c.pk: assignment[c.pk] for c in members}, sizes=sizes, on=on)
        cvs[Measure.EQUIPMENT] = equipment.get(section)
        for measure, cv in cvs.items():
            ClassBalance.objects.update_or_create(school=school, term=term, section=section, measure=measure,
                                                  defaults={"cv": cv, "classes": len(members)})
