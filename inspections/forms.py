from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.models import Role, User
from bureau.webforms import PortalMessagesMixin, apply_service_error
from inspections.models import ItemResult, Visit, VisitKind
from inspections.services.visits import VISIT_FIELDS
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


# ---- the themed calendar -----------------------------------------------------------------


class ThemeForm(PortalMessagesMixin, forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=[(m, m) for m in range(1, 13)])
    title = forms.CharField(label=_("Theme"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, theme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if theme is not None:
            # A theme keeps its month; the months are the calendar's slots.
            del self.fields["month"]

    def apply_errors(self, exc):
        apply_service_error(self, exc)


class ChecklistItemForm(PortalMessagesMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    text = forms.CharField(label=_("Item"), max_length=300)
    source = forms.CharField(label=_("Policy source"), max_length=300,
                             help_text=_("The document and the sentence the item comes from."))


ChecklistFormSet = forms.formset_factory(ChecklistItemForm, extra=2, can_delete=True, max_num=40, validate_max=True)


class YearForm(PortalMessagesMixin, forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)


# ---- visits ------------------------------------------------------------------------------


class VisitStartForm(PortalMessagesMixin, forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices, initial=VisitKind.ROUTINE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.visible_to(user).order_by("code")


class VisitForm(PortalMessagesMixin, forms.ModelForm):
    """A draft visit: its own fields and, for each checklist item, a result and a note.

    The item fields are named item-<id>-result and item-<id>-note; `items()` gives them back
    as the service takes them.
    """

    class Meta:
        model = Visit
        fields = VISIT_FIELDS
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "feedback": forms.Textarea(attrs={"rows": 4}),
            "private_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(self.instance.items.all())
        for row in self.rows:
            self.fields[f"item-{row.pk}-result"] = forms.ChoiceField(
                label=f"{row.code} {row.text}", choices=ItemResult.choices, required=False,
                widget=forms.RadioSelect, initial=row.result,
            )
            self.fields[f"item-{row.pk}-note"] = forms.CharField(
                label=_("Note"), max_length=2000, required=False, initial=row.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    TEXT_FIELDS = ("summary", "feedback", "private_notes")

    def head_fields(self):
        return [self[name] for name in VISIT_FIELDS if name not in self.TEXT_FIELDS]

    def text_fields(self):
        return [self[name] for name in self.TEXT_FIELDS]

    def item_fields(self):
        return [(row, self[f"item-{row.pk}-result"], self[f"item-{row.pk}-note"]) for row in self.rows]

    def visit_data(self):
        return {name: self.cleaned_data[name] for name in VISIT_FIELDS}

    def items(self):
        return {
            row.pk: {"result": self.cleaned_data[f"item-{row.pk}-result"], "note": self.cleaned_data[f"item-{row.pk}-note"]}
            for row in self.rows
        }

    def apply_errors(self, exc):
        apply_service_error(self, exc)
