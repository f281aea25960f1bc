from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        # Scope declarations and the inspectors' reach; load them before any query runs.
        from inspections import home, jobs, permissions, reminders, selfreport_home  # noqa: F401
        from inspections.surveys import permissions as survey_permissions  # noqa: F401
