"""The yearly bulletin on students' physical health (seed 001: 体质健康测试 published every
year, excellent and good at least 40 %): tested, excellent, good and pass rates and myopia,
per school, per stage and for the district, against the target.

The bulletin of year Y reads the school year that ends in it (start year Y − 1), whose tests
are done. Counts only: no student appears in it. Two grouped queries.
"""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from bureau.rules import HEALTH_GOOD_RATE
from reports import periodic
from reports.periodic import periods
from schools.models import School, SchoolYearStat

COUNTS = ("health_tested", "health_excellent", "health_good", "health_pass", "myopia")


def _rates(row):
    tested = row["health_tested"] or 0
    share = (lambda n: round(100 * n / tested, 1)) if tested else (lambda n: None)
    good = (row["health_excellent"] or 0) + (row["health_good"] or 0)
    passed = good + (row["health_pass"] or 0)
    rate = share(good)
    return {**{key: row[key] or 0 for key in COUNTS}, "excellent_rate": share(row["health_excellent"] or 0),
            "good_rate": rate, "pass_rate": share(passed), "myopia_rate": share(row["myopia"] or 0),
            "meets": None if rate is None else HEALTH_GOOD_RATE.is_met(rate, "all")}


def gather(*, district, zone, period):
    stats = SchoolYearStat.objects.filter(school__district=district, school_year__start_year=period.start.year - 1,
                                          health_tested__gt=0)
    sums = {key: Sum(key) for key in COUNTS}
    schools = [{"school_id": row["school_id"], "name": row["school__name"], "stage": row["school__stage"],
                **_rates(row)}
               for row in stats.values("school_id", "school__name", "school__stage").annotate(**sums)
               .order_by("school__stage", "school__name")]
    labels = dict(School._meta.get_field("stage").choices)
    stages = [{"stage": str(labels.get(row["school__stage"], row["school__stage"])), **_rates(row)}
              for row in stats.values("school__stage").annotate(**sums).order_by("school__stage")]
    for row in schools:
        row["stage"] = str(labels.get(row["stage"], row["stage"]))
    total = _rates(stats.aggregate(**sums))
    return {
        "school_year": f"{period.start.year - 1}–{period.start.year}", "target": float(HEALTH_GOOD_RATE.thresholds["all"]),
        "target_source": str(HEALTH_GOOD_RATE.source), "total": total, "stages": stages, "schools": schools,
        "below": sum(1 for row in schools if row["meets"] is False),
    }


def _school_part(data, school_id):
    row = periodic.row_of(data["schools"], school_id)
    return None if row is None else {"row": row, "total": data["total"], "target": data["target"]}


periodic.register(periodic.ReportKind(
    code="health_bulletin", title=_("Yearly bulletin on students' physical health"), unit=periods.YEAR,
    scopes=(periodic.DISTRICT,), gather=gather, template="reports/kinds/health_bulletin.html",
    source=_("Seed 001: physical health tested every year, excellent and good at least 40 %"),
    school_section=_school_part, school_template="reports/kinds/health_bulletin_school.html",
    sections=(("overview", _("The district at a glance")), ("stages", _("By stage")),
              ("schools", _("By school"))),
))
