from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = _("Bureau")

    def ready(self):
        # Scope and workflow declarations live beside the predicates, background-job handlers
        # beside their services: load them before any query or job runs.
        from bureau import checks, middleware, notices, permissions, refcache, scope, services  # noqa: F401
        from bureau.sheets import jobs  # noqa: F401

        refcache.forget_on_change("district-children", scope.district_model())
