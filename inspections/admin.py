"""Django admin for superusers: inspector zones, read-only (the portal's zone pages change them)."""

from django.contrib import admin

from bureau.admin import ReadOnlyAdmin, ReadOnlyInline
from inspections.models import (
    ChecklistItem,
    InspectorCard,
    InspectorZone,
    MonthlyTheme,
    RectificationNotice,
    Visit,
    VisitItem,
    ZoneSchool,
)


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


class ChecklistItemInline(ReadOnlyInline):
    model = ChecklistItem
    fields = ("code", "text", "source")


@admin.register(MonthlyTheme)
class MonthlyThemeAdmin(ReadOnlyAdmin):
    list_display = ("year", "month", "title", "district")
    list_filter = ("district", "year")
    list_select_related = ("district",)
    search_fields = ("title", "items__text")
    inlines = [ChecklistItemInline]


class VisitItemInline(ReadOnlyInline):
    model = VisitItem
    fields = ("code", "text", "result", "note")


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("date", "school", "kind", "inspector", "status")
    list_filter = ("status", "kind", "school__district")
    list_select_related = ("school", "inspector")
    search_fields = ("school__name", "school__code", "inspector__name")
    # The inspectors' private notes stay out of the admin too.
    exclude = ("private_notes",)
    inlines = [VisitItemInline]


@admin.register(RectificationNotice)
class RectificationNoticeAdmin(ReadOnlyAdmin):
    list_display = ("deadline", "school", "inspector", "status")
    list_filter = ("status", "school__district")
    list_select_related = ("school", "inspector")
    search_fields = ("school__name", "school__code", "requirement")


@admin.register(InspectorCard)
class InspectorCardAdmin(ReadOnlyAdmin):
    list_display = ("user", "phone")
    list_select_related = ("user",)
    search_fields = ("user__name", "user__username")
