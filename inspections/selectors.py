"""Reads of the inspections app. Every selector starts from `visible_to(user)`."""

from django.db.models import Count, Prefetch

from bureau.natural import natural_key
from bureau.permissions import get_visible_or_404
from inspections.models import ChecklistItem, InspectorZone, MonthlyTheme, Visit, VisitItem, ZoneSchool


def zone_order(zone):
    """Zones by district, then in counting order (第一, 第二 … 第十, 第十一), not by code point."""
    return (zone.district.code, natural_key(zone.name))


def zone_list(*, user):
    """Zones with their schools and inspectors: three queries for any number of zones.

    A list, not a queryset: the database cannot sort by counting order. A district has a
    few dozen zones at most.
    """
    zones = (
        InspectorZone.objects.visible_to(user)
        .select_related("district")
        .annotate(school_count=Count("school_links", distinct=True))
        .prefetch_related(
            Prefetch("school_links", queryset=ZoneSchool.objects.select_related("school").order_by("school__code")),
            "inspectors",
        )
    )
    return sorted(zones, key=zone_order)


def my_zones(*, user):
    """The zones an inspector looks after, each with its schools, in counting order (two queries)."""
    zones = (
        InspectorZone.objects.visible_to(user)
        .select_related("district")
        .prefetch_related(
            Prefetch("school_links", queryset=ZoneSchool.objects.select_related("school").order_by("school__code")),
        )
    )
    return sorted(zones, key=zone_order)


# ---- the themed calendar -----------------------------------------------------------------


def theme_years(*, user):
    """The years that have themes in the user's districts, newest first (one query)."""
    return list(MonthlyTheme.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct())


def theme_calendar(*, user, year):
    """The year's themes of every district the user reaches, each with its checklist, by
    district then month: two queries for any number of themes."""
    return list(
        MonthlyTheme.objects.visible_to(user).filter(year=year)
        .select_related("district")
        .prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.order_by("ordering", "code")))
        .order_by("district__code", "month")
    )


def theme_for_month(*, district_id, year, month):
    return MonthlyTheme.objects.filter(district_id=district_id, year=year, month=month).first()


# ---- visits ------------------------------------------------------------------------------


def visit_list(*, user, filters=None):
    """Visits the user may see, newest first, with school, inspector and theme: one query
    (the school's filed visits only, for its principal: the scope engine says so)."""
    filters = filters or {}
    visits = Visit.objects.visible_to(user).select_related("school", "inspector", "theme").order_by("-date", "-pk")
    if filters.get("status"):
        visits = visits.filter(status=filters["status"])
    if filters.get("kind"):
        visits = visits.filter(kind=filters["kind"])
    if filters.get("school"):
        visits = visits.filter(school=filters["school"])
    return visits


def visit_detail(*, user, pk):
    """One visit the user may see, with its items and their evidence (three queries), or Http404."""
    items = Prefetch("items", queryset=VisitItem.objects.order_by("ordering", "pk").prefetch_related("evidence"))
    return get_visible_or_404(
        Visit.objects.select_related("school", "school__district", "inspector", "theme").prefetch_related(items),
        user, pk=pk,
    )
