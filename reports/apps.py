from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Scope and workflow declarations, and the report jobs' handlers.
        from reports import permissions, services  # noqa: F401
