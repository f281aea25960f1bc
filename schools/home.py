"""What the schools app shows on the home page (bureau/home.py): counts and the class-size chart."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bureau import refcache, scope
from bureau.charts import Bar, bar_chart
from bureau.home import landing, panel
from bureau.rules import BIG_CLASS, SUPER_BIG_CLASS
from schools.models import School, Teacher
from schools.permissions import can_read_schools, works_on_one_school
from schools.selectors import (
    CLASS_SIZE_BUCKETS,
    SUMMARY_CACHE,
    SUMMARY_MODELS,
    class_size_distribution,
    is_older,
    stats_school_year,
    term_now,
)


@landing
def principal_starts_at_the_school(user):
    if works_on_one_school(user) and user.school_id:
        return reverse("schools:school_detail", args=[user.school_id])
    return None


@panel(template="schools/includes/home_summary.html", order=10)
def schools_summary(user):
    """Counts for the home page, each one query, all scoped to the user; read from the cache
    (bureau.refcache.cached_for) when a reader of the same reach counted them since the last
    change to what they count (schools/apps.py; bulk writers forget everything)."""
    if not can_read_schools(user):
        return None
    now = term_now()
    term = now.term
    # The verdicts of the latest year that has statistics; the panel says when it is not the current one.
    school_year = stats_school_year(current=now.school_year)
    reach = scope.reach_key(user, *SUMMARY_MODELS)
    part = None if reach is None else f"{reach}|{term and term.pk}|{school_year and school_year.pk}"
    counts = refcache.cached_for(SUMMARY_CACHE, part, lambda: summary_counts(user, term, school_year))
    return {
        "school_year": school_year,
        "stats_outdated": is_older(school_year, now.school_year),
        "term": term,
        "term_now": now,
        **counts,
        "class_size_chart": class_size_chart(counts["distribution"]),
    }


def summary_counts(user, term, school_year):
    schools = School.objects.visible_to(user).filter(status=School.Status.OPEN)
    # The size buckets cover every size, so the term's classes are their sum: no count of its own.
    distribution = class_size_distribution(user=user, term=term) if term else []
    return {
        "schools": schools.count(),
        "teachers": Teacher.objects.visible_to(user).filter(status=Teacher.Status.ACTIVE).count(),
        "classes": sum(count for _label, count in distribution),
        "below_standard": schools.filter(
            year_stats__school_year=school_year, year_stats__meets_resource_standard=False
        ).count() if school_year else 0,
        "distribution": distribution,
    }


def class_size_chart(rows):
    """The bar chart of [(bucket label, classes)] (schools.selectors.class_size_distribution)."""
    if not any(count for _label, count in rows):
        return None
    bars = []
    for (label, count), (_l, low, _high) in zip(rows, CLASS_SIZE_BUCKETS, strict=True):
        tone = "bad" if low >= SUPER_BIG_CLASS else "warn" if low >= BIG_CLASS else "neutral"
        bars.append(Bar(label=label, value=count, tone=tone))
    title = _("Classes by size this term (big ≥ %(big)s, super-big ≥ %(super_big)s)") % {
        "big": BIG_CLASS, "super_big": SUPER_BIG_CLASS,
    }
    return bar_chart(bars, title=title, label_width=60)
