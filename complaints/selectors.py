"""Reads of the complaints app, already scoped to the user and with what the pages show loaded."""

import datetime
from difflib import SequenceMatcher

from django.conf import settings
from django.db.models import Q

from bureau import workflow
from complaints import deadlines
from complaints.models import Attachment, Complaint, HandlingRecord
from schools.models import School

S = Complaint.Status

# What a list may be narrowed to (the staff lists' tabs).
DUE_TODAY = "today"
DUE_TOMORROW = "tomorrow"
OVERDUE = "overdue"
OPEN = "open"
DUE_FILTERS = (OPEN, DUE_TODAY, DUE_TOMORROW, OVERDUE)


def _due(due, today):
    if due == DUE_TOMORROW:
        return deadlines.due_next_working_day_q(today)
    return {
        OPEN: Q(due_on__isnull=False),
        DUE_TODAY: Q(due_on=today),
        OVERDUE: Q(due_on__lt=today),
    }[due]


def school_directory(*, query=""):
    """Open schools by name, for a parent to pick the one it complains about: names and
    districts are public (each school's gate sign shows them); nothing else is read."""
    schools = School.objects.filter(status=School.Status.OPEN).select_related("district").only(
        "pk", "name", "district__name"
    ).order_by("name", "pk")
    if query:
        schools = schools.filter(name__icontains=query.strip())
    return schools


def complaint_list(*, user, due=None, status=None, today=None):
    """The complaints `user` may see, newest first; `due` one of DUE_FILTERS."""
    queryset = Complaint.objects.visible_to(user).select_related("school", "department")
    if due in DUE_FILTERS:
        queryset = queryset.filter(_due(due, today or deadlines.today())).order_by("due_on", "received_at", "pk")
    if status in S.values:
        queryset = queryset.filter(status=status)
    return queryset


def complaint_counts(*, user, today=None):
    """{filter: count} of the due tabs, in one query (and one of the calendar's coming days)."""
    from django.db.models import Count

    today = today or deadlines.today()
    visible = Complaint.objects.visible_to(user)
    return visible.aggregate(**{key: Count("pk", filter=_due(key, today)) for key in DUE_FILTERS})


def complaint_get_queryset():
    return Complaint.objects.select_related("school__district", "department", "teacher", "duplicate_of")


def complaint_records(*, complaint, user):
    return list(HandlingRecord.objects.visible_to(user).filter(complaint=complaint).select_related("by"))


def complaint_attachments(*, complaint, user):
    """The complaint's files `user` may read (its scope and side: the school never the
    complainant's), oldest first: one query."""
    return list(Attachment.objects.visible_to(user).filter(complaint=complaint).order_by("uploaded_at", "pk"))


def complaint_steps(*, complaint):
    """The complaint's moves through its states, oldest first (StatusChange rows)."""
    steps = list(reversed(workflow.status_history(instance=complaint)))
    for step in steps:
        step.to_label = workflow.state_label(Complaint, step.to_status)
    return steps


def complaint_vetoes(*, user, school=None, teacher=None, year=None):
    """Substantiated complaints whose conclusion vetoes the yearly assessment (一票否决) of
    `school` (against the school or one of its teachers) or of `teacher`; `year` the calendar
    year of the conclusion."""
    vetoes = Complaint.objects.visible_to(user).filter(veto=True, finding="substantiated").select_related("teacher")
    if school is not None:
        vetoes = vetoes.filter(school=school)
    if teacher is not None:
        vetoes = vetoes.filter(teacher=teacher, responsibility="individual")
    if year is not None:
        vetoes = vetoes.filter(concluded_at__year=year)
    return vetoes.order_by("-concluded_at", "-pk")


def complaint_duplicates(*, complaint, user, limit=5):
    """Likely duplicates of `complaint` among those `user` sees: the same school and category,
    received within COMPLAINT_DUPLICATE_DAYS of it, with similar text (difflib's ratio of at
    least COMPLAINT_DUPLICATE_SIMILARITY), most similar first. One query."""
    window = datetime.timedelta(days=settings.COMPLAINT_DUPLICATE_DAYS)
    candidates = (Complaint.objects.visible_to(user)
                  .filter(school_id=complaint.school_id, category=complaint.category,
                          received_at__range=(complaint.received_at - window, complaint.received_at + window))
                  .exclude(pk=complaint.pk).exclude(duplicate_of_id=complaint.pk)
                  .only("pk", "tracking_number", "description", "received_at", "status", "duplicate_of_id")
                  .order_by("-received_at")[:50])
    scored = []
    for other in candidates:
        if complaint.duplicate_of_id == other.pk:
            continue
        ratio = SequenceMatcher(None, complaint.description, other.description).ratio()
        if ratio >= settings.COMPLAINT_DUPLICATE_SIMILARITY:
            other.similarity = round(ratio * 100)
            scored.append(other)
    scored.sort(key=lambda c: -c.similarity)
    return scored[:limit]
