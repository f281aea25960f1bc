"""What a principal reads of the periodic reports: its own school's part of the latest ones."""

from django.db.models import Q

from reports import periodic
from reports.models import Report


def school_sections(*, school):
    """What a principal reads of the reports: for each kind with a part about each school,
    that part of the latest built or published report of the school's district (or of its
    zone, for a kind read by zone), with the report it comes from. Three queries, whatever
    the number of reports; nothing of another school."""
    from inspections.models import ZoneSchool

    kinds = periodic.school_kinds()
    zone_id = ZoneSchool.objects.filter(school=school).values_list("zone_id", flat=True).first()
    latest = {}
    candidates = (Report.objects.filter(district_id=school.district_id, kind__in=[k.code for k in kinds],
                                        status__in=(Report.Status.READY, Report.Status.PUBLISHED))
                  .filter(Q(zone__isnull=True) | Q(zone_id=zone_id))
                  .order_by("-period_start", "-version").values_list("pk", "kind", "zone_id"))
    for pk, code, report_zone in candidates:
        if (report_zone is not None) == (periodic.kind_for(code).school_scope == periodic.ZONE):
            latest.setdefault(code, pk)
    reports = Report.objects.select_related("zone").in_bulk(list(latest.values()))
    sections = []
    for kind in kinds:
        report = reports.get(latest.get(kind.code))
        part = kind.school_section(report.data, school.pk) if report is not None and report.data else None
        if part is not None:
            sections.append({"kind": kind, "report": report, "part": part,
                             "period_label": periodic.period_label(report)})
    return sections
