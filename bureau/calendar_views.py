"""The administrator's working-day calendar: the year at a glance, and its special days.

Each view: access helper (404 outside the administrator's districts) → form → service →
redirect or render. bureau.calendar_services checks the administrator's rights again.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from bureau import calendar_services
from bureau.calendar import calendar_year, calendar_years_loaded
from bureau.calendar_forms import CalendarDayForm, district_model, keepable_districts
from bureau.models import CalendarDay, Role
from bureau.permissions import (
    can_keep_calendar,
    get_visible_or_404,
    require,
    roles_required,
    scope_district_ids,
)
from bureau.webforms import run_service

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def _district(request):
    """The district whose calendar is shown: `?district=<pk>` (empty: the national
    calendar), by default the administrator's own; another district's answers 404."""
    raw = request.GET.get("district")
    if raw is None:
        raw = request.user.district_id
    if not raw:
        return None
    if not str(raw).isdigit():
        raise Http404  # an unparsable id is a missing record, as for any pk
    return get_visible_or_404(district_model().objects, request.user, pk=int(raw))


def _shown_after_adding(day, district):
    """The district to show after adding `day`: the one shown, if the day counts there."""
    counts_for_shown = day.district_id is None or (
        district is not None and day.district_id in (district.pk, district.parent_id)
    )
    return district if counts_for_shown else day.district


@dataclass
class DayRun:
    """Consecutive special days read as one line (春节 02-15 – 02-23), as notices print them."""

    first: object  # the first CalendarDay; its kind, name and district stand for the run
    last: object
    count: int


def _runs(days):
    """The year's special days, runs of consecutive days that the user may not change and
    that are alike (kind, name, district, replaced or not) shown as one line each; a day
    the user may change keeps its own line, with its edit and delete buttons. A district's
    day between two national ones of the same date does not break the national run."""
    runs, open_runs = [], {}
    for day in days:
        key = (day.kind, day.name, day.district_id, day.overridden)
        run = open_runs.get(key)
        if (
            run is not None and not day.can_change and not run.last.can_change
            and day.date - run.last.date == datetime.timedelta(days=1)
        ):
            run.last, run.count = day, run.count + 1
            continue
        run = DayRun(first=day, last=day, count=1)
        runs.append(run)
        open_runs[key] = run
    return runs


def calendar_url(*, year, district):
    query = {"year": year, "district": getattr(district, "pk", district) or ""}
    return f"{reverse('accounts:calendar')}?{urlencode(query)}"


@roles_required(Role.ADMIN)
def calendar(request):
    year = _year(request.GET.get("year"))
    district = _district(request)
    form = CalendarDayForm(
        request.POST or None, user=request.user, initial={"district": getattr(district, "pk", None)}
    )
    if request.method == "POST" and form.is_valid():
        day = run_service(form, lambda: calendar_services.calendar_day_create(data=form.day_data(), by=request.user))
        if day:
            messages.success(request, _("%(day)s added to the calendar.") % {"day": day})
            return redirect(calendar_url(year=day.date.year, district=_shown_after_adding(day, district)))
    data = calendar_year(year=year, district=district)
    for day in data.special_days:
        day.can_change = can_keep_calendar(request.user, day)
    loaded = calendar_years_loaded()
    this_year = timezone.localdate().year
    years = sorted({*loaded, this_year, this_year + 1, year})
    return render(request, "accounts/calendar.html", {
        "calendar": data,
        "runs": _runs(data.special_days),
        "district": district,
        "form": form,
        "years": years,
        "loaded_years": loaded,
        "previous_year": max(year - 1, FIRST_YEAR),
        "next_year": min(year + 1, LAST_YEAR),
        "districts": keepable_districts(request.user),
        # Read from the scope the request has already loaded: no query when nothing to switch.
        "many_districts": request.user.is_superuser or len(scope_district_ids(request.user)) > 1,
        # Own context: Django's catalogue says 星期一 for "Mon"; a month grid wants 一.
        "weekdays": [
            pgettext("calendar column", "Mon"), pgettext("calendar column", "Tue"),
            pgettext("calendar column", "Wed"), pgettext("calendar column", "Thu"),
            pgettext("calendar column", "Fri"), pgettext("calendar column", "Sat"),
            pgettext("calendar column", "Sun"),
        ],
    })


@roles_required(Role.ADMIN)
def calendar_day_edit(request, pk):
    day = get_visible_or_404(CalendarDay.objects.select_related("district"), request.user, pk=pk)
    # Visible is not enough: a national or city day is shown to a district's administrator
    # but kept by a superuser or the city.
    require(can_keep_calendar(request.user, day))
    form = CalendarDayForm(request.POST or None, user=request.user, instance=day)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: calendar_services.calendar_day_update(day=day, data=form.day_data(), by=request.user)
        )
        if saved:
            messages.success(request, _("%(day)s saved.") % {"day": saved})
            return redirect(calendar_url(year=saved.date.year, district=saved.district_id))
    return render(request, "accounts/calendar_day_form.html", {"form": form, "day": day})


@roles_required(Role.ADMIN)
@require_POST
def calendar_day_delete(request, pk):
    day = get_visible_or_404(CalendarDay.objects.select_related("district"), request.user, pk=pk)
    require(can_keep_calendar(request.user, day))
    calendar_services.calendar_day_delete(day=day, by=request.user)
    messages.success(request, _("%(day)s deleted from the calendar.") % {"day": day})
    return redirect(calendar_url(year=day.date.year, district=day.district_id))
