from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools")

    def ready(self):
        # Scope declarations live beside the predicates; load them before any query runs.
        from schools import home, permissions  # noqa: F401
