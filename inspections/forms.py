from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.models import Role, User
from bureau.webforms import PortalMessagesMixin, apply_service_error
from schools.models import District, School


class ZoneForm(PortalMessagesMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    name = forms.CharField(label=_("Name"), max_length=50)
    schools = forms.ModelMultipleChoiceField(
        label=_("Schools"), queryset=School.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("A school belongs to one zone: ticking a school of another zone moves it here."),
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspectors"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, admin, zone=None, **kwargs):
        self.zone = zone
        if zone is not None:
            kwargs.setdefault("initial", {
                "district": zone.district,
                "name": zone.name,
                "schools": [link.school for link in zone.school_links.all()],
                "inspectors": list(zone.inspectors.all()),
            })
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.visible_to(admin).order_by("code")
        schools = School.objects.visible_to(admin).select_related("zone_link__zone").order_by("code")
        inspectors = User.objects.visible_to(admin).filter(role=Role.INSPECTOR, is_active=True).order_by("username")
        if zone is not None:
            # A zone keeps its district; only its own district's schools and inspectors are offered.
            del self.fields["district"]
            schools = schools.filter(district=zone.district)
            inspectors = inspectors.filter(district__in=[d for d in (zone.district_id, zone.district.parent_id) if d])
        else:
            # A new zone starts empty; schools and inspectors are assigned on its page.
            del self.fields["schools"], self.fields["inspectors"]
        if "schools" in self.fields:
            self.fields["schools"].queryset = schools
            self.fields["schools"].label_from_instance = self._school_label
            self.fields["inspectors"].queryset = inspectors

    def _school_label(self, school):
        zone = getattr(getattr(school, "zone_link", None), "zone", None)
        if zone is None or (self.zone is not None and zone.pk == self.zone.pk):
            return f"{school.code} {school.name}"
        return _("%(code)s %(name)s (now in %(zone)s)") % {"code": school.code, "name": school.name, "zone": zone.name}

    def apply_errors(self, exc):
        apply_service_error(self, exc)
