"""Reads of term self-reports, every one from `visible_to(user)`: the bureau its district's, an
inspector its zones', a school its own."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from bureau import rules
from bureau.permissions import get_visible_or_404
from inspections.models import SelfReport, SelfReportRound

Status = SelfReport.Status
# Reports that count in the district's share within each rule: those the school sent.
COUNTED = (Status.SUBMITTED, Status.ACCEPTED)


def late_q(today=None):
    """First submitted after the due date, or not submitted by it."""
    today = today or timezone.localdate()
    return Q(submitted_at__date__gt=F("round__due_date")) | Q(submitted_at__isnull=True, round__due_date__lt=today)


# The review list's filters: what staff look for.
FILTERS = {
    "submitted": Q(status=Status.SUBMITTED),
    "flagged": ~Q(breaches=[]),
    "not_started": Q(status=Status.DRAFT, saved_at__isnull=True),
    "draft": Q(status=Status.DRAFT),
    "returned": Q(status=Status.RETURNED),
    "accepted": Q(status=Status.ACCEPTED),
}


def round_list(*, user):
    """Rounds the user reaches, newest first, with district and term: one query."""
    return SelfReportRound.objects.visible_to(user).select_related("district", "term__school_year").distinct()


def round_counts(*, user, rounds):
    """{round id: Counter(status → n, "late", "flagged")} over the reports the user sees (one
    query), so a principal's counts are its own school's only."""
    counts = {r.pk: Counter() for r in rounds}
    today = timezone.localdate()
    rows = (
        SelfReport.objects.visible_to(user).filter(round__in=list(counts), is_current=True)
        .values_list("round_id", "status", "breaches", "submitted_at", "round__due_date")
    )
    for round_id, status, broken, submitted_at, due in rows:
        counter = counts[round_id]
        counter[status] += 1
        counter["all"] += 1
        if broken:
            counter["flagged"] += 1
        if (timezone.localdate(submitted_at) > due) if submitted_at else today > due:
            counter["late"] += 1
    return counts


def round_detail(*, user, pk):
    return get_visible_or_404(SelfReportRound.objects.select_related("district", "term__school_year"), user, pk=pk)


def report_list(*, user, round=None, filters=None):
    """The current report of each school the user sees, by school code, with school and round:
    one query."""
    filters = filters or {}
    reports = (
        SelfReport.objects.visible_to(user).filter(is_current=True)
        .select_related("school", "round", "round__term__school_year", "submitted_by")
        .order_by("round__due_date", "school__code", "pk")
    )
    if round is not None:
        reports = reports.filter(round=round)
    show = filters.get("show")
    if show == "late":
        reports = reports.filter(late_q())
    elif show in FILTERS:
        reports = reports.filter(FILTERS[show])
    if filters.get("rule"):
        # The codes are plain words: their quoted form in the JSON text is the code itself.
        reports = reports.filter(breaches__icontains=f'"{filters["rule"]}"')
    return reports


def report_detail(*, user, pk):
    return get_visible_or_404(
        SelfReport.objects.select_related("school", "school__district", "round", "round__term__school_year",
                                          "submitted_by").prefetch_related("files"),
        user, pk=pk,
    )


def report_versions(*, user, report):
    """Every version of the school's report in the round, newest first (one query)."""
    return list(
        SelfReport.objects.visible_to(user).filter(round_id=report.round_id, school_id=report.school_id)
        .order_by("-version").only("pk", "version", "status", "is_current", "submitted_at", "reviewed_at")
    )


@dataclass(frozen=True)
class RuleShare:
    rule: object
    within: int
    counted: int

    @property
    def percent(self):
        return round(100 * self.within / self.counted) if self.counted else None


def round_shares(*, user, round):
    """The share of the reports sent (submitted or accepted) that keep each burden rule, over
    the reports the user sees: one query."""
    return rule_shares(
        SelfReport.objects.visible_to(user).filter(round=round, is_current=True, status__in=COUNTED)
        .values_list("breaches", flat=True)
    )


def rule_shares(broken):
    """[RuleShare] of each burden rule over the sent reports' lists of broken rule codes: the
    one count of the round's page and of the term report."""
    broken = list(broken)
    counted = len(broken)
    tally = Counter(code for codes in broken for code in set(codes))
    return [RuleShare(rule, counted - tally[rule.code], counted) for rule in rules.BURDEN_RULES]


def my_due_reports(*, user):
    """A school's reports waiting for it (drafts and returned ones), soonest due first: one query."""
    return list(
        SelfReport.objects.visible_to(user).filter(is_current=True, status__in=SelfReport.EDITABLE)
        .select_related("round__term__school_year", "school").order_by("round__due_date", "pk")[:5]
    )


def waiting_review_count(*, user):
    return SelfReport.objects.visible_to(user).filter(is_current=True, status=Status.SUBMITTED).count()
