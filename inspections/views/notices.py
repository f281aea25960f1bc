"""Rectification notices: the inspector issues and checks them, the school answers them."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau import uploads
from bureau.errors import DomainError
from bureau.models import Role
from bureau.permissions import get_visible_or_404, roles_required
from bureau.selectors import audit_for_object
from bureau.webforms import run_service
from inspections import selectors
from inspections import services as notice_services
from inspections.forms import NoticeAnswerForm, NoticeFilterForm, NoticeIssueForm, NoticeReturnForm
from inspections.models import NoticeEvidence, RectificationNotice, VisitItem
from inspections.permissions import VISIT_READERS, answers_for_school, checks_notice

NOTICES_PER_PAGE = 50


@roles_required(*VISIT_READERS)
@require_GET
def notice_list(request):
    form = NoticeFilterForm(request.GET or None)
    notices = selectors.notice_list(user=request.user, filters=form.filters())
    return render(request, "inspections/notice_list.html", {
        "form": form, "page_obj": Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page")),
        "today": timezone.localdate(),
    })


def _detail_page(request, notice, *, answer_form=None, return_form=None, status=200):
    user = request.user
    may_answer = answers_for_school(user, notice) and notice.status in RectificationNotice.AWAITING_SCHOOL
    may_check = checks_notice(user, notice) and notice.status == RectificationNotice.Status.ANSWERED
    return render(request, "inspections/notice_detail.html", {
        "notice": notice,
        "overdue": notice.is_overdue(),
        "answer_form": (answer_form or NoticeAnswerForm()) if may_answer else None,
        "return_form": (return_form or NoticeReturnForm()) if may_check else None,
        "history": audit_for_object(instance=notice, user=user),
        "upload_mb": f"{settings.UPLOAD_MAX_BYTES / 1048576:g}",
    }, status=status)


@roles_required(*VISIT_READERS)
@require_GET
def notice_detail(request, pk):
    return _detail_page(request, selectors.notice_detail(user=request.user, pk=pk))


@roles_required(Role.INSPECTOR)
@require_POST
def notice_issue(request, pk):
    """Raise a notice on a not-met item of a filed visit (the visit's page holds the form)."""
    item = get_visible_or_404(VisitItem.objects.select_related("visit"), request.user, pk=pk)
    if item.visit.inspector_id != request.user.pk:
        raise PermissionDenied
    form = NoticeIssueForm(request.POST)
    made = {}

    def action():
        made["notice"] = notice_services.notice_issue(
            item=item, requirement=form.cleaned_data["requirement"], working_days=form.cleaned_data["working_days"],
            by=request.user,
        )

    if form.is_valid() and run_service(form, action):
        notice = made["notice"]
        messages.success(request, _("Rectification notice issued: due %(deadline)s.") % {
            "deadline": notice.deadline.strftime("%Y-%m-%d")})
        return redirect("inspections:notice_detail", pk=notice.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("inspections:visit_detail", pk=item.visit_id)


@roles_required(Role.PRINCIPAL)
@require_POST
def notice_answer(request, pk):
    notice = selectors.notice_detail(user=request.user, pk=pk)
    form = NoticeAnswerForm(request.POST)

    def action():
        notice_services.notice_answer(notice=notice, answer=form.cleaned_data["answer"],
                                      files=request.FILES.getlist("files"), by=request.user)

    if form.is_valid() and run_service(form, action):
        messages.success(request, _("Answer sent: the inspector checks it next."))
        return redirect("inspections:notice_detail", pk=notice.pk)
    return _detail_page(request, notice, answer_form=form, status=400)


def _check(request, pk, service, done):
    notice = selectors.notice_detail(user=request.user, pk=pk)
    try:
        service(notice)
    except DomainError as error:  # the workflow's refusals are DomainErrors too
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("inspections:notice_detail", pk=notice.pk)


@roles_required(Role.INSPECTOR)
@require_POST
def notice_verify(request, pk):
    return _check(request, pk, lambda notice: notice_services.notice_verify(notice=notice, by=request.user),
                  _("Rectification verified: the notice is closed."))


@roles_required(Role.INSPECTOR)
@require_POST
def notice_return(request, pk):
    notice = selectors.notice_detail(user=request.user, pk=pk)
    form = NoticeReturnForm(request.POST)

    def action():
        notice_services.notice_return(notice=notice, reason=form.cleaned_data["reason"], by=request.user)

    if form.is_valid() and run_service(form, action):
        messages.success(request, _("Answer returned to the school with your reason."))
        return redirect("inspections:notice_detail", pk=notice.pk)
    return _detail_page(request, notice, return_form=form, status=400)


@roles_required(*VISIT_READERS)
@require_GET
def notice_evidence_file(request, pk):
    evidence = get_visible_or_404(NoticeEvidence.objects.all(), request.user, pk=pk)
    return uploads.upload_response(name=evidence.file.name, kind=uploads.KINDS_BY_CODE[evidence.kind],
                                   label=evidence.label)
