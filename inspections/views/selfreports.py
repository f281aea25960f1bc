"""Term self-reports: staff open a round and review, the school fills in its report, leaders
and inspectors read."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bureau import charts, uploads
from bureau.errors import DomainError
from bureau.models import Role
from bureau.permissions import get_visible_or_404, roles_required
from bureau.selectors import audit_for_object
from bureau.webforms import run_service
from inspections import selfreport_selectors as selectors
from inspections.models import SelfReport, SelfReportFile
from inspections.models.selfreports import CURRICULUM_SUBJECTS
from inspections.selfreport_forms import AcceptForm, ReportFilterForm, ReturnForm, RoundForm, SelfReportForm
from inspections.selfreport_permissions import (
    SELFREPORT_READERS,
    can_open_round,
    can_review_selfreport,
    fills_selfreport,
)
from inspections.selfreport_rules import breaches, field_rules, report_breaches
from inspections.services import selfreports as services

Status = SelfReport.Status


@roles_required(*SELFREPORT_READERS)
@require_GET
def round_list(request):
    rounds = list(selectors.round_list(user=request.user))
    counts = selectors.round_counts(user=request.user, rounds=rounds)
    return render(request, "inspections/selfreport_rounds.html", {
        "rows": [(r, counts[r.pk]) for r in rounds],
        "may_open": can_open_round(request.user),
        "mine": selectors.my_due_reports(user=request.user) if request.user.role == Role.PRINCIPAL else None,
    })


@roles_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def round_create(request):
    if not can_open_round(request.user):
        raise PermissionDenied
    user = request.user
    form = RoundForm(request.POST or None, user=user, initial={
        "district": user.district_id, "due_date": services.default_due_date(user.district_id)})
    made = {}

    def action():
        data = form.cleaned_data
        made["round"] = services.round_open(district=data["district"], term=data["term"], due_date=data["due_date"],
                                            schools=list(data["schools"]), by=user)

    if request.method == "POST" and form.is_valid() and run_service(form, action):
        messages.success(request, _("Self-report round opened: each school has its draft."))
        return redirect("inspections:selfreport_round", pk=made["round"].pk)
    return render(request, "inspections/selfreport_round_create.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _share_chart(shares):
    bars = [charts.Bar(str(s.rule.title), s.percent or 0,
                       tone="neutral" if s.percent is None else "ok" if s.percent == 100 else
                       "warn" if s.percent >= 80 else "bad",
                       note="—" if s.percent is None else f"{s.percent}%")
            for s in shares]
    counted = shares[0].counted if shares else 0
    return charts.bar_chart(bars, title=_("Share of the %(n)s reports sent within each rule") % {"n": counted},
                            max_value=100, reference=100, reference_label="100%", label_width=190)


@roles_required(*SELFREPORT_READERS)
@require_GET
def round_detail(request, pk):
    round_ = selectors.round_detail(user=request.user, pk=pk)
    form = ReportFilterForm(request.GET or None)
    reports = list(selectors.report_list(user=request.user, round=round_, filters=form.filters()))
    counts = selectors.round_counts(user=request.user, rounds=[round_])[round_.pk]
    today = timezone.localdate()
    shares = selectors.round_shares(user=request.user, round=round_)
    return render(request, "inspections/selfreport_round.html", {
        "round": round_, "form": form, "counts": counts, "today": today,
        "rows": [(report, services.is_late(report, today)) for report in reports],
        "chart": _share_chart(shares), "shares": shares,
    })


def _flags_by_field(report_or_found):
    found = report_or_found if isinstance(report_or_found, list) else report_breaches(report_or_found)
    flags = {}
    for field, breach in found:
        flags.setdefault(field, breach)
    return flags


def _shown(value):
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value.strftime("%H:%M") if hasattr(value, "strftime") else value


def _value_rows(report, found):
    """(label, value, breach or None) of each checked value, then each curriculum subject."""
    flags = _flags_by_field(found)
    rows = [(SelfReport._meta.get_field(check.field).verbose_name, _shown(getattr(report, check.field)),
             flags.get(check.field)) for check in field_rules(report.school)]
    subjects = [(label, report.curriculum.get(code, {}), flags.get(f"curriculum_{code}_actual"))
                for code, label in CURRICULUM_SUBJECTS if code in report.curriculum]
    return rows, subjects


def _detail_page(request, report, *, return_form=None, accept_form=None, status=200):
    user = request.user
    reviewing = can_review_selfreport(user, report) and report.status == Status.SUBMITTED
    found = report_breaches(report)
    rows, subjects = _value_rows(report, found)
    return render(request, "inspections/selfreport_detail.html", {
        "report": report, "found": found, "rows": rows, "subjects": subjects, "late": services.is_late(report),
        "versions": selectors.report_versions(user=user, report=report),
        "accept_form": (accept_form or AcceptForm()) if reviewing else None,
        "return_form": (return_form or ReturnForm()) if reviewing else None,
        "may_edit": fills_selfreport(user, report) and report.is_editable,
        "may_correct": fills_selfreport(user, report) and report.status == Status.ACCEPTED and report.is_current,
        "history": audit_for_object(instance=report, user=user),
    }, status=status)


@roles_required(*SELFREPORT_READERS)
@require_GET
def report_detail(request, pk):
    return _detail_page(request, selectors.report_detail(user=request.user, pk=pk))


@roles_required(Role.PRINCIPAL)
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = selectors.report_detail(user=request.user, pk=pk)
    if not fills_selfreport(request.user, report):
        raise PermissionDenied
    if not report.is_editable:
        messages.error(request, _("This self-report is “%(state)s”: it can no longer be changed.")
                       % {"state": report.get_status_display()})
        return redirect("inspections:selfreport_detail", pk=report.pk)
    form = SelfReportForm(request.POST or None, request.FILES or None, report=report)
    submit = request.POST.get("action") == "submit"

    def action():
        saved = services.selfreport_save(report=report, data=form.values(), curriculum=form.curriculum(),
                                         files=request.FILES.getlist("files"), by=request.user)
        if submit:
            services.selfreport_submit(report=saved, by=request.user)

    if request.method == "POST":
        if form.is_valid() and run_service(form, action):
            if submit:
                messages.success(request, _("Self-report submitted: the bureau reviews it next."))
                return redirect("inspections:selfreport_detail", pk=report.pk)
            messages.success(request, _("Draft saved."))
            return redirect("inspections:selfreport_edit", pk=report.pk)
        # Flag what was typed, even when the save was refused (a valid field still shows its breach).
        found = breaches(form.values(), report.school, form.curriculum()) if hasattr(form, "cleaned_data") else []
    else:
        found = report_breaches(report)
    return render(request, "inspections/selfreport_form.html", {
        "report": report, "form": form, "flags": _flags_by_field(found),
        "upload_mb": f"{settings.UPLOAD_MAX_BYTES / 1048576:g}",
    }, status=400 if request.method == "POST" else 200)


def _review(request, pk, form_class, service, done, *, field):
    report = selectors.report_detail(user=request.user, pk=pk)
    form = form_class(request.POST)

    def action():
        service(report=report, by=request.user, **{field: form.cleaned_data[field]})

    if form.is_valid() and run_service(form, action):
        messages.success(request, done)
        return redirect("inspections:selfreport_detail", pk=report.pk)
    kwargs = {"return_form": form} if form_class is ReturnForm else {"accept_form": form}
    return _detail_page(request, report, status=400, **kwargs)


@roles_required(Role.STAFF)
@require_POST
def report_accept(request, pk):
    return _review(request, pk, AcceptForm, services.selfreport_accept, _("Self-report accepted: it is locked now."),
                   field="note")


@roles_required(Role.STAFF)
@require_POST
def report_return(request, pk):
    return _review(request, pk, ReturnForm, services.selfreport_return,
                   _("Self-report returned to the school with your comments."), field="comments")


@roles_required(Role.PRINCIPAL)
@require_POST
def report_correct(request, pk):
    report = selectors.report_detail(user=request.user, pk=pk)
    try:
        made = services.selfreport_correct(report=report, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("inspections:selfreport_detail", pk=report.pk)
    messages.success(request, _("A new version is open: the accepted one is kept as it was."))
    return redirect("inspections:selfreport_edit", pk=made.pk)


@roles_required(*SELFREPORT_READERS)
@require_GET
def report_file(request, pk):
    item = get_visible_or_404(SelfReportFile.objects.all(), request.user, pk=pk)
    return uploads.upload_response(name=item.file.name, kind=uploads.KINDS_BY_CODE[item.kind], label=item.label)
