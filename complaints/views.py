"""Complaint pages: a parent lodges and follows; the office takes a complaint through its
steps; the school answers what it is handed; leaders read.

Each view: access helper (404 for missing and out of scope alike) → form → service →
redirect, or the detail page again with the refusal on the form (400).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau import uploads
from bureau.errors import DomainError
from bureau.models import Role
from bureau.permissions import get_visible_or_404, require, roles_required
from bureau.webforms import run_service
from complaints import deadlines, services
from complaints import forms as complaint_forms
from complaints.figures import complaint_figures
from complaints.masking import mask_mobile, mask_name
from complaints.models import Attachment
from complaints.pages import detail_context
from complaints.permissions import can_lodge, is_complaint_handler, may_know_complainant, reads_handling
from complaints.selectors import DUE_FILTERS, complaint_counts, complaint_get_queryset, complaint_list, school_directory
from complaints.steps import STEPS

READERS = (Role.STAFF, Role.LEADER, Role.PRINCIPAL)
EVERYONE = (*READERS, Role.PARENT)


def _lodged(request, complaint, created):
    if created:
        messages.success(request, _("Your complaint is lodged. Its tracking number is %(number)s.")
                         % {"number": complaint.tracking_number})
    else:
        messages.info(request, _("This complaint was lodged already (the form was sent twice): %(number)s.")
                      % {"number": complaint.tracking_number})
    return redirect("complaints:detail", pk=complaint.pk)


@roles_required(Role.PARENT)
def lodge(request):
    """Step one: find the school by name; step two (?school=): the complaint itself."""
    require(can_lodge(request.user))
    search = complaint_forms.SchoolSearchForm(request.GET or None)
    school = None
    if request.GET.get("school", "").isdigit():
        school = school_directory().filter(pk=int(request.GET["school"])).first()
    if school is None:
        found = None
        if search.is_valid() and search.cleaned_data["q"]:
            found = list(school_directory(query=search.cleaned_data["q"])[:20])
        return render(request, "complaints/lodge_school.html", {"search": search, "found": found})
    form = complaint_forms.LodgeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_service(form, lambda: services.complaint_submit(
            school=school, by=request.user, token=data["token"], category=data["category"],
            description=data["description"], happened_on=data["happened_on"], teacher_name=data["teacher_name"],
            address=request.META.get("REMOTE_ADDR"), files=data["files"],
        ))
        if result:
            return _lodged(request, *result)
    return render(request, "complaints/lodge.html", {"form": form, "school": school},
                  status=400 if form.is_bound and form.errors else 200)


@roles_required(Role.STAFF)
def enter(request):
    """The office enters a complaint that came by hotline, letter or visit."""
    if not is_complaint_handler(request.user):
        raise PermissionDenied
    form = complaint_forms.EnterForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_service(form, lambda: services.complaint_submit(
            school=data["school"], by=request.user, token=data["token"], category=data["category"],
            description=data["description"], happened_on=data["happened_on"], teacher_name=data["teacher_name"],
            channel=data["channel"], complainant_name=data["complainant_name"],
            complainant_mobile=data["complainant_mobile"], files=data["files"],
        ))
        if result:
            complaint, created = result
            if created:
                messages.success(request, _("Complaint %(number)s entered.") % {"number": complaint.tracking_number})
            return redirect("complaints:detail", pk=complaint.pk)
    return render(request, "complaints/enter.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


@roles_required(Role.PARENT)
def mine(request):
    return render(request, "complaints/mine.html", {"complaints": complaint_list(user=request.user)})


@roles_required(*READERS)
def complaint_index(request):
    due = request.GET.get("due") if request.GET.get("due") in DUE_FILTERS else None
    shows_complainant = may_know_complainant(request.user)
    page = Paginator(complaint_list(user=request.user, due=due), 50).get_page(request.GET.get("page"))
    today = deadlines.today()
    for complaint in page:
        complaint.is_overdue = complaint.due_on is not None and complaint.due_on < today
        if shows_complainant:
            # Lists mask who complained (张*, 138****1234); the full details are one logged look away.
            complaint.masked_name = mask_name(complaint.complainant_name)
            complaint.masked_mobile = mask_mobile(complaint.complainant_mobile)
    return render(request, "complaints/list.html", {
        "complaints": page,
        "page_obj": page,
        "counts": complaint_counts(user=request.user),
        "due": due,
        "filters": DUE_FILTERS,
        "shows_complainant": shows_complainant,
        "can_enter": is_complaint_handler(request.user),
        "can_see_figures": reads_handling(request.user),
    })


@roles_required(Role.STAFF, Role.LEADER)
def figures(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else deadlines.today().year
    return render(request, "complaints/figures.html", {
        "figures": complaint_figures(user=request.user, year=year), "years": range(deadlines.today().year, 2019, -1),
    })


def _load(request, pk):
    return get_visible_or_404(complaint_get_queryset(), request.user, pk=pk)


@roles_required(*EVERYONE)
def detail(request, pk):
    complaint = _load(request, pk)
    return render(request, "complaints/detail.html", detail_context(request, complaint))


def _act(request, pk, name):
    """A POSTed step: the form, the service; back to the complaint with a message, or the
    complaint's page again with the refusal on this step's form."""
    step = STEPS[name]
    complaint = _load(request, pk)
    form = step.bind(request.POST, files=request.FILES, complaint=complaint, user=request.user)
    if form.is_valid() and run_service(form, lambda: step.run(form, complaint=complaint, user=request.user)):
        messages.success(request, str(step.done))
        return redirect("complaints:detail", pk=complaint.pk)
    # Drawn from the record as it is now: a step someone else took meanwhile shows.
    context = detail_context(request, _load(request, pk), failed=form)
    return render(request, "complaints/detail.html", context, status=400)


def _step(name):
    @roles_required(*STEPS[name].roles)
    @require_POST
    def view(request, pk):
        return _act(request, pk, name)

    view.__name__ = name
    return view


accept = _step("accept")
reject = _step("reject")
assign = _step("assign")
record = _step("record")
answer = _step("answer")
extend = _step("extend")
conclude = _step("conclude")
reply = _step("reply")
close = _step("close")
rate = _step("rate")
appeal = _step("appeal")


@roles_required(Role.PARENT)
@require_POST
def add_files(request, pk):
    """The complainant adds photos or documents while the complaint is open."""
    complaint = _load(request, pk)
    form = complaint_forms.AddFilesForm(request.POST, request.FILES)
    if form.is_valid() and run_service(form, lambda: services.complaint_add_files(
            complaint=complaint, files=form.cleaned_data["files"], by=request.user)):
        messages.success(request, _("Files added."))
        return redirect("complaints:detail", pk=complaint.pk)
    return render(request, "complaints/detail.html", detail_context(request, _load(request, pk), failed=form),
                  status=400)


@roles_required(*EVERYONE)
@require_GET
def attachment(request, pk):
    """An attachment, only to those who may read it (the scope of its complaint and side):
    media files are not served by the web server."""
    file = get_visible_or_404(Attachment.objects.all(), request.user, pk=pk)
    return uploads.upload_response(name=file.file.name, kind=uploads.KINDS_BY_CODE[file.kind], label=file.label)


@roles_required(Role.STAFF)
@require_POST
def link(request, pk):
    """Link the complaint to a likely duplicate (`of`), or unlink it (no `of`)."""
    complaint = _load(request, pk)
    of = None
    if request.POST.get("of", "").isdigit():
        of = get_visible_or_404(complaint_get_queryset(), request.user, pk=int(request.POST["of"]))
    try:
        services.complaint_link_duplicate(complaint=complaint, of=of, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return render(request, "complaints/detail.html", detail_context(request, _load(request, pk)), status=400)
    messages.success(request, _("Linked as the same matter.") if of else _("Link removed."))
    return redirect("complaints:detail", pk=complaint.pk)


@roles_required(Role.STAFF, Role.LEADER)
@require_POST
def reveal(request, pk):
    """Show who complained, to the office and leaders; the look is logged (who, when)."""
    if not may_know_complainant(request.user):
        raise PermissionDenied
    complaint = _load(request, pk)
    try:
        identity = services.complainant_reveal(complaint=complaint, by=request.user)
    except DomainError:
        raise PermissionDenied from None
    return render(request, "complaints/detail.html", detail_context(request, complaint, identity=identity))

