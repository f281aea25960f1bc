"""An inspector's month (its zones' schools, visits done and due, open and overdue notices)
and, for the bureau, the load per inspector."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bureau.models import Role
from bureau.permissions import BUREAU, roles_required
from inspections import selectors
from inspections.forms import VisitStartForm
from inspections.models import VisitKind


@roles_required(Role.INSPECTOR)
@require_GET
def my_month(request):
    today = timezone.localdate()
    zones = selectors.inspector_month(user=request.user, today=today)
    overdue = list(selectors.notice_list(user=request.user, filters={"overdue": True})[:50])
    rows = [row for _zone, rows in zones for row in rows]
    return render(request, "inspections/my_month.html", {
        "today": today, "zones": zones, "overdue": overdue,
        "done": sum(1 for row in rows if not row.due), "due": sum(1 for row in rows if row.due),
        "kinds": VisitKind.choices, "start_form": VisitStartForm(user=request.user),
        "drawn": selectors.my_draw_assignments(user=request.user),
    })


@roles_required(*BUREAU)
@require_GET
def inspector_load(request):
    today = timezone.localdate()
    return render(request, "inspections/inspector_load.html", {
        "today": today, "loads": selectors.inspector_load(user=request.user, today=today),
    })
