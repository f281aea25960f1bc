"""Limits on the portal's forms read as the portal says them (issue 6, "Small things"): not
Django's 确保该变量包含不超过 100 字符 ("variable") but "at most 100 characters" in words that
fit a school's name (bureau.webforms.LIMIT_MESSAGES)."""

from importlib import import_module

import pytest
from django import forms
from django.core import validators
from django.utils import translation

from bureau.webforms import LIMIT_MESSAGES, PortalMessagesMixin
from schools.forms import SchoolForm, SchoolYearStatForm

# Every module of the portal that declares a form.
FORM_MODULES = ("bureau.forms", "bureau.calendar_forms", "bureau.sheets.views", "schools.forms", "inspections.forms")
OUR_APPS = ("bureau", "schools", "inspections")


def portal_forms():
    for name in FORM_MODULES:
        import_module(name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in OUR_APPS:
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


LIMITS = (
    validators.MaxLengthValidator, validators.MinLengthValidator, validators.MaxValueValidator,
    validators.MinValueValidator, validators.DecimalValidator,
)


def has_limits(form_class):
    return any(
        isinstance(validator, LIMITS) for field in form_class.base_fields.values() for validator in field.validators
    )


def test_every_form_with_a_limit_says_it_the_portals_way():
    limited = [cls for cls in portal_forms() if has_limits(cls)]
    assert len(limited) >= 10, limited  # the walk finds the portal's forms
    missing = [f"{cls.__module__}.{cls.__qualname__}" for cls in limited if not issubclass(cls, PortalMessagesMixin)]
    assert not missing, f"forms without bureau.webforms.PortalMessagesMixin: {missing}"


@pytest.mark.django_db
def test_a_too_long_school_name(school, staff_user):
    form = SchoolForm({"name": "校" * 101}, instance=school, user=staff_user)
    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["name"] == ["Use at most 100 characters (it has 101)."]
    with translation.override("zh-hans"):
        form = SchoolForm({"name": "校" * 101}, instance=school, user=staff_user)
        form.is_valid()
        (message,) = form.errors["name"]
        assert "变量" not in message
        assert message == LIMIT_MESSAGES["max_length"] % {"limit_value": 100, "show_value": 101}


@pytest.mark.django_db
def test_number_limits():
    form = SchoolYearStatForm({"computers": "-1", "equipment_value": "1.234"})
    with translation.override("en"):
        form.is_valid()
        assert form.errors["computers"] == ["Enter 0 or more."]
        assert "decimal place" in form.errors["equipment_value"][0]
        assert form.errors["equipment_value"][0].startswith("Use at most")


def test_a_message_a_form_sets_itself_is_kept():
    class Form(PortalMessagesMixin, forms.Form):
        code = forms.CharField(max_length=3, error_messages={"max_length": "Three letters."})
        name = forms.CharField(max_length=3)

    form = Form({"code": "abcd", "name": "abcd"})
    with translation.override("en"):
        assert form.errors == {"code": ["Three letters."], "name": ["Use at most 3 characters (it has 4)."]}
