"""The unannounced draw (双随机): the inspection office draws schools and inspectors; the
bureau reads the draws with their seed, inputs and result, and the check that a re-run agrees."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau.models import Role
from bureau.permissions import BUREAU, roles_required
from bureau.selectors import audit_for_object
from bureau.webforms import run_service
from inspections import selectors
from inspections import services as draw_services
from inspections.forms import DrawForm
from inspections.permissions import can_plan_inspections
from schools.models import School


def _list_page(request, form=None, status=200):
    districts = selectors.planner_districts(request.user)
    if districts and form is None:
        form = DrawForm(districts=districts)
    return render(request, "inspections/draw_list.html", {
        "draws": selectors.draw_list(user=request.user)[:100], "form": form if districts else None,
    }, status=status)


@roles_required(*BUREAU)
@require_GET
def draw_list(request):
    return _list_page(request)


@roles_required(Role.ADMIN, Role.STAFF)
@require_POST
def draw_create(request):
    if not can_plan_inspections(request.user):
        raise PermissionDenied
    form = DrawForm(request.POST, districts=selectors.planner_districts(request.user))
    made = {}

    def action():
        data = form.cleaned_data
        made["draw"] = draw_services.draw_make(
            district=data["district"], title=data["title"], by=request.user,
            share=Decimal(data["percent"]) / 100 if data["percent"] is not None else None, count=data["count"],
            stage=data["stage"], zone=data["zone"], inspectors_per_school=data["inspectors_per_school"],
            seed=data["seed"],
        )

    if form.is_valid() and run_service(form, action):
        messages.success(request, _("Drawn: the schools below do not learn of it until each visit is filed."))
        return redirect("inspections:draw_detail", pk=made["draw"].pk)
    return _list_page(request, form, status=400)


@roles_required(*BUREAU)
@require_GET
def draw_detail(request, pk):
    draw = selectors.draw_detail(user=request.user, pk=pk)
    rows = {}
    for assignment in draw.assignments.all():
        rows.setdefault((assignment.position, assignment.school), []).append(assignment.inspector)
    return render(request, "inspections/draw_detail.html", {
        "draw": draw, "rows": [(school, inspectors) for (_n, school), inspectors in sorted(rows.items(),
                                                                                         key=lambda r: r[0][0])],
        "stage_label": dict(School._meta.get_field("stage").choices).get(draw.stage, ""),
        "agrees": draw_services.draw_rerun(draw),
        "history": audit_for_object(instance=draw, user=request.user),
    })
