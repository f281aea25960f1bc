"""Charts of a report's frozen data, drawn by the one chart renderer (bureau/charts.py)."""

from django import template

from bureau.charts import Bar, bar_chart

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
