from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        # Scope declarations and the inspectors' reach; load them before any query runs.
        from bureau import refcache
        from inspections import home, jobs, permissions, reminders, selfreport_home  # noqa: F401
        from inspections.models import SelfReport, SelfReportRound
        from inspections.surveys import permissions as survey_permissions  # noqa: F401
        from schools.models import School

        refcache.forget_on_change(selfreport_home.WAITING_CACHE, SelfReport, SelfReportRound, School)
