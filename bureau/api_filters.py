"""Strict filters for the API's FilterSets: a value that cannot be read is a 400, never ignored.

django-filter's backend already answers 400 for a value its form field refuses, but two of
its filters refuse nothing: BooleanFilter reads "banana" or "0.5" as "no filter", and
NumberFilter takes 2.5 for a grade. Either way a client's typo came back as the whole list.
Every app's FilterSet derives from `FilterSet` here, whose defaults use the filters below;
filters declared by hand use them too.
"""

import django_filters
from django import forms
from django.db import models

TRUE_VALUES = frozenset({"true", "1"})
FALSE_VALUES = frozenset({"false", "0"})

# The widest integer column a filter compares with (PostgreSQL's integer): a larger number
# could only find nothing, and is refused before it reaches the database.
INTEGER_MAX = 2**31 - 1


class TrueFalseField(forms.Field):
    """true/false (or 1/0, any case); empty means "no filter", anything else is refused."""

    # Django's own words for a model's BooleanField, which Django already translates.
    default_error_messages = {"invalid": models.BooleanField.default_error_messages["invalid"]}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})


class BooleanFilter(django_filters.BooleanFilter):
    field_class = TrueFalseField


class IntegerFilter(django_filters.NumberFilter):
    """A whole number from 0 up (grades, years, sizes, term numbers); the schema says so
    (bureau.api_schema.StrictFilterExtension)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", INTEGER_MAX)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return None  # max_value above says it, in the field's own translated words


def _strict_defaults():
    defaults = dict(django_filters.FilterSet.FILTER_DEFAULTS)
    for field_class, options in defaults.items():
        if issubclass(field_class, models.IntegerField) and options.get("filter_class") is django_filters.NumberFilter:
            defaults[field_class] = {**options, "filter_class": IntegerFilter}
    defaults[models.BooleanField] = {"filter_class": BooleanFilter}
    return defaults


class FilterSet(django_filters.FilterSet):
    """The base of every API FilterSet: filters generated from `Meta.fields` are strict too."""

    FILTER_DEFAULTS = _strict_defaults()
