from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = _("Bureau")

    def ready(self):
        # Scope declarations live beside the predicates; load them before any query runs.
        from bureau import checks, permissions  # noqa: F401
