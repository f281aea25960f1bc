from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        # Scope and workflow declarations and the home panels; load them before any query runs.
        from complaints import home, panels, permissions, reminders, retention  # noqa: F401
