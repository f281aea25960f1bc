"""The monthly inspection summary (seed 004: every school visited each month on the month's
theme, feedback after every visit, rectification followed to the end), for a zone or the
district: visits done against due, findings by checklist item, and rectification notices
opened, closed and overdue at the month's end.

A handful of grouped queries, whatever the number of schools or visits.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from bureau.natural import natural_key
from inspections.models import InspectorZone, ItemResult, RectificationNotice, Visit, VisitItem, VisitKind, ZoneSchool
from reports import periodic
from reports.periodic import periods


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def gather(*, district, zone, period, per_school=False):
    """The summary's data; `per_school` adds each school's own line to a district's, for a
    report whose principals read their school in the district's (the term report)."""
    links = ZoneSchool.objects.filter(zone__district=district, school__status="open")
    if zone is not None:
        links = links.filter(zone=zone)
    schools = dict(links.values_list("school_id", "zone_id"))
    in_month = Q(date__gte=period.start, date__lte=period.end)
    visits = Visit.objects.filter(in_month, school_id__in=list(schools), status=Visit.Status.FILED)
    by_school = {row["school_id"]: row for row in visits.values("school_id").annotate(
        total=Count("pk"), routine=Count("pk", filter=Q(kind=VisitKind.ROUTINE)))}
    by_kind = dict(visits.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))

    items = (VisitItem.objects.filter(visit__in=visits).exclude(result="")
             .values("code", "text").annotate(
                 met=Count("pk", filter=Q(result=ItemResult.MET)),
                 not_met=Count("pk", filter=Q(result=ItemResult.NOT_MET)),
                 na=Count("pk", filter=Q(result=ItemResult.NOT_APPLICABLE)))
             .order_by("code", "text"))

    notices = RectificationNotice.objects.filter(school_id__in=list(schools))
    end = period.end
    open_at_end = Q(issued_on__lte=end) & (Q(verified_at__isnull=True) | Q(verified_at__date__gt=end))
    notice_rows = {row["school_id"]: row for row in notices.values("school_id").annotate(
        opened=Count("pk", filter=Q(issued_on__gte=period.start, issued_on__lte=end)),
        closed=Count("pk", filter=Q(verified_at__date__gte=period.start, verified_at__date__lte=end)),
        overdue=Count("pk", filter=open_at_end & Q(deadline__lt=end)))}

    zones = {z.pk: z for z in InspectorZone.objects.filter(pk__in=set(schools.values()))}
    names = dict(links.values_list("school_id", "school__name"))
    empty = {"total": 0, "routine": 0}
    no_notice = {"opened": 0, "closed": 0, "overdue": 0}

    def row(label, school_ids):
        done = sum(1 for pk in school_ids if by_school.get(pk, empty)["routine"])
        notice = {key: sum(notice_rows.get(pk, no_notice)[key] for pk in school_ids) for key in no_notice}
        return {"label": label, "schools": len(school_ids), "visited": done, "due": len(school_ids),
                "share": _share(done, len(school_ids)),
                "visits": sum(by_school.get(pk, empty)["total"] for pk in school_ids), **notice}

    each = [{**row(names[pk], [pk]), "school_id": pk} for pk in sorted(schools, key=lambda pk: names[pk])]
    if zone is None:
        ordered = sorted(zones.values(), key=lambda z: natural_key(z.name))
        rows = [row(z.name, [pk for pk, zid in schools.items() if zid == z.pk]) for z in ordered]
    else:
        rows = each
    total = row(str(_("Total")), list(schools))
    data = {
        "rows": rows, "total": total,
        "by_kind": [{"kind": str(label), "count": by_kind.get(code, 0)} for code, label in VisitKind.choices],
        "items": [{**item, "checked": item["met"] + item["not_met"] + item["na"]} for item in items],
    }
    if per_school:
        data["schools"] = each
    return data


def _school_part(data, school_id):
    """A zone's summary, for one of its schools: its own line beside the zone's total."""
    row = periodic.row_of(data["rows"], school_id)
    return None if row is None else {"row": row, "total": data["total"]}


periodic.register(periodic.ReportKind(
    code="monthly_inspection", title=_("Monthly inspection summary"), unit=periods.MONTH,
    scopes=(periodic.DISTRICT, periodic.ZONE), gather=gather, template="reports/kinds/monthly_inspection.html",
    source=_("Seed 004: monthly themed visits, feedback after every visit, rectification followed up"),
    school_section=lambda data, school_id: _school_part(data, school_id),
    school_template="reports/kinds/monthly_inspection_school.html", school_scope=periodic.ZONE,
    sections=(("visits", _("Visits against due")), ("kinds", _("Visits by kind")),
              ("findings", _("Findings by checklist item")), ("rectification", _("Rectification notices"))),
))
