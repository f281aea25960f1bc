"""From the other apps' work: inspectors' visits (seed 004: every school each month, the
rate over the period's months that are over), the rectification notices open and overdue at
the period's date, and complaints (per 1,000 students, the share concluded by its deadline,
the share substantiated).

Past periods are read as they stood at their end: a notice counts as open then if it was
issued by then and not verified by then, overdue if its deadline had passed and the school
had not answered by then. Computed and written inside the database (indicators/sql.py).
"""

import datetime

from django.db.models import Case, Count, F, Q, Sum, When
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.rules import OVERDUE_NOTICES, VISITS_MONTHLY
from complaints.models import Complaint, Finding
from inspections.models import RectificationNotice, Visit
from reports.indicators.base import AREA_LEVELS, Indicator, register
from reports.indicators.inputs import OPEN, SCHOOLS
from reports.indicators.sql import Figures, Out, Source, nonzero, ratio


def _visits(inputs):
    """The filed visits of the period, each marked when it falls in a month that is over
    (what the monthly rate counts: Inputs.months_ended)."""
    ended = inputs.months_ended
    last_due = ended[-1] if ended else inputs.start - datetime.timedelta(days=1)  # none over: none marked
    return (Visit.objects.filter(school__district_id__in=inputs.district_ids, status=Visit.Status.FILED,
                                 date__gte=inputs.start, date__lte=inputs.as_of)
            .annotate(in_ended=Case(When(date__lte=last_due, then=F("id")))))


def _notices(inputs):
    """The notices open at the period's date (issued by then, not verified by then)."""
    as_of = inputs.as_of
    open_then = (Q(issued_on__lte=as_of) & (Q(verified_at__isnull=True) | Q(verified_at__date__gt=as_of)))
    return RectificationNotice.objects.filter(school__district_id__in=inputs.district_ids).filter(open_then)


def _overdue(inputs):
    """Of those, past their deadline and not answered by then (the date is the period's)."""
    as_of = inputs.as_of
    return Q(deadline__lt=as_of) & (Q(answered_at__isnull=True) | Q(answered_at__date__gt=as_of))


def _notices_marked(inputs):
    """The open notices, each marked when overdue (the condition reads the period's date)."""
    return _notices(inputs).annotate(overdue=Case(When(_overdue(inputs), then=F("id"))))


def _visit_outs(inputs):
    # No month over yet (a term's first weeks): no rate, rather than a school "behind" in a
    # month it still has time for.
    school_months = f"open_schools * {len(inputs.months_ended)}"
    return (
        Out("visits_monthly", ratio(nonzero("visits_due"), school_months), nonzero("visits_due"), school_months,
            where=OPEN),
        Out("visits", nonzero("visits"), where=OPEN),
        Out("notices_open", nonzero("notices_open"), where=OPEN),
        Out("notices_overdue", nonzero("notices_overdue"), where=OPEN),
    )


VISIT_FIGURES = Figures(
    sources=(
        SCHOOLS,
        Source(_visits, "school", {"visits": Count("id"), "visits_due": Count("in_ended")}),
        Source(_notices_marked, "school", {"notices_open": Count("id"), "notices_overdue": Count("overdue")}),
    ),
    outs=_visit_outs,
)


def _complaints(inputs):
    return (Complaint.objects.filter(school__district_id__in=inputs.district_ids,
                                     received_at__date__gte=inputs.start, received_at__date__lte=inputs.as_of)
            .exclude(status=Complaint.Status.REJECTED).annotate(concluded_on=TruncDate("concluded_at")))


def _students(inputs):
    return inputs.stats().annotate(all_students=F("primary_students") + F("junior_students") + F("other_students"))


_CONCLUDED = Q(concluded_at__isnull=False)
COMPLAINT_FIGURES = Figures(
    sources=(
        SCHOOLS,
        Source(_complaints, "school", {
            "complaints": Count("id"),
            "concluded": Count("id", filter=_CONCLUDED),
            "on_time": Count("id", filter=_CONCLUDED & Q(concluded_on__lte=F("conclude_due"))),
            "substantiated": Count("id", filter=_CONCLUDED & Q(finding=Finding.SUBSTANTIATED)),
        }),
        Source(_students, "school", {"stat_rows": Count("id"), "students": Sum("all_students")}),
    ),
    outs=(
        Out("complaints", "complaints", where=OPEN),
        # Where the statistics have the scope's students.
        Out("complaints_per_1000", ratio("complaints", nonzero("students"), 1000), "complaints",
            nonzero("students"), where="stat_rows > 0"),
        # Where complaints were received.
        Out("complaints_on_time", ratio("on_time", "concluded", 100), "on_time", "concluded", where="complaints > 0"),
        Out("complaints_substantiated", ratio("substantiated", "concluded", 100), "substantiated", "concluded",
            where="complaints > 0"),
    ),
)


register(Indicator("visits_monthly", VISITS_MONTHLY.title, VISITS_MONTHLY.unit, AREA_LEVELS, None,
                   VISITS_MONTHLY, group="visits", select=VISIT_FIGURES))
register(Indicator("visits", _("Visits filed"), pgettext_lazy("unit", "visits"), AREA_LEVELS, None, group="visits", places=0, select=VISIT_FIGURES))
register(Indicator("notices_open", _("Open rectification notices"), pgettext_lazy("unit", "notices"), AREA_LEVELS, None,
                   group="visits", places=0, select=VISIT_FIGURES))
register(Indicator("notices_overdue", OVERDUE_NOTICES.title, OVERDUE_NOTICES.unit, AREA_LEVELS, None,
                   OVERDUE_NOTICES, group="visits", places=0, select=VISIT_FIGURES))
register(Indicator("complaints", _("Complaints received"), pgettext_lazy("unit", "complaints"), AREA_LEVELS, None,
                   group="complaints", places=0, select=COMPLAINT_FIGURES))
register(Indicator("complaints_per_1000", _("Complaints per 1,000 students"), _("per 1,000 students"), AREA_LEVELS,
                   None, group="complaints", select=COMPLAINT_FIGURES))
register(Indicator("complaints_on_time", _("Complaints concluded by their deadline"), "%", AREA_LEVELS,
                   None, group="complaints", places=1, select=COMPLAINT_FIGURES))
register(Indicator("complaints_substantiated", _("Concluded complaints found substantiated"), "%", AREA_LEVELS,
                   None, group="complaints", places=1, select=COMPLAINT_FIGURES))
