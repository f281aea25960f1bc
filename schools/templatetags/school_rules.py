"""The rule numbers the school pages print, read from the one rule registry (bureau/rules.py).

Templates write `{% rule_numbers as rules %}` and then `{{ rules.big_class }}`, never the
number itself, so that a page cannot disagree with the check it describes.
"""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from bureau.rules import (
    BIG_CLASS,
    BIG_CLASS_SHARE_AIM,
    CLASS_EQUIPMENT_CV,
    CLASS_SIZE,
    RESOURCE_INDICATORS,
    RESOURCE_MIN_MET,
    RESOURCE_NEAR_MISS_SHARE,
    RULES,
    SUPER_BIG_CLASS,
    TRAINING_HOURS,
)
from bureau.templatetags.numbers import number

register = template.Library()


def plain(number):
    """45, 0.3, 85: a Decimal as people write it (no trailing zeros, no exponent)."""
    return format(Decimal(number).normalize(), "f")


NUMBERS = {
    "class_size_primary": plain(CLASS_SIZE.threshold_for("primary")),
    "class_size_junior": plain(CLASS_SIZE.threshold_for("junior")),
    "big_class": BIG_CLASS,
    "super_big_class": SUPER_BIG_CLASS,
    "big_class_share_aim": BIG_CLASS_SHARE_AIM,
    "resource_indicators": len(RESOURCE_INDICATORS),
    "resource_min_met": RESOURCE_MIN_MET,
    "near_miss_share": RESOURCE_NEAR_MISS_SHARE,
    "near_miss_percent": plain(RESOURCE_NEAR_MISS_SHARE * 100),
    "class_equipment_cv": plain(CLASS_EQUIPMENT_CV.threshold_for("all")),
    "training_hours": plain(TRAINING_HOURS.threshold_for("all")),
}


@register.simple_tag
def rule_numbers():
    return NUMBERS


@register.filter
def rule_title(code):
    """The title of a rule by its code ("equipment_value" → 生均教学仪器设备值); the code if unknown."""
    rule = RULES.get(code)
    return rule.title if rule is not None else code


@register.simple_tag
def verdict_badge(meets, met_count, weakest=None, weakest_percent=None, *, explain=False):
    """The resource-standard verdict: meets / n of the seven / no data, as a badge.

    `weakest` (an indicator code) and `weakest_percent` say which indicator fails and how far,
    on hover and, with `explain`, beneath the badge. A tag rather than an included template:
    the school list prints it on every row, and an include with its translations cost a
    third of that page's time.
    """
    if meets is None:
        return format_html('<span class="badge neutral">{}</span>', _("No data"))
    of = NUMBERS["resource_indicators"]
    pct = NUMBERS["near_miss_percent"]
    why = ""
    if weakest:
        why = _("%(indicator)s: %(pct)s %% of the threshold") % {
            "indicator": rule_title(weakest), "pct": number(weakest_percent, 1),
        }
    if meets:
        title = _("%(n)s of %(of)s indicators met") % {"n": met_count, "of": of}
        if why:
            title += ". " + _("Not met, but above %(pct)s %%:") % {"pct": pct} + " " + why
        badge = format_html('<span class="badge ok" title="{}">{}</span>', title,
                            _("Meets · %(n)s/%(of)s") % {"n": met_count, "of": of})
    else:
        title = (_("Furthest below:") + " " + why + ". ") if why else ""
        title += _("At least %(min)s of the %(of)s indicators must be met and the rest reach %(pct)s %% of the "
                   "threshold.") % {"min": NUMBERS["resource_min_met"], "of": of, "pct": pct}
        shown = "–" if met_count is None else met_count
        badge = format_html('<span class="badge bad" title="{}">{}</span>', title,
                            _("Below · %(n)s/%(of)s") % {"n": shown, "of": of})
    if explain and why:
        badge += format_html('<small class="verdict-why{}">{}</small>', "" if meets else " bad-text", why)
    return badge
