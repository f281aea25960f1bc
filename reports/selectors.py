from reports.models import Report


def report_list(*, user, kind=None):
    reports = Report.objects.visible_to(user).select_related("district", "zone")
    if kind:
        reports = reports.filter(kind=kind)
    return reports.defer("data")


def report_get_queryset(user):
    return Report.objects.visible_to(user).select_related("district", "zone", "requested_by", "published_by")


def report_versions(*, report, user):
    return (Report.objects.visible_to(user).filter(kind=report.kind, scope_key=report.scope_key,
                                                   period_start=report.period_start)
            .defer("data").order_by("-version"))


def bulletin_queryset():
    """Published bulletins: what anyone may read."""
    return Report.objects.filter(status=Report.Status.PUBLISHED).select_related("district", "zone")


def assessment_for_school(*, school):
    """The school's own line of its district's latest school assessment (built or published),
    with the criteria it was scored on: what its principal reads, never another school's."""
    report = (Report.objects.filter(kind="school_assessment", district_id=school.district_id,
                                    status__in=(Report.Status.READY, Report.Status.PUBLISHED))
              .order_by("-period_start", "-version").first())
    if report is None or not report.data:
        return None
    row = next((r for r in report.data["schools"] if r["school_id"] == school.pk), None)
    if row is None:
        return None
    return {"report": report, "year": report.data["year"], "row": row,
            "lines": list(zip(report.data["criteria"], row["scores"], strict=True)),
            "ranked": sum(1 for r in report.data["schools"] if r.get("rank"))}
