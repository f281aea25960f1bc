"""Django admin for superusers: accounts, departments and the audit trail.

The portal's own pages (with their services and audit rows) are where records change;
the admin is a superuser's window on the data. Domain records are shown read-only
(ReadOnlyAdmin); accounts and departments keep Django's own forms.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from bureau.models import AuditLog, CalendarDay, Department, ImportJob, Job, User
from bureau.sheets.registry import kind_label


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: nothing is added, changed or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        # Shown, never edited: computed (non-editable) fields need this to be listed at all.
        return self.fields or [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


SCOPE_FIELDS = ("role", "name", "mobile", "department", "district", "school", "inspector_kind")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "name", "role", "department", "district", "school", "is_active", "is_superuser", "last_login")
    list_filter = ("role", "is_active", "is_superuser", "department", "inspector_kind", "district")
    list_select_related = ("department", "district", "school")
    search_fields = ("username", "name", "mobile", "email")
    autocomplete_fields = ("district", "school")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Role and scope"), {"fields": SCOPE_FIELDS}),
        (_("Contact"), {"fields": ("email",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Role and scope"), {"fields": SCOPE_FIELDS}),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "ordering")
    list_editable = ("ordering",)
    search_fields = ("name", "code")


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """The audit trail is evidence: nobody edits or deletes it, superusers included."""

    list_display = ("at", "actor", "action", "content_type", "object_repr", "note")
    list_filter = ("action", "content_type")
    list_select_related = ("actor", "content_type")
    search_fields = ("object_repr", "object_id", "actor__username", "actor__name", "note")
    date_hierarchy = "at"
    fields = ("at", "actor", "action", "content_type", "object_id", "object_repr", "changes", "note")
    readonly_fields = fields


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    """Calendar days are kept on the portal's calendar page, whose services check who may
    change which district's days and audit each change."""

    list_display = ("date", "kind", "name", "district", "source")
    list_filter = ("kind", "district")
    list_select_related = ("district",)
    search_fields = ("name", "source")
    date_hierarchy = "date"
    fields = ("date", "kind", "name", "district", "source")
    readonly_fields = fields


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Uploaded spreadsheets move through the portal's import pages, never here."""

    list_display = ("original_name", "kind_name", "status", "created_by", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("created_by",)

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, job):
        return kind_label(job.kind)


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Every background job of every kind: what it is, how it stands, how often it was tried
    and why it last failed. The job kit (bureau/jobs.py) moves them; nobody edits them here."""

    list_display = ("kind", "key", "state", "attempts", "max_attempts", "created_at", "heartbeat_at", "short_error")
    list_filter = ("state", "kind")
    search_fields = ("key", "kind", "last_error")
    date_hierarchy = "created_at"
    fields = (
        "kind", "key", "payload", "state", "attempts", "max_attempts", "created_at", "run_after", "sent_at",
        "started_at", "heartbeat_at", "finished_at", "last_error",
    )
    readonly_fields = fields

    @admin.display(description=_("last error"))
    def short_error(self, job):
        return job.last_error[:120]
