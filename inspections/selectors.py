"""Reads of the inspections app. Every selector starts from `visible_to(user)`."""

from django.db.models import Count, Prefetch

from bureau.natural import natural_key
from inspections.models import InspectorZone, ZoneSchool


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
