"""Inspector zones (督学责任区): the administrator draws them and assigns schools and inspectors."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bureau.models import Role
from bureau.permissions import get_visible_or_404, roles_required
from bureau.selectors import audit_for_object
from bureau.webforms import run_service
from inspections import services as zone_services
from inspections.forms import ZoneForm
from inspections.models import InspectorZone
from inspections.selectors import zone_list as select_zones


@roles_required(Role.ADMIN)
def zone_list(request):
    form = ZoneForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        created = {}

        def action():
            created["zone"] = zone_services.zone_create(
                district=form.cleaned_data["district"], name=form.cleaned_data["name"], by=request.user
            )

        if run_service(form, action):
            messages.success(request, _("Zone %(name)s created.") % {"name": created["zone"].name})
            return redirect("inspections:zone_edit", pk=created["zone"].pk)
    return render(request, "inspections/zone_list.html", {"form": form, "zones": select_zones(user=request.user)})


@roles_required(Role.ADMIN)
def zone_edit(request, pk):
    zone = get_visible_or_404(InspectorZone.objects.select_related("district"), request.user, pk=pk)
    form = ZoneForm(request.POST or None, admin=request.user, zone=zone)
    if request.method == "POST" and form.is_valid():
        def action():
            zone_services.zone_update(zone=zone, data={
                "name": form.cleaned_data["name"], "complaint_phone": form.cleaned_data["complaint_phone"],
            }, by=request.user)
            zone_services.zone_set_schools(zone=zone, schools=form.cleaned_data["schools"], by=request.user)
            zone_services.zone_set_inspectors(zone=zone, inspectors=form.cleaned_data["inspectors"], by=request.user)

        if run_service(form, action):
            messages.success(request, _("Zone %(name)s saved.") % {"name": form.cleaned_data["name"]})
            return redirect("inspections:zone_edit", pk=zone.pk)
    return render(request, "inspections/zone_form.html", {
        "form": form, "zone": zone, "history": audit_for_object(instance=zone, user=request.user),
    })
