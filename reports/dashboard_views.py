"""Dashboards: district, city, zone, school and class, the targets board, the refresh.

Every page reads snapshots only (reports/selectors.py), in a fixed number of queries, and
says when its figures were computed. The scope's own record is loaded first through the
scope engine (404 for missing and forbidden alike); `?export=<table>` sends the table as xlsx.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from bureau.charts import Series, line_chart
from bureau.errors import DomainError
from bureau.home import record_panels_for
from bureau.models import Role
from bureau.permissions import get_visible_or_404, roles_required
from bureau.rules import RESOURCE_CV
from complaints.models import Complaint
from inspections.models import InspectorZone
from inspections.selectors import zone_order
from reports import selectors
from reports.charts import bucket_chart, cv_chart
from reports.exports import xlsx_response
from reports.forms import TargetForm
from reports.indicators import CITY, CLASS, DISTRICT, REGISTRY, SCHOOL, STAGES, ZONE
from reports.models import Target
from reports.permissions import BUREAU_READERS, SCHOOL_READERS, ZONE_READERS, can_refresh, can_set_targets
from reports.snapshots import snapshots_enqueue
from reports.targets import target_board, target_create
from schools.models import District, School, SchoolClass

# The columns of the side-by-side tables (zones of a district, schools of a zone, districts
# of a city): the figures a reader compares units by.
SIDE_BY_SIDE = (
    ("schools_meeting_resources", "primary"), ("schools_meeting_resources", "junior"),
    ("big_class_share", ""), ("super_big_classes", ""), ("certified_teachers", ""), ("rotation_share", ""),
    ("computers", ""), ("visits_monthly", ""), ("notices_overdue", ""), ("complaints_per_1000", ""),
    ("burden.all", ""), ("survey.satisfaction", ""), ("survey.no_tutoring", ""),
)
SCHOOL_SIDE_BY_SIDE = (
    ("resource_met", "primary"), ("resource_met", "junior"), ("big_classes", ""), ("super_big_classes", ""),
    ("certified_teachers", ""), ("rotation_share", ""), ("computers", ""), ("visits_monthly", ""),
    ("notices_overdue", ""), ("complaints", ""), ("burden.all", ""), ("survey.satisfaction", ""),
    ("survey.no_tutoring", ""),
)
TRENDS = (("complaints", gettext_lazy("Complaints received")), ("visits", gettext_lazy("Visits filed")),
          ("notices_overdue", gettext_lazy("Overdue rectification notices")))
FAILING_SHOWN = 40


def _columns(spec):
    return [(REGISTRY[code], stage) for code, stage in spec]


def _side_by_side(units, values, spec):
    """[(unit, [(shown, met, value)])] for a side-by-side table: the figure as the page shows it,
    whether it meets its standard, and unrounded (for the xlsx)."""
    columns = _columns(spec)
    table = []
    for unit in units:
        own = values.get(unit.pk, {})
        cells = []
        for indicator, stage in columns:
            snapshot = own.get((indicator.code, stage))
            value = snapshot.value if snapshot else None
            cells.append((selectors.display(value, indicator.places), indicator.is_met(value, stage), value))
        table.append((unit, cells))
    return columns, table


def _computed_at(values):
    return max((s.computed_at for s in values.values()), default=None)


def _base(request, *, term_list, area_id, scope_values):
    return {"terms": term_list, "computed_at": _computed_at(scope_values),
            "fresh": selectors.freshness(area_id=area_id), "can_refresh": can_refresh(request.user)}


def _term(request):
    term_list = selectors.terms()
    return term_list, selectors.period(term_list, request.GET.get("term"))


def _cv_charts(values):
    return [cv_chart(stage_label=stage_label, limit=RESOURCE_CV.threshold_for(stage),
                     rows=[(r.indicator.code.split(".", 1)[1], r.value, r.shown, r.met) for r in rows])
            for stage_label, stage, rows in selectors.resource_rows(values, prefix="cv.")]


def _float(value):
    return None if value is None else float(value)


def _trend_charts(history, scope_id, term_list):
    charts = []
    terms = [t for t in reversed(term_list)]
    for code, title in TRENDS:
        points = dict(history.get((scope_id, code, ""), []))
        if not points:
            continue
        shown = [t for t in terms if t in points]
        series = [Series(str(title), [_float(points[t]) for t in shown], places=REGISTRY[code].places)]
        charts.append(line_chart(series, labels=[f"{t.school_year.start_year}-{t.number}" for t in shown],
                                 title=str(title)))
    return charts


def _export_rows(rows):
    return [[r.indicator.name, r.stage_label, r.value, r.standard, r.indicator.source,
             "" if r.met is None else (_("Met") if r.met else _("Not met"))] for r in rows]


INDICATOR_HEADERS = (gettext_lazy("Indicator"), gettext_lazy("Stage"), gettext_lazy("Value"),
                     gettext_lazy("Standard"), gettext_lazy("Source"), gettext_lazy("Met"))


@roles_required(*SCHOOL_READERS)
def mine(request):
    """Where the menu's entry leads: a district's bureau its district, a city's its districts
    side by side, an inspector its first zone, a principal its school."""
    user = request.user
    if user.role in BUREAU_READERS:
        if District.objects.filter(pk=user.district_id, level=District.Level.DISTRICT).exists():
            return redirect("reports:district", pk=user.district_id)
        return redirect("reports:city")
    if user.role == Role.PRINCIPAL and user.school_id:
        return redirect("reports:school", pk=user.school_id)
    zone = min(InspectorZone.objects.filter(inspectors=user).select_related("district"), key=zone_order, default=None)
    if zone is None:
        raise Http404
    return redirect("reports:zone", pk=zone.pk)


@roles_required(*BUREAU_READERS)
def district(request, pk):
    district = get_visible_or_404(District.objects.filter(level=District.Level.DISTRICT), request.user, pk=pk)
    term_list, term = _term(request)
    values = selectors.scope_values(level=DISTRICT, scope_id=pk, term=term)
    table = selectors.indicator_rows(values, level=DISTRICT)
    cvs = selectors.resource_rows(values, prefix="cv.")
    zones = sorted(InspectorZone.objects.filter(district=district).select_related("district"), key=zone_order)
    zone_values = selectors.below_values(level=ZONE, term=term, district=district,
                                         indicators=[c for c, _s in SIDE_BY_SIDE])
    columns, zone_table = _side_by_side(zones, zone_values, SIDE_BY_SIDE)
    by_school = selectors.below_values(level=SCHOOL, term=term, district=district,
                                       indicators=selectors.ruled_codes())
    failing = selectors.failing_rules(by_school)
    names = dict(School.objects.filter(pk__in=list(failing)).values_list("pk", "name"))
    failing_list = sorted(((names.get(sid, sid), sid, rows) for sid, rows in failing.items()),
                          key=lambda item: (-len(item[2]), str(item[0])))
    export = request.GET.get("export")
    if export == "indicators":
        return xlsx_response(title=_("Indicators"), headers=INDICATOR_HEADERS,
                             rows=_export_rows([r for _g, rows in table for r in rows]))
    if export == "cv":
        return xlsx_response(title=_("Between-school CV"), headers=INDICATOR_HEADERS,
                             rows=_export_rows([r for _l, _s, rows in cvs for r in rows]))
    if export == "failing":
        return xlsx_response(title=_("Schools below standard"), headers=(_("School"), *INDICATOR_HEADERS),
                             rows=[[name, *row] for name, _sid, rows in failing_list for row in _export_rows(rows)])
    if export == "zones":
        return xlsx_response(title=_("Zones"), headers=(_("Zone"), *[f"{i.name} {s}" for i, s in columns]),
                             rows=[[z.name, *[c[2] for c in cells]] for z, cells in zone_table])
    history = selectors.trends(level=DISTRICT, scope_ids=[pk], indicators=[c for c, _t in TRENDS])
    buckets = [(i, REGISTRY[f"class_bucket.{i}"].name, values[(f"class_bucket.{i}", "")].value)
               for i in range(9) if (f"class_bucket.{i}", "") in values]
    context = _base(request, term_list=term_list, area_id=selectors.area_of(district), scope_values=values)
    context.update({
        "district": district, "term": term, "table": table, "cvs": cvs, "cv_charts": _cv_charts(values),
        "verdicts": [(stage, values.get(("resource_verdict", stage))) for stage in STAGES],
        "columns": columns, "zone_table": zone_table, "failing": failing_list[:FAILING_SHOWN],
        "failing_more": max(0, len(failing_list) - FAILING_SHOWN),
        "bucket_chart": bucket_chart(buckets),
        "trend_charts": _trend_charts(history, pk, term_list),
        "board": target_board(targets=Target.objects.visible_to(request.user).filter(district=district, zone=None)),
        "can_set_targets": can_set_targets(request.user),
    })
    return render(request, "reports/district.html", context)


@roles_required(*BUREAU_READERS)
def city(request):
    """The districts the user reaches, side by side (a city account: all its districts)."""
    districts = list(District.objects.visible_to(request.user).filter(level=District.Level.DISTRICT).order_by("code"))
    term_list, term = _term(request)
    values = selectors.below_values(level=DISTRICT, term=term, district__in=[d.pk for d in districts],
                                    indicators=[c for c, _s in SIDE_BY_SIDE])
    columns, table = _side_by_side(districts, values, SIDE_BY_SIDE)
    if request.GET.get("export") == "districts":
        return xlsx_response(title=_("Districts"), headers=(_("District"), *[f"{i.name} {s}" for i, s in columns]),
                             rows=[[d.name, *[c[2] for c in cells]] for d, cells in table])
    area_id = request.user.district_id
    own = selectors.scope_values(level=CITY, scope_id=area_id, term=term) if area_id else {}
    context = _base(request, term_list=term_list, area_id=area_id, scope_values=own)
    context.update({"term": term, "columns": columns, "table": table,
                    "city_table": selectors.indicator_rows(own, level=CITY), "cvs": selectors.resource_rows(
                        own, prefix="cv.")})
    return render(request, "reports/city.html", context)


@roles_required(*ZONE_READERS)
def zone(request, pk):
    zone = get_visible_or_404(InspectorZone.objects.select_related("district"), request.user, pk=pk)
    term_list, term = _term(request)
    values = selectors.scope_values(level=ZONE, scope_id=pk, term=term)
    schools = list(School.objects.filter(zone_link__zone=zone).order_by("code"))
    school_values = selectors.below_values(level=SCHOOL, term=term, zone=zone,
                                           indicators=[c for c, _s in SCHOOL_SIDE_BY_SIDE])
    columns, table = _side_by_side(schools, school_values, SCHOOL_SIDE_BY_SIDE)
    if request.GET.get("export") == "schools":
        return xlsx_response(title=zone.name, headers=(_("School"), *[f"{i.name} {s}" for i, s in columns]),
                             rows=[[s.name, *[c[2] for c in cells]] for s, cells in table])
    context = _base(request, term_list=term_list, area_id=selectors.area_of(zone.district), scope_values=values)
    context.update({"zone": zone, "term": term, "columns": columns, "table": table,
                    "zone_table": selectors.indicator_rows(values, level=ZONE)})
    return render(request, "reports/zone.html", context)


@roles_required(*SCHOOL_READERS)
def school(request, pk):
    school = get_visible_or_404(School.objects.select_related("district", "zone_link__zone"), request.user, pk=pk)
    term_list, term = _term(request)
    values = selectors.scope_values(level=SCHOOL, scope_id=pk, term=term)
    district_values = selectors.scope_values(level=DISTRICT, scope_id=school.district_id, term=term)
    table = selectors.indicator_rows(values, level=SCHOOL, compare=district_values)
    resources = selectors.resource_rows(values, prefix="res.", compare=district_values)
    for _label, stage, rows in resources:
        for row in rows:
            share = values.get((f"cvshare.{row.indicator.code[4:]}", stage))
            row.share = selectors.display(share.value, 1) if share is not None else ""
    if request.GET.get("export") == "indicators":
        rows = [r for _g, rs in table for r in rs] + [r for _l, _s, rs in resources for r in rs]
        return xlsx_response(title=school.name, headers=(*INDICATOR_HEADERS, _("District")),
                             rows=[[*line, r.compare] for line, r in zip(_export_rows(rows), rows, strict=True)])
    classes = selectors.below_values(level=CLASS, term=term, school=school, indicators=["class_size"])
    class_list = list(SchoolClass.objects.filter(pk__in=list(classes)).order_by("grade", "number"))
    context = _base(request, term_list=term_list, area_id=selectors.area_of(school.district), scope_values=values)
    context.update({
        "school": school, "term": term, "table": table, "resources": resources,
        "shares": True,
        "classes": [(c, next(iter(classes[c.pk].values()))) for c in class_list],
        "class_standard": REGISTRY["class_size"],
        "record_panels": record_panels_for("school", request.user, school),
        "complaints": list(Complaint.objects.visible_to(request.user).filter(school=school)
                           .only("pk", "tracking_number", "category", "status", "received_at", "school_id")
                           .order_by("-received_at")[:20]),
    })
    return render(request, "reports/school.html", context)


@roles_required(*SCHOOL_READERS)
def school_class(request, pk):
    school_class = get_visible_or_404(SchoolClass.objects.select_related("school", "term__school_year"),
                                      request.user, pk=pk)
    values = selectors.scope_values(level=CLASS, scope_id=pk, term=school_class.term)
    school_values = selectors.scope_values(level=SCHOOL, scope_id=school_class.school_id, term=school_class.term)
    rows = selectors.indicator_rows(values, level=CLASS)
    stage = school_class.section
    equipment = school_values.get(("class_equipment_cv", stage))
    return render(request, "reports/class.html", {
        "school_class": school_class, "rows": rows, "computed_at": _computed_at(values),
        "per_student": (school_class.equipment_value / school_class.size) if school_class.size else None,
        "equipment_cv": selectors.display(equipment.value, 3) if equipment else "—",
        "equipment_cv_met": REGISTRY["class_equipment_cv"].is_met(equipment.value if equipment else None, stage),
        "equipment_standard": REGISTRY["class_equipment_cv"],
    })


@roles_required(*BUREAU_READERS)
def targets(request):
    """The targets board of the user's districts, and the form to set one in its district."""
    user = request.user
    district = user.district if user.district_id and user.district.level == District.Level.DISTRICT else None
    may_set = district is not None and can_set_targets(user)
    form = TargetForm(request.POST or None, district=district) if may_set else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                target_create(data={**form.cleaned_data, "district": district}, by=user)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The target is on the board."))
                return redirect("reports:targets")
    board = target_board(targets=Target.objects.visible_to(user).select_related("district"))
    if request.GET.get("export") == "targets":
        return xlsx_response(title=_("Targets"), headers=(
            _("District"), _("Indicator"), _("Target"), _("Baseline"), pgettext("target", "Deadline"), _("Current"), _("Status"),
            _("Department"), _("Source")), rows=[
                [r.target.district.name, r.indicator.name, r.goal, r.target.baseline, r.target.deadline.isoformat(),
                 r.current, r.status_label, r.target.department.name, r.target.source] for r in board])
    return render(request, "reports/targets.html", {
        "district": district, "board": board, "form": form, "can_set_targets": may_set,
        "charts": [_target_chart(row) for row in board],
    }, status=400 if request.method == "POST" else 200)


def _target_chart(row):
    if len(row.history) < 1:
        return ""
    labels = [f"{t.school_year.start_year}-{t.number}" for t, _v in row.history]
    series = [Series(str(row.indicator.name), [_float(v) for _t, v in row.history], places=row.indicator.places)]
    return line_chart(series, labels=labels, title=str(row.indicator.name), reference=float(row.target.value),
                      reference_label=row.goal)


@roles_required(*BUREAU_READERS)
@require_POST
def refresh(request, pk):
    """Ask for fresh snapshots of the district's area now (one job per area at most)."""
    district = get_visible_or_404(District.objects.filter(level=District.Level.DISTRICT), request.user, pk=pk)
    snapshots_enqueue(area_id=selectors.area_of(district))
    messages.success(request, _("The figures are being computed again; this page shows the progress."))
    return redirect("reports:district", pk=district.pk)


@roles_required(*BUREAU_READERS)
def refresh_status(request, pk):
    """The refresh job's progress, for the page's script (static/js/portal.js jobProgress)."""
    district = get_visible_or_404(District.objects.filter(level=District.Level.DISTRICT), request.user, pk=pk)
    fresh = selectors.freshness(area_id=selectors.area_of(district))
    progress = fresh["progress"] or {}
    steps = (progress.get("terms") or 1) * (progress.get("steps") or 1)
    done = (progress.get("term") or 0) * (progress.get("steps") or 1) + (progress.get("step") or 0)
    running = fresh["job"] is not None
    return JsonResponse({"running": running, "status": "running" if running else "done", "processed": done,
                         "total": steps, "percent": round(100 * done / steps) if steps else 0, "run": None})
