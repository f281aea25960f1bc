"""Forms of the calendar page. They shape input; bureau.calendar_services checks and writes.

The district is reached through CalendarDay's relation: bureau imports no domain app.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.models import CalendarDay
from bureau.permissions import scope_district_ids
from bureau.webforms import PortalMessagesMixin


def district_model():
    return CalendarDay._meta.get_field("district").related_model


def keepable_districts(user):
    """The districts whose days `user` may keep: all for a superuser, else its own (and a
    city's administrator the city and its districts)."""
    districts = district_model().objects.order_by("code")
    return districts if user.is_superuser else districts.filter(pk__in=scope_district_ids(user))


class CalendarDayForm(PortalMessagesMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CalendarDay.Kind.choices,
        help_text=_("A make-up working day is a Saturday or Sunday worked in exchange for a day off."),
    )
    name = forms.CharField(label=_("Name"), max_length=50, help_text=_("e.g. Spring Festival"))
    district = forms.ModelChoiceField(
        label=_("District"), queryset=CalendarDay.objects.none(),
        help_text=_("The day counts for this district only (a city: for all its districts)."),
    )
    source = forms.CharField(
        label=_("Source"), max_length=200, required=False,
        help_text=_("The notice the day comes from, e.g. its document number."),
    )

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {
                "date": instance.date, "kind": instance.kind, "name": instance.name,
                "district": instance.district_id, "source": instance.source,
            })
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        field.queryset = keepable_districts(user)
        if user.is_superuser:
            # Only a superuser keeps the national calendar: for it, no district means national.
            field.required = False
            field.empty_label = _("National (State Council)")
            field.help_text = _("Leave empty for a national day; a district's day counts for that district only.")

    def day_data(self):
        return {name: self.cleaned_data[name] for name in ("date", "kind", "name", "district", "source")}

