from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools")

    def ready(self):
        # Scope declarations live beside the predicates; load them before any query runs.
        from bureau import refcache
        from schools import home, permissions  # noqa: F401
        from schools.draw import jobs  # noqa: F401
        from schools.models import SchoolYear, SchoolYearStat, Term

        # Read by nearly every page (schools.selectors.term_now, stats_school_year).
        refcache.forget_on_change("terms", Term, SchoolYear)
        refcache.forget_on_change("stats-years", SchoolYearStat, SchoolYear)
