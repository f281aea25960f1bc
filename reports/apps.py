from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Scope and workflow declarations, the report jobs' handlers, the indicator registry,
        # the snapshot job handlers, triggers and home panels.
        from django.db.models.signals import post_migrate

        from reports import home, indicators, permissions, services, snapshots, triggers  # noqa: F401

        post_migrate.connect(_schedules_ensure, sender=self)


def _schedules_ensure(**kwargs):
    """Beat's report entries and the assessment's default criteria: made once, then data."""
    from reports.periodic.assessment import criteria_ensure
    from reports.schedules import schedules_ensure

    schedules_ensure()
    criteria_ensure()
