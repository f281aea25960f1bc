"""The themed calendar (督导随访主题): every reader sees the year; the 督导室 keeps it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bureau.errors import DomainError
from bureau.models import Role
from bureau.permissions import get_visible_or_404, roles_required
from bureau.selectors import audit_for_object
from bureau.webforms import run_service
from inspections import selectors
from inspections import services as theme_services
from inspections.forms import ChecklistFormSet, ThemeForm, YearForm
from inspections.models import MonthlyTheme
from inspections.permissions import THEME_READERS, can_plan_inspections

KEEPER_ROLES = (Role.ADMIN, Role.STAFF)


def _year(request):
    form = YearForm(request.GET or None)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


def _calendar_url(year):
    return f"{reverse('inspections:theme_list')}?year={year}"


def _require_keeper(user):
    # Asked before any record is loaded: a department that does not keep the calendar is
    # refused (403) whatever it asks for.
    if not can_plan_inspections(user):
        raise PermissionDenied


@roles_required(*THEME_READERS)
@require_GET
def theme_list(request):
    year = _year(request)
    themes = selectors.theme_calendar(user=request.user, year=year)
    by_district = {}
    for theme in themes:
        by_district.setdefault(theme.district, []).append(theme)
    keeps = selectors.planner_districts(request.user)
    for district in keeps:
        by_district.setdefault(district, [])
    return render(request, "inspections/theme_list.html", {
        "year": year,
        "years": sorted(set(selectors.theme_years(user=request.user)) | {year, year + 1}, reverse=True),
        "districts": sorted(by_district.items(), key=lambda pair: pair[0].code),
        "keeps": {d.pk for d in keeps},
    })


@roles_required(*THEME_READERS)
@require_GET
def theme_detail(request, pk):
    theme = get_visible_or_404(MonthlyTheme.objects.select_related("district").prefetch_related("items"),
                               request.user, pk=pk)
    return _theme_page(request, theme)


def _theme_page(request, theme, form=None, formset=None):
    keeps = can_plan_inspections(request.user, theme.district_id)
    if keeps:
        form = form or ThemeForm(theme=theme, initial={"title": theme.title, "description": theme.description})
        formset = formset or ChecklistFormSet(
            prefix="items", initial=[{"code": i.code, "text": i.text, "source": i.source} for i in theme.items.all()]
        )
    return render(request, "inspections/theme_detail.html", {
        "theme": theme, "form": form, "formset": formset, "keeps": keeps,
        "history": audit_for_object(instance=theme, user=request.user),
    }, status=400 if form is not None and form.is_bound else 200)


@roles_required(*KEEPER_ROLES)
@require_POST
def theme_save(request, pk):
    _require_keeper(request.user)
    theme = get_visible_or_404(MonthlyTheme.objects.select_related("district").prefetch_related("items"),
                               request.user, pk=pk)
    form = ThemeForm(request.POST, theme=theme)
    formset = ChecklistFormSet(request.POST, prefix="items")
    if form.is_valid() and formset.is_valid():
        items = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

        def action():
            theme_services.theme_update(theme=theme, data=form.cleaned_data, by=request.user)
            theme_services.theme_set_items(theme=theme, items=items, by=request.user)

        if run_service(form, action):
            messages.success(request, _("Theme %(month)s saved.") % {"month": theme.month})
            return redirect("inspections:theme_detail", pk=theme.pk)
    return _theme_page(request, theme, form, formset)


def _district_from(request, data):
    try:
        pk = int(data.get("district", ""))
    except ValueError:
        return None
    return next((d for d in selectors.planner_districts(request.user) if d.pk == pk), None)


@roles_required(*KEEPER_ROLES)
def theme_create(request):
    _require_keeper(request.user)
    data = request.POST if request.method == "POST" else request.GET
    district, year_form = _district_from(request, data), YearForm(data)
    if district is None or not year_form.is_valid():
        messages.error(request, _("Choose a district and a year of the calendar first."))
        return redirect("inspections:theme_list")
    year = year_form.cleaned_data["year"]
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = {}

        def action():
            made["theme"] = theme_services.theme_create(
                district=district, year=year, month=form.cleaned_data["month"], title=form.cleaned_data["title"],
                description=form.cleaned_data["description"], by=request.user,
            )

        if run_service(form, action):
            messages.success(request, _("Theme added: add its checklist items."))
            return redirect("inspections:theme_detail", pk=made["theme"].pk)
    return render(request, "inspections/theme_create.html", {"form": form, "district": district, "year": year},
                  status=400 if form.is_bound else 200)


def _year_action(request, service, done):
    district, year_form = _district_from(request, request.POST), YearForm(request.POST)
    if district is None or not year_form.is_valid():
        messages.error(request, _("Choose a district and a year of the calendar first."))
        return redirect("inspections:theme_list")
    year = year_form.cleaned_data["year"]
    try:
        made = service(district=district, year=year, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(_calendar_url(year))
    messages.success(request, done(len(made), year))
    return redirect(_calendar_url(year + 1 if service is theme_services.theme_year_copy else year))


@roles_required(*KEEPER_ROLES)
@require_POST
def theme_load_defaults(request):
    _require_keeper(request.user)
    return _year_action(request, theme_services.theme_defaults_load, lambda n, year: _(
        "%(n)s default themes loaded into %(year)s (months set already were kept).") % {"n": n, "year": year})


@roles_required(*KEEPER_ROLES)
@require_POST
def theme_copy_year(request):
    _require_keeper(request.user)
    return _year_action(request, theme_services.theme_year_copy, lambda n, year: _(
        "%(n)s themes copied from %(year)s to %(next)s.") % {"n": n, "year": year, "next": year + 1})
