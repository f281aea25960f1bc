from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The registry, scope declarations, job handlers, triggers and home panels.
        from reports import home, indicators, permissions, snapshots, triggers  # noqa: F401
