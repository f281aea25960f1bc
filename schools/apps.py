from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools")

    def ready(self):
        # Scope declarations live beside the predicates; load them before any query runs.
        from bureau import refcache
        from schools import home, permissions, selectors  # noqa: F401
        from schools.draw import jobs  # noqa: F401
        from schools.models import SchoolYear, SchoolYearStat, Term

        # Read by nearly every page (schools.selectors.term_now, stats_school_year).
        refcache.forget_on_change("terms", Term, SchoolYear)
        refcache.forget_on_change("stats-years", SchoolYearStat, SchoolYear)
        # Figures cached per reader's reach (the home page's counts, the school list's pages).
        refcache.forget_on_change(selectors.SUMMARY_CACHE, *selectors.SUMMARY_MODELS, Term, SchoolYear)
        refcache.forget_on_change(selectors.SCHOOL_LIST_CACHE, *selectors.SCHOOL_LIST_MODELS, Term, SchoolYear)
