"""From the other apps' work: inspectors' visits (seed 004: every school each month), the
rectification notices open and overdue at the period's date, and complaints (per 1,000
students, the share concluded by its deadline, the share substantiated).

Past periods are read as they stood at their end: a notice counts as open then if it was
issued by then and not verified by then, overdue if its deadline had passed and the school
had not answered by then. One GROUP BY per level and source.
"""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.rules import OVERDUE_NOTICES, VISITS_MONTHLY
from complaints.models import Complaint, Finding
from inspections.models import RectificationNotice, Visit
from reports.indicators.base import AREA_LEVELS, Indicator, Value, ratio, register
from reports.indicators.inputs import counts, grouped, ratios, school_scopes


def compute_visits(inputs):
    scopes = school_scopes(inputs)
    visits = grouped(
        Visit.objects.filter(school__district_id__in=inputs.district_ids, status=Visit.Status.FILED,
                             date__gte=inputs.start, date__lte=inputs.as_of),
        school="school", visits=Count("id"),
    )
    months = inputs.months
    for key, row in scopes.items():
        level, scope_id = key
        n = visits.get(key, {}).get("visits") or 0
        yield Value("visits_monthly", level, scope_id, "", ratio(n, row["schools"] * months), n,
                    row["schools"] * months)
        yield Value("visits", level, scope_id, "", n)
    as_of = inputs.as_of
    open_then = (Q(issued_on__lte=as_of) & (Q(verified_at__isnull=True) | Q(verified_at__date__gt=as_of)))
    notices = grouped(
        RectificationNotice.objects.filter(school__district_id__in=inputs.district_ids).filter(open_then),
        school="school",
        open=Count("id"),
        overdue=Count("id", filter=Q(deadline__lt=as_of) & (Q(answered_at__isnull=True)
                                                            | Q(answered_at__date__gt=as_of))),
    )
    yield from counts("notices_open", notices, name="open", scopes=scopes)
    yield from counts("notices_overdue", notices, name="overdue", scopes=scopes)


def compute_complaints(inputs):
    received = Complaint.objects.filter(
        school__district_id__in=inputs.district_ids, received_at__date__gte=inputs.start,
        received_at__date__lte=inputs.as_of,
    ).exclude(status=Complaint.Status.REJECTED)
    concluded = Q(concluded_at__isnull=False)
    complaints = grouped(
        received.annotate(concluded_on=TruncDate("concluded_at")), school="school",
        complaints=Count("id"),
        concluded=Count("id", filter=concluded),
        on_time=Count("id", filter=concluded & Q(concluded_on__lte=F("conclude_due"))),
        substantiated=Count("id", filter=concluded & Q(finding=Finding.SUBSTANTIATED)),
    )
    students = grouped(
        inputs.stats().annotate(all_students=F("primary_students") + F("junior_students") + F("other_students")),
        school="school", students=Sum("all_students"),
    )
    scopes = school_scopes(inputs)
    yield from counts("complaints", complaints, name="complaints", scopes=scopes)
    yield from ratios("complaints_per_1000", complaints, students, num="complaints", den="students", scale=1000)
    yield from ratios("complaints_on_time", complaints, complaints, num="on_time", den="concluded", scale=100)
    yield from ratios("complaints_substantiated", complaints, complaints, num="substantiated", den="concluded",
                      scale=100)


register(Indicator("visits_monthly", VISITS_MONTHLY.title, VISITS_MONTHLY.unit, AREA_LEVELS, compute_visits,
                   VISITS_MONTHLY, group="visits"))
register(Indicator("visits", _("Visits filed"), pgettext_lazy("unit", "visits"), AREA_LEVELS, compute_visits, group="visits", places=0))
register(Indicator("notices_open", _("Open rectification notices"), pgettext_lazy("unit", "notices"), AREA_LEVELS, compute_visits,
                   group="visits", places=0))
register(Indicator("notices_overdue", OVERDUE_NOTICES.title, OVERDUE_NOTICES.unit, AREA_LEVELS, compute_visits,
                   OVERDUE_NOTICES, group="visits", places=0))
register(Indicator("complaints", _("Complaints received"), pgettext_lazy("unit", "complaints"), AREA_LEVELS, compute_complaints,
                   group="complaints", places=0))
register(Indicator("complaints_per_1000", _("Complaints per 1,000 students"), _("per 1,000 students"), AREA_LEVELS,
                   compute_complaints, group="complaints"))
register(Indicator("complaints_on_time", _("Complaints concluded by their deadline"), "%", AREA_LEVELS,
                   compute_complaints, group="complaints", places=1))
register(Indicator("complaints_substantiated", _("Concluded complaints found substantiated"), "%", AREA_LEVELS,
                   compute_complaints, group="complaints", places=1))
