"""Reads of the inspections app. Every selector starts from `visible_to(user)`."""

from django.db.models import Count, Prefetch

from inspections.models import InspectorZone, ZoneSchool


def zone_list(*, user):
    """Zones with their schools and inspectors: three queries for any number of zones."""
    return (
        InspectorZone.objects.visible_to(user)
        .select_related("district")
        .annotate(school_count=Count("school_links", distinct=True))
        .prefetch_related(
            Prefetch("school_links", queryset=ZoneSchool.objects.select_related("school").order_by("school__code")),
            "inspectors",
        )
        .order_by("district__code", "name")
    )
