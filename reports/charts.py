"""The reports' charts built on the one chart renderer (bureau/charts.py): the dashboards and
the periodic reports draw the seven CVs against their limit and the class-size buckets with
these, so a report shows the chart its dashboard shows for the same figures."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.charts import Bar, bar_chart

# The seven as a chart's bar labels: short enough for a phone.
SHORT_NAMES = {
    "teachers_above_education": gettext_lazy("Teachers above education"),
    "backbone_teachers": gettext_lazy("Backbone teachers"),
    "sports_arts_teachers": gettext_lazy("Sports and arts teachers"),
    "teaching_area": gettext_lazy("Teaching floor area"),
    "sports_ground_area": gettext_lazy("Sports ground"),
    "equipment_value": gettext_lazy("Equipment value"),
    "multimedia_classrooms": gettext_lazy("Multimedia classrooms"),
}
BIG_BUCKET, SUPER_BIG_BUCKET = 7, 8  # 56–65 and ≥66 in schools.selectors.CLASS_SIZE_BUCKETS


def _tone(met):
    return "ok" if met else ("bad" if met is False else "neutral")


def cv_chart(*, stage_label, limit, rows):
    """The between-school CVs of one stage against their limit; `rows` are
    (rule code, value, shown, met) of the seven."""
    bars = [Bar(str(SHORT_NAMES[code]), float(value or 0), _tone(met), shown) for code, value, shown, met in rows]
    limit = float(limit)
    return bar_chart(bars, title=_("Between-school CV, %(stage)s") % {"stage": stage_label},
                     reference=limit, reference_label=f"{limit:.2f}", label_width=150)


def bucket_chart(buckets):
    """Classes by size: `buckets` are (bucket number, label, classes); big classes amber,
    super-big red."""
    bars = [Bar(str(label), float(count), "bad" if i == SUPER_BIG_BUCKET else ("warn" if i == BIG_BUCKET else "neutral"))
            for i, label, count in buckets]
    return bar_chart(bars, title=_("Classes by size"), label_width=60) if bars else ""
