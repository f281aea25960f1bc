"""The visit list's filters, for its page and its API alike (django-filter, over querysets
already scoped by `inspections.selectors.visit_list`). Every choice of a related record
(zone, school, inspector) is itself limited to what the requester may see, so a filter
never reveals a record out of scope; a value that cannot be read is refused (the API: 400
on the field; the page: the message on the field)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.api_filters import FilterSet
from bureau.models import Role, User
from inspections.models import InspectorZone, Visit, VisitKind
from schools.models import School

ANY = _("Any")


def _visible(model):
    def queryset(request):
        if request is None:
            return model.objects.none()
        return model.objects.visible_to(request.user).order_by(*model._meta.ordering or ["pk"])

    return queryset


def _inspectors(request):
    """Inspectors of the visits the requester sees: a principal learns no other school's."""
    if request is None:
        return User.objects.none()
    visits = Visit.objects.visible_to(request.user).values("inspector_id")
    return User.objects.filter(role=Role.INSPECTOR, pk__in=visits).order_by("name", "pk")


class InspectorField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class InspectorChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = InspectorField


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month input), read as its first day."""

    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthFilter(django_filters.DateFilter):
    field_class = MonthField

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__year": value.year, f"{self.field_name}__month": value.month})


class VisitFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=VisitKind.choices, label=_("Kind"), empty_label=ANY)
    status = django_filters.ChoiceFilter(choices=Visit.Status.choices, label=_("Status"), empty_label=ANY)
    zone = django_filters.ModelChoiceFilter(field_name="school__zone_link__zone", queryset=_visible(InspectorZone),
                                            label=_("Inspector zone"), empty_label=ANY)
    school = django_filters.ModelChoiceFilter(queryset=_visible(School), label=_("School"), empty_label=ANY)
    month = MonthFilter(field_name="date", label=_("Month"), help_text=_("YYYY-MM, e.g. 2026-03."))
    inspector = InspectorChoiceFilter(queryset=_inspectors, label=_("Inspector"), empty_label=ANY)

    class Meta:
        model = Visit
        fields = ["kind", "status", "zone", "school", "month", "inspector"]
