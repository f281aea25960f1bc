"""Reads of the class draws: lists scoped to the user, a draw's classes and how even they are."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.charts import Bar, bar_chart
from bureau.permissions import get_visible_or_404
from schools.draw import algorithm
from schools.models import ClassDraw, ClassTransfer, IncomingStudent, SchoolClass

MEASURES = (
    ("size", gettext_lazy("Class size")), ("M", gettext_lazy("Boys")), ("F", gettext_lazy("Girls")),
    ("inclusive", gettext_lazy("Inclusive education")), ("left_behind", gettext_lazy("Left-behind children")),
    ("migrant", gettext_lazy("Migrant children")),
)


def draw_list(*, user):
    """The draws the user reaches, newest term first, with whether a class changed since."""
    return ClassDraw.objects.visible_to(user).select_related("school", "term__school_year").annotate(
        transfers_approved=Count("transfers", filter=Q(transfers__status=ClassTransfer.Status.APPROVED)),
        transfers_waiting=Count("transfers", filter=Q(transfers__status=ClassTransfer.Status.REQUESTED)),
    ).order_by("-term__school_year__start_year", "-term__number", "school__code", "grade", "pk")


def draw_get(*, user, pk):
    return get_visible_or_404(ClassDraw.objects.select_related("school", "term__school_year", "drawn_by"), user, pk=pk)


def draw_roster(*, draw, user):
    """The roster as the user may read it (names withheld where they may not)."""
    return IncomingStudent.objects.visible_to(user).filter(draw=draw).select_related("school_class").order_by("number")


def draw_classes(*, draw):
    return list(SchoolClass.objects.filter(school=draw.school, term=draw.term, grade=draw.grade).order_by("number"))


def class_rows(*, draw, students):
    """Per class of the draw, now (after any approved transfers): counts and members."""
    by_class = {}
    for s in students:
        if s.school_class_id:
            by_class.setdefault(s.school_class_id, []).append(s)
    rows = []
    for school_class in draw_classes(draw=draw):
        members = by_class.get(school_class.pk, [])
        inputs = [algorithm.Student(s.number, s.gender, s.birth_month, s.groups) for s in members]
        counts = algorithm.class_counts(inputs, algorithm.Draw(draw.algorithm, (tuple(s.number for s in members),)))[0]
        rows.append({"class": school_class, "counts": counts, "members": members})
    return rows


def result_rows(draw):
    """Per class of the draw as drawn (the public page: numbers and counts, no names)."""
    students = algorithm_students(draw)
    counts = algorithm.class_counts(students, algorithm.Draw(draw.algorithm, tuple(tuple(c) for c in draw.result)))
    return [{"number": index + 1, "counts": row, "members": draw.result[index]} for index, row in enumerate(counts)]


def algorithm_students(draw):
    return [algorithm.Student(n, g, m, tuple(code for code, flag in zip(algorithm.GROUPS, flags, strict=True) if flag))
            for n, g, m, *flags in draw.students.order_by("number").values_list(
                "number", "gender", "birth_month", "inclusive", "left_behind", "migrant")]


def evenness(rows):
    """{measure: largest − smallest class count} and its chart (within one is even)."""
    spread = algorithm.balance([r["counts"] for r in rows])
    bars = [Bar(str(label), spread[code], "ok" if spread[code] <= 1 else "warn") for code, label in MEASURES]
    bars.append(Bar(_("Birth months"), spread["months"], "ok" if spread["months"] <= 2 else "warn"))
    title = _("Largest minus smallest class count (within one is even)")
    return spread, bar_chart(bars, title=title, reference=1, reference_label="1", label_width=110)
