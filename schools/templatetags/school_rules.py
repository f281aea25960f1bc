"""The rule numbers the school pages print, read from the one rule registry (bureau/rules.py).

Templates write `{% rule_numbers as rules %}` and then `{{ rules.big_class }}`, never the
number itself, so that a page cannot disagree with the check it describes.
"""

from decimal import Decimal

from django import template

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
