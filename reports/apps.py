from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Scope and workflow declarations, and the report jobs' handlers.
        from django.db.models.signals import post_migrate

        from reports import permissions, services  # noqa: F401

        post_migrate.connect(_schedules_ensure, sender=self)


def _schedules_ensure(**kwargs):
    """Beat's report entries and the assessment's default criteria: made once, then data."""
    from reports.periodic.assessment import criteria_ensure
    from reports.schedules import schedules_ensure

    schedules_ensure()
    criteria_ensure()
