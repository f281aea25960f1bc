from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        # Scope and workflow declarations and the home panels; load them before any query runs.
        from bureau import refcache
        from bureau.models import CalendarDay
        from complaints import home, panels, permissions, reminders, retention  # noqa: F401
        from complaints.models import Complaint
        from schools.models import School

        # The home page's due counts: what is due, and when "tomorrow" is (a school's district).
        refcache.forget_on_change(home.DUE_CACHE, Complaint, CalendarDay, School)
