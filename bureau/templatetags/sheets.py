"""Template helpers of the spreadsheet engine."""

from django import template

from bureau.sheets.registry import kind_label as _kind_label

register = template.Library()


@register.filter
def kind_label(kind):
    """The name users read for a declared kind of spreadsheet ("teachers" → 教师)."""
    return _kind_label(kind)
