"""Periodic reports in the portal: the list with its request form, a report's page (its
progress while it is built, then its document), its PDF, and a leader's publication; and
the public bulletins (通报), readable without an account."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau import jobs, workflow
from bureau.models import Job, Role
from bureau.permissions import get_visible_or_404, public, roles_required
from bureau.ratelimit import public_rate_limited
from bureau.webforms import run_service
from inspections.models import InspectorZone
from reports import periodic, schedules, selectors, services
from reports.forms import CriterionForm, ReportRequestForm, ScheduleForm, WithdrawForm
from reports.models import AssessmentCriterion, Report
from reports.periodic import assessment
from reports.periodic.sections import school_sections
from reports.permissions import REPORT_READERS, can_publish_report, can_request_report
from schools.models import District

S = Report.Status


def _request_form(request, data=None):
    if not can_request_report(request.user):
        return None
    districts = District.objects.visible_to(request.user).filter(children__isnull=True).order_by("code")
    zones = InspectorZone.objects.visible_to(request.user).select_related("district").order_by("district__code", "name")
    return ReportRequestForm(data, districts=districts, zones=zones)


def _list_page(request, form=None, status=200):
    kind = request.GET.get("kind", "")
    return render(request, "reports/report_list.html", {
        "reports": selectors.report_list(user=request.user, kind=kind)[:100],
        "kinds": periodic.kinds(), "kind": kind,
        "form": form if form is not None else _request_form(request),
        "can_edit_schedules": schedules.can_edit_schedules(request.user),
        "can_keep_criteria": assessment.can_keep_criteria(request.user),
    }, status=status)


@roles_required(*REPORT_READERS)
@require_GET
def report_list(request):
    return _list_page(request)


@roles_required(Role.ADMIN, Role.STAFF)
@require_POST
def report_create(request):
    form = _request_form(request, request.POST)
    if form is None:
        raise PermissionDenied
    made = {}

    def action():
        data = form.cleaned_data
        made["report"] = services.report_request(kind=data["kind"], district=data["district"], zone=data["zone"],
                                                 start=data["start"], by=request.user)

    if form.is_valid() and run_service(form, action):
        messages.success(request, _("The report is being built: this page follows its progress."))
        return redirect("reports:detail", pk=made["report"].pk)
    return _list_page(request, form, status=400)


def _progress(report):
    """Where a report stands while it is built: gathered, rendered, and its jobs' state."""
    if report.status != S.QUEUED:
        return None
    keys = [f"report-gather:{report.pk}", f"report-render:{report.pk}"]
    latest = {}
    for job in Job.objects.filter(key__in=keys).order_by("pk"):
        latest[job.key] = job
    gather, render_job = (latest.get(key) for key in keys)
    gather, render_job = jobs.job_status(gather), jobs.job_status(render_job)
    return {"gathered": report.data is not None, "gather": gather, "render": render_job,
            "run": render_job or gather, "step": 2 if report.data is not None else 1}


@roles_required(*REPORT_READERS)
@require_GET
def report_detail(request, pk):
    report = get_visible_or_404(selectors.report_get_queryset(request.user), request.user, pk=pk)
    context = {
        "report": report, "kind": periodic.kind_for(report.kind), "progress": _progress(report),
        "versions": selectors.report_versions(report=report, user=request.user),
        "can_publish": report.status == S.READY and can_publish_report(request.user, report),
        "can_withdraw": report.status == S.PUBLISHED and can_publish_report(request.user, report),
        "can_rerun": workflow.can_move(request.user, report, S.QUEUED),
        "withdraw_form": WithdrawForm(),
        "history": [(change, workflow.state_label(Report, change.from_status),
                     workflow.state_label(Report, change.to_status))
                    for change in workflow.status_history(instance=report)],
    }
    if report.is_built:
        context.update(services.report_context(report))
    return render(request, "reports/report_detail.html", context)


@roles_required(*REPORT_READERS)
@require_GET
def report_status(request, pk):
    """What the progress poller (static/js/portal.js) asks while a report is built."""
    report = get_visible_or_404(selectors.report_get_queryset(request.user), request.user, pk=pk)
    progress = _progress(report)
    step = 2 if report.is_built else (progress["step"] - 1 if progress else 0)
    run = progress["run"] if progress else None
    return JsonResponse({"status": report.status, "running": progress is not None,
                         "processed": step, "total": 2, "percent": 50 * step, "run": run})


def _pdf_response(report):
    if not report.pdf:
        raise Http404
    label = f"{report.kind}-{report.period_start:%Y%m%d}-v{report.version}.pdf"
    return FileResponse(default_storage.open(report.pdf.name, "rb"), content_type="application/pdf",
                        filename=label)


@roles_required(*REPORT_READERS)
@require_GET
def report_pdf(request, pk):
    return _pdf_response(get_visible_or_404(selectors.report_get_queryset(request.user), request.user, pk=pk))


def _move(request, pk, action, done):
    report = get_visible_or_404(selectors.report_get_queryset(request.user), request.user, pk=pk)
    form = WithdrawForm(request.POST)
    try:
        action(report, form)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("reports:detail", pk=report.pk)


@roles_required(Role.LEADER)
@require_POST
def report_publish(request, pk):
    return _move(request, pk, lambda report, form: services.report_publish(report=report, by=request.user),
                 _("Published: the bulletin is on the public pages."))


@roles_required(Role.LEADER)
@require_POST
def report_withdraw(request, pk):
    def action(report, form):
        if not form.is_valid():
            raise workflow.WorkflowError(_("Say why the bulletin is withdrawn."))
        services.report_withdraw(report=report, by=request.user, note=form.cleaned_data["reason"])

    return _move(request, pk, action, _("Withdrawn: the bulletin is no longer public."))


@roles_required(Role.ADMIN, Role.STAFF)
@require_POST
def report_rerun(request, pk):
    return _move(request, pk, lambda report, form: services.report_rerun(report=report, by=request.user),
                 _("The report is being built again."))


# ---- the schedule (administrators) --------------------------------------------------------


def _schedule_rows(request, failed=None):
    rows = []
    for kind, task in schedules.schedule_list():
        if failed is not None and failed[0] == kind.code:
            form = failed[1]
        else:
            initial = {field: getattr(task.crontab, field) for field in schedules.FIELDS} if task else {}
            form = ScheduleForm(initial={**initial, "enabled": bool(task and task.enabled)},
                                prefix=kind.code)
        rows.append((kind, task, form))
    return rows


@roles_required(Role.ADMIN)
@require_GET
def schedule_list(request):
    return render(request, "reports/schedule_list.html", {"rows": _schedule_rows(request)})


@roles_required(Role.ADMIN)
@require_POST
def schedule_update(request, report_kind):
    kind = report_kind
    try:
        periodic.kind_for(kind)
    except KeyError:
        raise Http404 from None
    form = ScheduleForm(request.POST, prefix=kind)

    def action():
        data = form.cleaned_data
        schedules.schedule_update(kind_code=kind, values={f: data[f].strip() for f in schedules.FIELDS},
                                  enabled=data["enabled"], by=request.user)

    if form.is_valid() and run_service(form, action):
        messages.success(request, _("Saved: beat makes the report at the new time."))
        return redirect("reports:schedules")
    return render(request, "reports/schedule_list.html", {"rows": _schedule_rows(request, (kind, form))}, status=400)


# ---- a principal's own school in the reports; the assessment's weights (administrators) --


@roles_required(Role.PRINCIPAL)
@require_GET
def my_school(request):
    return render(request, "reports/my_school.html",
                  {"sections": school_sections(school=request.user.school)})


@roles_required(Role.ADMIN)
def criteria(request):
    rows = list(AssessmentCriterion.objects.all())
    form = CriterionForm(request.POST or None)
    if request.method == "POST":
        criterion = get_object_or_404(AssessmentCriterion, pk=request.POST.get("criterion"))

        def action():
            assessment.criterion_update(criterion=criterion, weight=form.cleaned_data["weight"], by=request.user)

        if form.is_valid() and run_service(form, action):
            messages.success(request, _("Saved: the next assessment is scored with this weight."))
            return redirect("reports:criteria")
    return render(request, "reports/criteria.html", {"rows": rows, "form": form},
                  status=400 if form.errors else 200)


# ---- public bulletins ---------------------------------------------------------------------


@public
@public_rate_limited("bulletin")
@require_GET
def bulletin_list(request):
    bulletins = selectors.bulletin_queryset().defer("data").order_by("-published_at")[:100]
    return render(request, "reports/bulletin_list.html", {"bulletins": bulletins})


@public
@public_rate_limited("bulletin")
@require_GET
def bulletin_detail(request, pk):
    report = get_object_or_404(selectors.bulletin_queryset(), pk=pk)
    return render(request, "reports/bulletin_detail.html", services.report_context(report))


@public
@public_rate_limited("bulletin")
@require_GET
def bulletin_pdf(request, pk):
    return _pdf_response(get_object_or_404(selectors.bulletin_queryset(), pk=pk))
