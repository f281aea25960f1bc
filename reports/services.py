"""Periodic reports: asked for, gathered, rendered, published.

A report is claimed by its key (kind, scope, period, version): the unique constraint makes
a duplicate beat tick or two clicks at once one row, and the two jobs that build it are
keyed by the row, so a retry, a second delivery or a worker killed mid-render finishes that
one report. Gathering freezes the data on the row once (a conditional UPDATE); rendering
reads only that data and may run any number of times with the same result.
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bureau import jobs, workflow
from bureau.errors import DomainError
from bureau.models import AuditLog
from bureau.pdf import html_to_pdf
from bureau.services import audit_record
from reports import periodic, schedules
from reports.models import Report
from reports.periodic import (  # noqa: F401  (the kinds register themselves)
    assessment,
    balance_monitoring,
    complaint_quarterly,
    health_bulletin,
    monthly_inspection,
    periods,
    term_survey,
)
from reports.permissions import can_request_report

logger = logging.getLogger(__name__)
S = Report.Status
GATHER, RENDER = "reports.gather", "reports.render"


def _scope_key(district, zone):
    return f"zone:{zone.pk}" if zone is not None else f"district:{district.pk}"


def _check_scope(spec, district, zone):
    if zone is None and periodic.DISTRICT not in spec.scopes:
        raise DomainError(_("A %(kind)s is made for one zone: choose the zone.") % {"kind": spec.title})
    if zone is not None and periodic.ZONE not in spec.scopes:
        raise DomainError(_("A %(kind)s is made for the whole district, not for one zone.") % {"kind": spec.title})
    if zone is not None and zone.district_id != district.pk:
        raise DomainError(_("The zone %(zone)s is not in %(district)s.") % {"zone": zone, "district": district})


def report_request(*, kind, district, start, by, zone=None, scheduled=False, today=None):
    """Ask for a new version of a report (on demand), or the first one (a schedule, which
    makes nothing when the period has a report already). Returns the report, or None for a
    schedule that had nothing to do."""
    try:
        spec = periodic.kind_for(kind)
    except KeyError:
        raise DomainError(_("There is no kind of report “%(kind)s”.") % {"kind": kind}) from None
    if by is not None and not can_request_report(by, district.pk):
        raise DomainError(_("You may not make reports of %(district)s.") % {"district": district})
    _check_scope(spec, district, zone)
    try:
        period = periods.period_starting(spec.unit, start)
    except ValueError:
        if spec.unit == periods.TERM:
            raise DomainError(_("The period must be a term of the bureau's calendar, from its first day.")) from None
        raise DomainError(_("The period must start on the first day of a %(unit)s.") % {"unit": spec.unit}) from None
    if period.start > (today or timezone.localdate()):
        raise DomainError(_("The period %(period)s has not begun yet.") % {"period": period.label})
    if spec.check is not None and not scheduled:  # a schedule's report fails with the reason instead
        spec.check(period=period)
    key = _scope_key(district, zone)
    for _attempt in range(3):
        existing = Report.objects.filter(kind=kind, scope_key=key, period_start=period.start)
        if scheduled and existing.exists():
            return None
        version = 1 if scheduled else (existing.aggregate(v=Max("version"))["v"] or 0) + 1
        try:
            with transaction.atomic():
                report = Report(kind=kind, district=district, zone=zone, scope_key=key, period_start=period.start,
                                period_end=period.end, version=version, requested_by=by, scheduled=scheduled)
                report.full_clean(validate_constraints=False)
                report.save()
                if by is not None:  # the schedule's own reports say so on the row (`scheduled`)
                    audit_record(actor=by, action=AuditLog.Action.CREATE, instance=report,
                                 note=f"{spec.code} {period.label} v{version}")
                jobs.job_enqueue(kind=GATHER, payload={"report": report.pk}, key=f"report-gather:{report.pk}")
                return report
        except IntegrityError:
            # Another request (or beat tick) took this version a moment ago.
            if scheduled:
                return None
    raise DomainError(_("Several reports of this period are being made at once: try again in a moment."))


def report_rerun(*, report, by):
    """Build again a report whose build failed (its gathered data, if any, is kept)."""
    report = workflow.transition(report, to=S.QUEUED, by=by, fields={"failure": ""})
    jobs.job_enqueue(kind=GATHER, payload={"report": report.pk}, key=f"report-gather:{report.pk}")
    return report


def report_gather(*, report_id):
    """Freeze the report's data once, then ask for the render."""
    report = Report.objects.select_related("district", "zone").get(pk=report_id)
    if report.status != S.QUEUED:
        return report
    if report.data is None:
        spec = periodic.kind_for(report.kind)
        period = periods.period_starting(spec.unit, report.period_start)
        # Labels in the data are the portal's language: a bulletin reads the same for everyone.
        with translation.override(settings.LANGUAGE_CODE):
            data = spec.gather(district=report.district, zone=report.zone, period=period)
        # Conditional: a run that lost its worker after this line must not gather again.
        Report.objects.filter(pk=report.pk, data__isnull=True).update(data=data, gathered_at=timezone.now())
    jobs.job_enqueue(kind=RENDER, payload={"report": report.pk}, key=f"report-render:{report.pk}")
    return report


def report_context(report):
    spec = periodic.kind_for(report.kind)
    return {"report": report, "kind": spec, "data": report.data,
            "period": periods.period_starting(spec.unit, report.period_start),
            "scope_label": report.zone.name if report.zone_id else report.district.name}


def report_html(report, *, pdf=False):
    """The report's document, from its frozen data only."""
    context = {**report_context(report), "for_pdf": pdf}
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("reports/report_document.html", context)


def _pdf_name(report):
    return f"reports/{report.kind}-{report.scope_key.replace(':', '-')}-{report.period_start:%Y%m%d}-v{report.version}.pdf"


def report_render(*, report_id):
    """Render the PDF from the frozen data and mark the report ready. Safe to run again:
    the file is written under the version's own name, replacing a half-written one."""
    report = Report.objects.select_related("district", "zone").get(pk=report_id)
    if report.status != S.QUEUED or report.data is None:
        return report
    pdf = html_to_pdf(report_html(report, pdf=True), stylesheets=["css/report_pdf.css"])
    name = _pdf_name(report)
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(pdf))
    try:
        return workflow.transition(report, to=S.READY, by=None, expected=S.QUEUED,
                                   fields={"pdf": stored, "built_at": timezone.now()})
    except workflow.ConcurrentMove:
        return Report.objects.get(pk=report_id)  # another run finished it first


def _report_failed(job, reason):
    report = Report.objects.filter(pk=job.payload.get("report"), status=S.QUEUED).first()
    if report is not None:
        workflow.transition(report, to=S.FAILED, by=None, expected=S.QUEUED,
                            fields={"failure": f"{reason} {job.last_error}"[:2000]})


@jobs.handler(GATHER, on_give_up=_report_failed)
def _gather_job(job):
    report_gather(report_id=job.payload["report"])


@jobs.handler(RENDER, on_give_up=_report_failed, queue=lambda: settings.PDF_QUEUE,
              soft_time_limit=settings.PDF_SOFT_TIME_LIMIT, time_limit=settings.PDF_TIME_LIMIT)
def _render_job(job):
    report_render(report_id=job.payload["report"])


def report_publish(*, report, by, note=""):
    return workflow.transition(report, to=S.PUBLISHED, by=by, note=note,
                               fields={"published_at": timezone.now(), "published_by": by})


def report_withdraw(*, report, by, note):
    if not note.strip():
        raise DomainError(_("Say why the bulletin is withdrawn."))
    return workflow.transition(report, to=S.WITHDRAWN, by=by, note=note)


# ---- the schedule -----------------------------------------------------------------------


def reports_scheduled(*, kind, today=None):
    """What beat runs for a kind: the last whole period's report for every district (and
    every zone, for a kind made per zone) that has none yet. A second tick makes nothing."""
    from inspections.models import InspectorZone
    from schools.models import District

    spec = periodic.kind_for(kind)
    try:
        period = periods.period_before(spec.unit, today or timezone.localdate())
    except ValueError:  # no term of the calendar has ended yet
        return 0
    made = 0
    districts = District.objects.filter(parent__isnull=False) | District.objects.filter(children__isnull=True)
    for district in districts.distinct().order_by("code"):
        scopes = [None] if periodic.DISTRICT in spec.scopes else []
        if periodic.ZONE in spec.scopes:
            scopes += list(InspectorZone.objects.filter(district=district).order_by("pk"))
        for zone in scopes:
            made += report_request(kind=kind, district=district, zone=zone, start=period.start, by=None,
                                   scheduled=True, today=today) is not None
    return made


for _kind in periodic.kinds():
    # One job kind per report kind, so that beat's doorbell (bureau.tasks.job_enqueue_periodic,
    # run by the entries of reports/schedules.py) keeps at most one open per kind.
    jobs.handler(schedules.job_kind(_kind.code))(
        lambda job, code=_kind.code: reports_scheduled(kind=code))
del _kind
