"""Django admin for superusers: the schools registry.

Setup data that has no portal page yet (districts, education groups, school years and
terms) is edited here with Django's own forms. The records the portal keeps through its
services, with an audit row per change (schools, statistics, classes, teachers and their
records), are read-only here: change them on the portal's pages or by import.
"""

from django.contrib import admin

from bureau.admin import ReadOnlyAdmin, ReadOnlyInline
from schools.models import (
    ConductRecord,
    District,
    EducationGroup,
    Rotation,
    School,
    SchoolClass,
    SchoolYear,
    SchoolYearStat,
    Teacher,
    TeachingAssignment,
    Term,
    TrainingRecord,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(EducationGroup)
class EducationGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "district", "lead_school")
    list_filter = ("kind", "district")
    list_select_related = ("district", "lead_school")
    search_fields = ("name",)
    autocomplete_fields = ("district", "lead_school")


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ("__str__", "start_year")
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school_year", "number", "start_date", "end_date")
    list_filter = ("school_year", "number")
    list_select_related = ("school_year",)


class SchoolYearStatInline(ReadOnlyInline):
    model = SchoolYearStat
    fields = ("school_year", "primary_students", "junior_students", "resource_met_count", "meets_resource_standard")


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "district", "stage", "location", "ownership", "group", "status")
    list_filter = ("stage", "location", "ownership", "status", "is_boarding", "is_village_full", "district")
    list_select_related = ("district", "group")
    search_fields = ("code", "name", "principal_name")
    inlines = [SchoolYearStatInline]


@admin.register(SchoolYearStat)
class SchoolYearStatAdmin(ReadOnlyAdmin):
    list_display = (
        "school", "school_year", "primary_students", "junior_students", "resource_met_count", "meets_resource_standard",
    )
    list_filter = ("school_year", "meets_resource_standard", "school__stage", "school__district")
    list_select_related = ("school", "school_year")
    search_fields = ("school__code", "school__name")


@admin.register(SchoolClass)
class SchoolClassAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "school", "term", "grade", "number", "boys", "girls", "is_starting_grade", "is_locked")
    list_filter = ("term", "grade", "is_starting_grade", "is_locked", "school__district")
    list_select_related = ("school", "term__school_year")
    search_fields = ("school__code", "school__name")


class TrainingInline(ReadOnlyInline):
    model = TrainingRecord
    fields = ("course", "hours", "date")


class RotationInline(ReadOnlyInline):
    model = Rotation
    fk_name = "teacher"
    fields = ("kind", "from_school", "to_school", "start_date", "end_date")


@admin.register(Teacher)
class TeacherAdmin(ReadOnlyAdmin):
    list_display = ("staff_number", "name", "school", "section", "subject", "education", "title", "backbone_level", "status")
    list_filter = ("status", "section", "education", "title", "backbone_level", "is_sports_arts", "district")
    list_select_related = ("school",)
    search_fields = ("staff_number", "name", "school__name", "school__code")
    inlines = [TrainingInline, RotationInline]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ("teacher", "course", "hours", "date")
    list_filter = ("date",)
    list_select_related = ("teacher",)
    search_fields = ("course", "teacher__name", "teacher__staff_number")
    date_hierarchy = "date"


@admin.register(Rotation)
class RotationAdmin(ReadOnlyAdmin):
    list_display = ("teacher", "kind", "from_school", "to_school", "start_date", "end_date")
    list_filter = ("kind",)
    list_select_related = ("teacher", "from_school", "to_school")
    search_fields = ("teacher__name", "teacher__staff_number", "from_school__name", "to_school__name")


@admin.register(ConductRecord)
class ConductRecordAdmin(ReadOnlyAdmin):
    list_display = ("teacher", "date", "is_veto")
    list_filter = ("is_veto",)
    list_select_related = ("teacher",)
    search_fields = ("teacher__name", "teacher__staff_number")


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("teacher", "school_class", "subject", "term")
    list_filter = ("term",)
    list_select_related = ("teacher", "school_class", "term__school_year")
    search_fields = ("teacher__name", "subject")

