"""The quarterly complaint analysis (seeds 000 and 004: named complaints accepted promptly,
verified, corrected, responsibility placed): counts, categories, channels, time to accept
and to conclude, the share on time, the share substantiated, and where responsibility lay.

Counts by school name only: no complainant, no teacher, nothing a complaint's text says.
"""

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _

from complaints.figures import complaint_figures_between
from complaints.models import Complaint
from reports import periodic
from reports.periodic import periods


def gather(*, district, zone, period):
    complaints = Complaint.objects.filter(school__district=district)
    figures = asdict(complaint_figures_between(complaints=complaints, start=period.start, end=period.end))
    months = range(period.start.month, period.end.month + 1)
    figures["by_month"] = [[month, count] for month, count in figures["by_month"] if month in months]
    for key in ("by_category", "by_channel", "by_school", "by_finding", "by_responsibility"):
        figures[key] = [[str(label), count] for label, count in figures[key]]
    return figures


def _school_part(data, school_id):
    """The school's own complaints of the quarter beside the district's (counts and shares only)."""
    row = periodic.row_of(data.get("per_school", []), school_id)
    if row is None:
        return None
    return {"row": row, "total": {key: data[key] for key in ("total", "accepted_on_time", "concluded",
                                                              "concluded_on_time", "substantiated")}}


periodic.register(periodic.ReportKind(
    code="complaint_quarterly", title=_("Quarterly complaint analysis"), unit=periods.QUARTER,
    scopes=(periodic.DISTRICT,), gather=gather, template="reports/kinds/complaint_quarterly.html",
    source=_("Seeds 000 and 004: named complaints accepted, verified, corrected and reported"),
    school_section=_school_part, school_template="reports/kinds/complaint_quarterly_school.html",
    sections=(("summary", _("Handling at a glance")), ("categories", _("Categories and channels")),
              ("months", _("Complaints by month")), ("findings", _("Findings and responsibility")),
              ("schools", _("Complaints by school"))),
))
