"""Visits: the inspector starts, records and files them; the bureau and (once filed) the school read them."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau import scope, uploads
from bureau.errors import DomainError
from bureau.models import Role
from bureau.permissions import get_visible_or_404, roles_required
from bureau.selectors import audit_for_object
from bureau.webforms import run_service
from inspections import selectors
from inspections import services as visit_services
from inspections.filters import VisitFilter
from inspections.forms import NoticeIssueForm, VisitForm, VisitStartForm
from inspections.models import Visit, VisitEvidence
from inspections.permissions import VISIT_READERS, can_edit_visit, can_issue_notice, can_visit

VISITS_PER_PAGE = 50


@roles_required(*VISIT_READERS)
@require_GET
def visit_list(request):
    filters = VisitFilter(request.GET or None, queryset=selectors.visit_list(user=request.user), request=request)
    page = Paginator(filters.qs, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "inspections/visit_list.html", {
        "page_obj": page,
        "filter_form": filters.form,
        "start_form": VisitStartForm(user=request.user) if can_visit(request.user) else None,
        "shows_private": scope.may_read(request.user, Visit, "private_notes"),
    })


@roles_required(Role.INSPECTOR)
@require_POST
def visit_start(request):
    form = VisitStartForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a school of your zones and the kind of visit."))
        return redirect("inspections:visit_list")
    visit = visit_services.visit_start(school=form.cleaned_data["school"], kind=form.cleaned_data["kind"],
                                       by=request.user)
    return redirect("inspections:visit_edit", pk=visit.pk)


@roles_required(*VISIT_READERS)
@require_GET
def visit_detail(request, pk):
    visit = selectors.visit_detail(user=request.user, pk=pk)
    items = list(visit.items.all())
    for item in items:
        # A notice's form under each item not met, for the visit's inspector (the service
        # decides; the form is only offered where it would be taken).
        if can_issue_notice(request.user, item) and not hasattr(item, "notice"):
            item.notice_form = NoticeIssueForm(auto_id=f"id_item{item.pk}_%s")
    return render(request, "inspections/visit_detail.html", {
        "visit": visit,
        "items": items,
        "may_edit": can_edit_visit(request.user, visit),
        "shows_private": scope.may_read(request.user, Visit, "private_notes"),
        "history": audit_for_object(instance=visit, user=request.user),
    })


def _visit_for_edit(request, pk):
    visit = selectors.visit_detail(user=request.user, pk=pk)
    if visit.inspector_id != request.user.pk:
        raise PermissionDenied
    return visit


def _form_page(request, visit, form):
    return render(request, "inspections/visit_form.html", {
        "visit": visit, "form": form, "upload_mb": f"{settings.UPLOAD_MAX_BYTES / 1048576:g}",
    }, status=400 if form.is_bound else 200)


def _files(request, form):
    """The evidence files sent for each item (input item-<id>-files, several per item)."""
    return {row.pk: request.FILES.getlist(f"item-{row.pk}-files") for row in form.rows}


def _wants_json(request):
    return request.headers.get("X-Requested-With") == "fetch"


@roles_required(Role.INSPECTOR)
def visit_edit(request, pk):
    """The phone form: GET draws it, POST saves the draft (the page's script posts it as the
    inspector goes and gets JSON back; without the script the save button does it)."""
    visit = _visit_for_edit(request, pk)
    if not visit.is_draft:
        if _wants_json(request):
            return JsonResponse({"saved": False, "error": _("This visit is filed: it can no longer be changed.")},
                                status=409)
        messages.info(request, _("This visit is filed: it can no longer be changed."))
        return redirect("inspections:visit_detail", pk=visit.pk)
    form = VisitForm(request.POST or None, instance=visit)
    if request.method == "POST":
        saved = form.is_valid() and run_service(form, lambda: visit_services.visit_save(
            visit=visit, data=form.visit_data(), items=form.items(), files=_files(request, form), by=request.user))
        if _wants_json(request):
            if saved:
                return JsonResponse({"saved": True, "at": timezone.localtime().strftime("%H:%M:%S")})
            return JsonResponse({"saved": False, "errors": form.errors}, status=400)
        if saved:
            messages.success(request, _("Draft saved."))
            return redirect("inspections:visit_edit", pk=visit.pk)
    return _form_page(request, visit, form)


@roles_required(Role.INSPECTOR)
@require_POST
def visit_file(request, pk):
    visit = _visit_for_edit(request, pk)
    if not visit.is_draft:
        # Filed already (a double click, a second tab): the service says so, nothing changes.
        try:
            visit_services.visit_file(visit=visit, by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        return redirect("inspections:visit_detail", pk=visit.pk)
    form = VisitForm(request.POST, instance=visit)
    # The page sends the form as it stands: what was typed since the last save (and the files
    # chosen) is saved as the draft first, so a filing refused for a missing result loses
    # nothing; then the visit is filed, or the page says what is missing.
    saved = form.is_valid() and run_service(form, lambda: visit_services.visit_save(
        visit=visit, data=form.visit_data(), items=form.items(), files=_files(request, form), by=request.user))
    if saved and run_service(form, lambda: visit_services.visit_file(visit=visit, by=request.user)):
        messages.success(request, _("Visit filed: the school now sees its feedback."))
        return redirect("inspections:visit_detail", pk=visit.pk)
    return _form_page(request, visit, form)


@roles_required(*VISIT_READERS)
@require_GET
def evidence_file(request, pk):
    """An evidence file, only to those who may see its visit (a school: once filed)."""
    evidence = get_visible_or_404(VisitEvidence.objects.all(), request.user, pk=pk)
    return uploads.upload_response(name=evidence.file.name, kind=uploads.KINDS_BY_CODE[evidence.kind],
                                   label=evidence.label)


@roles_required(Role.INSPECTOR)
@require_POST
def evidence_delete(request, pk):
    evidence = get_visible_or_404(VisitEvidence.objects.select_related("item__visit"), request.user, pk=pk)
    visit = evidence.item.visit
    if visit.inspector_id != request.user.pk:
        raise PermissionDenied
    try:
        visit_services.visit_evidence_delete(evidence=evidence, by=request.user)
        messages.success(request, _("File %(name)s removed.") % {"name": evidence.label})
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("inspections:visit_edit", pk=visit.pk)
