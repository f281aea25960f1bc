"""Django admin for superusers: inspector zones, read-only (the portal's zone pages change them)."""

from django.contrib import admin

from bureau.admin import ReadOnlyAdmin, ReadOnlyInline
from inspections.models import InspectorZone, ZoneSchool


class ZoneSchoolInline(ReadOnlyInline):
    model = ZoneSchool
    fields = ("school",)


@admin.register(InspectorZone)
class InspectorZoneAdmin(ReadOnlyAdmin):
    list_display = ("name", "district")
    list_filter = ("district",)
    list_select_related = ("district",)
    search_fields = ("name", "inspectors__name", "inspectors__username")
    fields = ("district", "name", "inspectors")
    inlines = [ZoneSchoolInline]


@admin.register(ZoneSchool)
class ZoneSchoolAdmin(ReadOnlyAdmin):
    list_display = ("school", "zone")
    list_filter = ("zone__district", "zone")
    list_select_related = ("school", "zone")
    search_fields = ("school__name", "school__code", "zone__name")
