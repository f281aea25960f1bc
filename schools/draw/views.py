"""Pages of the balanced class draw: the list (schools and bureau), a draw's page with its
steps, exports, transfers, and the public verification page (no login, rate-limited).

Every view declares its roles, loads the draw through the one access helper (missing and out
of scope both 404), calls one service, and redirects or renders.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau.errors import DomainError
from bureau.models import Role
from bureau.pdf import render_pdf
from bureau.permissions import public, roles_required
from bureau.ratelimit import public_rate_limited
from bureau.selectors import audit_for_object
from bureau.sheets.exports import template_file, write_xlsx
from bureau.sheets.files import ImportFileError
from bureau.workflow import status_history
from schools.draw import selectors, services, teachers
from schools.draw.forms import ClassCountForm, DecisionForm, DrawCreateForm, RosterUploadForm, SeedForm, TransferForm
from schools.draw.permissions import can_decide_transfer, can_read_names, can_run_draw
from schools.draw.resources import ROSTER_KIND
from schools.models import ClassDraw, ClassTransfer, School

READERS = (Role.ADMIN, Role.STAFF, Role.LEADER, Role.INSPECTOR, Role.PRINCIPAL)
NAME_ROLES = (Role.STAFF, Role.PRINCIPAL)
GROUP_LABELS = {"inclusive": "随班就读", "left_behind": "留守儿童", "migrant": "随迁子女"}


@roles_required(*READERS)
@require_GET
def draw_list(request):
    school = request.user.school if request.user.role == Role.PRINCIPAL and request.user.school_id else None
    form = DrawCreateForm(school=school) if school is not None and can_run_draw(request.user, school) else None
    return render(request, "schools/draw_list.html", {
        "draws": selectors.draw_list(user=request.user), "form": form, "school": school,
    })


@roles_required(Role.PRINCIPAL)
@require_POST
def draw_create(request):
    school = get_object_or_404(School.objects.visible_to(request.user), pk=request.user.school_id)
    form = DrawCreateForm(request.POST, school=school)
    if form.is_valid():
        try:
            draw = services.draw_create(school=school, term=form.cleaned_data["term"],
                                        grade=form.cleaned_data["grade"], by=request.user)
        except (DomainError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            return redirect("schools:draw_detail", pk=draw.pk)
    return redirect("schools:draw_list")


def _detail(request, draw, *, status=200, errors=None, forms=None):
    students = list(selectors.draw_roster(draw=draw, user=request.user))
    rows = selectors.class_rows(draw=draw, students=students) if draw.status == ClassDraw.Status.DRAWN else []
    spread, chart = selectors.evenness(rows) if rows else (None, None)
    runner = can_run_draw(request.user, draw)
    forms = forms or {}
    classes = [row["class"] for row in rows]
    transfers = list(draw.transfers.select_related("student", "from_class", "to_class", "requested_by",
                                                   "decided_by"))
    return render(request, "schools/draw_detail.html", {
        "draw": draw, "students": students, "rows": rows, "spread": spread, "chart": chart,
        "runner": runner, "names": can_read_names(request.user), "errors": errors,
        "upload_form": forms.get("upload") or RosterUploadForm(),
        "count_form": forms.get("count") or ClassCountForm(initial={
            "class_count": draw.class_count or services.least_classes(draw)}),
        "seed_form": forms.get("seed") or SeedForm(),
        "transfer_form": forms.get("transfer") or TransferForm(classes=classes),
        "transfers": transfers, "decide": [t for t in transfers if t.status == ClassTransfer.Status.REQUESTED
                                           and can_decide_transfer(request.user, t)],
        "least": services.least_classes(draw), "Status": ClassDraw.Status, "group_labels": GROUP_LABELS,
        "moves": status_history(instance=draw), "history": audit_for_object(instance=draw, user=request.user),
    }, status=status)


@roles_required(*READERS)
@require_GET
def draw_detail(request, pk):
    return _detail(request, selectors.draw_get(user=request.user, pk=pk))


def _act(request, pk, action, success):
    """A step of the draw: the service, its refusal as a message, back to the draw."""
    draw = selectors.draw_get(user=request.user, pk=pk)
    try:
        action(draw)
    except (DomainError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, success)
    return redirect("schools:draw_detail", pk=draw.pk)


@roles_required(Role.PRINCIPAL)
@require_POST
def roster_upload(request, pk):
    draw = selectors.draw_get(user=request.user, pk=pk)
    form = RosterUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            plan = services.roster_import(draw=draw, upload=form.cleaned_data["file"], by=request.user)
        except (DomainError, ImportFileError) as exc:
            form.add_error("file", str(exc))
        else:
            if not plan.errors:
                messages.success(request, _("The roster of %(count)s students was imported.") % {
                    "count": len(plan.creates)})
                return redirect("schools:draw_detail", pk=draw.pk)
            return _detail(request, draw, status=400, errors=plan.errors, forms={"upload": form})
    return _detail(request, draw, status=400, forms={"upload": form})


@roles_required(Role.PRINCIPAL)
@require_GET
def roster_template(request, pk):
    selectors.draw_get(user=request.user, pk=pk)
    data, name = template_file(kind=ROSTER_KIND, fmt="xlsx")
    return _attachment(data, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@roles_required(Role.PRINCIPAL)
@require_POST
def draw_classes(request, pk):
    form = ClassCountForm(request.POST)
    if not form.is_valid():
        draw = selectors.draw_get(user=request.user, pk=pk)
        return _detail(request, draw, status=400, forms={"count": form})
    return _act(request, pk, lambda draw: services.draw_set_classes(
        draw=draw, class_count=form.cleaned_data["class_count"], by=request.user), _("The number of classes is set."))


@roles_required(Role.PRINCIPAL)
@require_POST
def draw_seed(request, pk):
    form = SeedForm(request.POST)
    if not form.is_valid():
        return _detail(request, selectors.draw_get(user=request.user, pk=pk), status=400, forms={"seed": form})
    return _act(request, pk, lambda draw: services.draw_publish_seed(
        draw=draw, seed=form.cleaned_data["seed"], by=request.user),
        _("The seed and the roster's hash are published: the draw can be made."))


@roles_required(Role.PRINCIPAL)
@require_POST
def draw_run(request, pk):
    return _act(request, pk, lambda draw: services.draw_run(draw=draw, by=request.user),
                _("The classes are drawn and locked."))


@roles_required(Role.PRINCIPAL)
@require_POST
def transfer_request(request, pk):
    draw = selectors.draw_get(user=request.user, pk=pk)
    form = TransferForm(request.POST, classes=selectors.draw_classes(draw=draw))
    if form.is_valid():
        student = draw.students.filter(number=form.cleaned_data["student"].strip()).first()
        to_class = next(c for c in selectors.draw_classes(draw=draw) if c.pk == form.cleaned_data["to_class"])
        if student is None:
            form.add_error("student", _("No student of this roster has this registration number."))
        else:
            try:
                services.transfer_request(student=student, to_class=to_class, reason=form.cleaned_data["reason"],
                                          by=request.user)
            except (DomainError, ValidationError) as exc:
                form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("The transfer is asked for: the basic education department decides."))
                return redirect("schools:draw_detail", pk=draw.pk)
    return _detail(request, draw, status=400, forms={"transfer": form})


def _decide(request, pk, approve):
    transfer = get_object_or_404(ClassTransfer.objects.visible_to(request.user).select_related("draw"), pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.transfer_decide(transfer=transfer, approve=approve, by=request.user, note=note)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The transfer is approved: the student moved.") if approve
                         else _("The transfer is rejected."))
    return redirect("schools:draw_detail", pk=transfer.draw_id)


@roles_required(Role.STAFF)
@require_POST
def transfer_approve(request, pk):
    return _decide(request, pk, True)


@roles_required(Role.STAFF)
@require_POST
def transfer_reject(request, pk):
    return _decide(request, pk, False)


# ---- exports ------------------------------------------------------------------------------


def _attachment(data, name, content_type, inline=False):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=name)
    return response


def _drawn(request, pk):
    draw = selectors.draw_get(user=request.user, pk=pk)
    if draw.status != ClassDraw.Status.DRAWN:
        raise Http404
    students = list(selectors.draw_roster(draw=draw, user=request.user))
    return draw, selectors.class_rows(draw=draw, students=students)


def _groups(student):
    return "、".join(GROUP_LABELS[g] for g in student.groups)


@roles_required(*NAME_ROLES)
@require_GET
def draw_export(request, pk):
    """The class lists as xlsx: one sheet of every student and its class, one of the counts."""
    draw, rows = _drawn(request, pk)
    gender = {"M": "男", "F": "女"}
    students = [[str(row["class"]), s.number, s.name, gender[s.gender], s.birth_month, _groups(s)]
                for row in rows for s in row["members"]]
    counts = [[str(row["class"]), row["counts"]["size"], row["counts"]["M"], row["counts"]["F"],
               row["counts"]["inclusive"], row["counts"]["left_behind"], row["counts"]["migrant"]] for row in rows]
    data = write_xlsx([
        ("分班名单", ["班级", "报名号", "姓名", "性别", "出生月份", "关注群体"], students, [2]),
        ("各班人数", ["班级", "人数", "男生", "女生", "随班就读", "留守儿童", "随迁子女"], counts, []),
    ])
    name = f"{draw.school.code}-{draw.grade}-{datetime.date.today():%Y%m%d}.xlsx"
    return _attachment(data, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@roles_required(*NAME_ROLES)
@require_GET
def draw_pdf(request, pk):
    """A list per class on its own A4 page (WeasyPrint, Noto CJK fonts), to post at the door."""
    draw, rows = _drawn(request, pk)
    pdf = render_pdf("schools/draw_pdf.html", {"draw": draw, "rows": rows, "group_labels": GROUP_LABELS},
                     stylesheets=["css/draw_pdf.css"], request=request)
    return _attachment(pdf, f"{draw.school.code}-{draw.grade}.pdf", "application/pdf", inline=True)


# ---- the public verification page ---------------------------------------------------------


@public
@public_rate_limited("draw")
@require_GET
def draw_verify(request, pk):
    """Roster hash, seed, per-class counts and registration numbers (never a name); on asking,
    the draw run again from them. A draw whose seed is not published is not public (404)."""
    draw = get_object_or_404(ClassDraw.objects.select_related("school", "term__school_year").exclude(
        status=ClassDraw.Status.DRAFT), pk=pk)
    rows = selectors.result_rows(draw) if draw.status == ClassDraw.Status.DRAWN else []
    rerun = None
    if rows and request.GET.get("rerun"):
        again, same = services.draw_replay(draw)
        rerun = {"same": same, "classes": [len(c) for c in again.classes]}
    spread, chart = selectors.evenness(rows) if rows else (None, None)
    return render(request, "schools/draw_verify.html", {
        "draw": draw, "rows": rows, "rerun": rerun, "chart": chart, "spread": spread,
        "changed": draw.transfers.filter(status=ClassTransfer.Status.APPROVED).count(),
    })


# ---- teachers ----------------------------------------------------------------------------


@roles_required(*READERS)
@require_GET
def draw_teachers(request, pk):
    """The teachers of the drawn classes: as recorded, as the balanced plan would put them,
    and the between-class CV of each indicator before and after."""
    draw, _rows = _drawn(request, pk)
    classes, before, after, cv_before, cv_after = teachers.draw_teacher_plan(draw)
    return render(request, "schools/draw_teachers.html", {
        "draw": draw, "runner": can_run_draw(request.user, draw),
        "rows": [(c, before[c.pk], after[c.pk]) for c in classes],
        "measures": [(m.label, cv_before[m], cv_after[m]) for m in teachers.TEACHER_MEASURES],
    })


@roles_required(Role.PRINCIPAL)
@require_POST
def draw_teachers_assign(request, pk):
    return _act(request, pk, lambda draw: teachers.draw_teachers_assign(draw=draw, by=request.user),
                _("The teachers are assigned to the classes."))
