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
