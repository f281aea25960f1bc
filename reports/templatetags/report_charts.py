"""Charts of a report's frozen data, drawn by the one chart renderer (bureau/charts.py)."""

from django import template

from bureau.charts import Bar, bar_chart
from reports import charts, periodic

register = template.Library()


@register.simple_tag
def pairs_chart(pairs, title, tone="neutral", label_width=120):
    """A bar chart of [[label, value], …] (a report's data keeps pairs as lists)."""
    return bar_chart([Bar(str(label), value or 0, tone) for label, value in pairs], title=title,
                     label_width=label_width)


@register.simple_tag
def rows_chart(rows, label_key, value_key, title, tone="neutral", label_width=120):
    """A bar chart of one column of a report's table rows (dicts)."""
    return bar_chart([Bar(str(row[label_key]), row[value_key] or 0, tone) for row in rows], title=title,
                     label_width=label_width)


@register.simple_tag
def stage_cv_chart(stage):
    """The dashboard's CV chart of one stage of a balance-monitoring report's data."""
    return charts.cv_chart(stage_label=stage["label"], limit=stage["limit"],
                           rows=[(cv["rule"], cv["value"], cv["shown"], cv["met"]) for cv in stage["cvs"]])


@register.simple_tag
def buckets_chart(buckets):
    """The dashboard's class-size chart of a report's frozen buckets."""
    return charts.bucket_chart([(i, row["label"], row["count"]) for i, row in enumerate(buckets)])


@register.filter
def kind_title(report):
    """The title of a report's kind (Monthly inspection summary …)."""
    return periodic.kind_title(report)


@register.filter
def period_label(report):
    """A report's period by name (2026年03月, 2026年第4季度, 2026)."""
    return periodic.period_label(report)


@register.simple_tag
def shares_chart(rows, label_key, value_key, title, label_width=170):
    """Percentages out of 100 (within a rule, visited…), toned as the self-report and survey
    pages tone them: all green, 80 % amber, below red; a row without a figure is left out."""
    bars = [Bar(str(row[label_key]), row[value_key], "ok" if row[value_key] >= 100 else
                "warn" if row[value_key] >= 80 else "bad", note=f"{row[value_key]:g}%")
            for row in rows if row[value_key] is not None]
    if not bars:
        return ""
    return bar_chart(bars, title=title, max_value=100, reference=100, reference_label="100%",
                     label_width=label_width)
