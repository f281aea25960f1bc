"""Complaint figures for staff and leaders: counts by school, category, channel and month,
time to accept and to conclude, the share handled on time and the share substantiated.

Read from the complaints the user sees, for one calendar year of receipt: four grouped
queries and one over the dates, whatever the number of complaints.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from complaints.models import Category, Channel, Complaint, Finding, Responsibility


@dataclass
class Figures:
    year: int
    total: int
    by_category: list  # [(label, count)]
    by_channel: list
    by_month: list  # [(month number, count)] for the twelve months
    by_school: list  # [(school name, count)], most first
    accepted: int
    days_to_accept: float | None  # mean calendar days from receipt to acceptance
    accepted_on_time: float | None  # share (0–100) accepted by the deadline
    concluded: int
    days_to_conclude: float | None  # mean calendar days from acceptance to conclusion
    concluded_on_time: float | None
    substantiated: float | None  # share of the concluded found substantiated (fully)
    by_finding: list = ()  # [(label, count)] of the concluded
    by_responsibility: list = ()
    # Each school's own handling figures (school_id, total and the shares above): what its
    # principal reads of the quarterly analysis.
    per_school: list = ()


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _mean(values):
    return round(sum(values) / len(values), 1) if values else None


def _handling(rows):
    """Counts, mean days and shares on time of (received, accepted, accept due, concluded,
    conclude due, finding, …) rows."""
    local = timezone.localdate
    accepted = [r for r in rows if r[1]]
    concluded = [r for r in rows if r[1] and r[3]]
    return {
        "total": len(rows), "accepted": len(accepted),
        "days_to_accept": _mean([(r[1] - r[0]).total_seconds() / 86400 for r in accepted]),
        "accepted_on_time": _share(sum(local(r[1]) <= r[2] for r in accepted), len(accepted)),
        "concluded": len(concluded),
        "days_to_conclude": _mean([(r[3] - r[1]).total_seconds() / 86400 for r in concluded]),
        "concluded_on_time": _share(sum(r[4] is not None and local(r[3]) <= r[4] for r in concluded), len(concluded)),
        "substantiated": _share(sum(r[5] == Finding.SUBSTANTIATED for r in concluded), len(concluded)),
    }


def complaint_figures(*, user, year):
    return complaint_figures_between(complaints=Complaint.objects.visible_to(user), year=year,
                                     start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))


def _grouped(complaints, field, choices):
    labels = dict(choices)
    return [(labels.get(row[field], row[field]), row["n"]) for row in
            complaints.exclude(**{field: ""}).values(field).annotate(n=Count("pk")).order_by("-n", field)]


def complaint_figures_between(*, complaints, start, end, year=None):
    """The figures of the complaints received from `start` to `end` (dates, inclusive) of a
    queryset the caller has scoped: a user's (the figures page) or a district's (reports)."""
    complaints = complaints.filter(
        received_at__gte=timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
        received_at__lt=timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1),
                                                                      datetime.time.min)))
    labels = dict(Category.choices)
    by_category = [(labels.get(row["category"], row["category"]), row["n"]) for row in
                   complaints.values("category").annotate(n=Count("pk")).order_by("-n", "category")]
    channels = dict(Channel.choices)
    by_channel = [(channels.get(row["channel"], row["channel"]), row["n"]) for row in
                  complaints.values("channel").annotate(n=Count("pk")).order_by("-n", "channel")]
    months = dict(complaints.annotate(m=ExtractMonth("received_at")).values_list("m").annotate(n=Count("pk"))
                  .values_list("m", "n"))
    by_school = list(complaints.values_list("school__name").annotate(n=Count("pk")).order_by("-n", "school__name")
                     .values_list("school__name", "n")[:20])
    rows = list(complaints.values_list("received_at", "accepted_at", "accept_due", "concluded_at", "conclude_due",
                                       "finding", "school_id"))
    schools = {}
    for r in rows:
        schools.setdefault(r[6], []).append(r)
    per_school = [{"school_id": school_id, **_handling(own)} for school_id, own in sorted(schools.items())]
    return Figures(
        year=year or start.year, by_category=by_category, by_channel=by_channel,
        by_month=[(m, months.get(m, 0)) for m in range(1, 13)], by_school=by_school, **_handling(rows),
        per_school=per_school,
        by_finding=_grouped(complaints, "finding", Finding.choices),
        by_responsibility=_grouped(complaints, "responsibility", Responsibility.choices),
    )
