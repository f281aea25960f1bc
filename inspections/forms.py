from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.models import Role, User
from bureau.webforms import PortalMessagesMixin, apply_service_error
from inspections.models import InspectorZone, ItemResult, RectificationNotice, Visit, VisitKind
from inspections.selectors import visitable_schools
from inspections.services.visits import VISIT_FIELDS
from schools.models import District, School, SchoolStage


class ZoneForm(PortalMessagesMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    name = forms.CharField(label=_("Name"), max_length=50)
    complaint_phone = forms.CharField(
        label=_("Complaint line"), max_length=30, required=False,
        help_text=_("The bureau's telephone for complaints, printed on the gate sign of every school of the zone."),
    )
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
                "complaint_phone": zone.complaint_phone,
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
            # A new zone starts empty; schools, inspectors and its sign are set on its page.
            del self.fields["schools"], self.fields["inspectors"], self.fields["complaint_phone"]
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
        self.fields["school"].queryset = visitable_schools(user=user)


class VisitForm(PortalMessagesMixin, forms.ModelForm):
    """A draft visit: its own fields and, for each checklist item, a result and a note.

    The item fields are named item-<id>-result and item-<id>-note; `items()` gives them back
    as the service takes them.
    """

    class Meta:
        model = Visit
        fields = VISIT_FIELDS
        widgets = {
            # ISO, whatever the language: a date input reads and writes nothing else.
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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


# ---- rectification notices ---------------------------------------------------------------


class NoticeIssueForm(PortalMessagesMixin, forms.Form):
    requirement = forms.CharField(label=_("What to fix"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    working_days = forms.IntegerField(label=_("Working days to fix it"), min_value=1, max_value=60, initial=10)

    def apply_errors(self, exc):
        apply_service_error(self, exc)


class NoticeAnswerForm(PortalMessagesMixin, forms.Form):
    answer = forms.CharField(label=_("What the school did"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def apply_errors(self, exc):
        apply_service_error(self, exc)


class NoticeReturnForm(PortalMessagesMixin, forms.Form):
    reason = forms.CharField(label=_("Why the answer is not enough"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def apply_errors(self, exc):
        apply_service_error(self, exc)


class NoticeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any")), *RectificationNotice.Status.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def filters(self):
        return self.cleaned_data if self.is_valid() else {}


# ---- the gate sign -----------------------------------------------------------------------


class InspectorCardForm(PortalMessagesMixin, forms.Form):
    phone = forms.CharField(label=_("Telephone on the sign"), max_length=30, required=False,
                            help_text=_("Shown to the public on the gate sign of your schools."))
    photo = forms.FileField(label=_("Photo"), required=False,
                            help_text=_("A JPEG, PNG or WebP portrait, as on the sign."))

    def apply_errors(self, exc):
        apply_service_error(self, exc)


class SignSearchForm(PortalMessagesMixin, forms.Form):
    q = forms.CharField(label=_("School name or code"), max_length=50, required=False)


# ---- the unannounced draw ----------------------------------------------------------------


class DrawForm(PortalMessagesMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    title = forms.CharField(label=_("What is inspected"), max_length=100,
                            help_text=_("For example: paid tutoring by teachers (有偿家教)."))
    percent = forms.IntegerField(label=_("Share of the schools (%)"), min_value=1, max_value=100, required=False)
    count = forms.IntegerField(label=_("Or a number of schools"), min_value=1, max_value=1000, required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Every stage")), *SchoolStage.choices])
    zone = forms.ModelChoiceField(label=_("Zone"), required=False, queryset=InspectorZone.objects.none(),
                                  empty_label=_("Every zone"))
    inspectors_per_school = forms.IntegerField(label=_("Inspectors per school"), min_value=1, max_value=5, initial=2)
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=2**63 - 1, required=False,
                              help_text=_("Leave it empty for a random seed; give one to repeat a draw."))

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(pk__in=[d.pk for d in districts]).order_by("code")
        if len(districts) == 1:
            self.fields["district"].initial = districts[0].pk
        self.fields["zone"].queryset = InspectorZone.objects.filter(district__in=[d.pk for d in districts])

    def clean(self):
        data = super().clean()
        if (data.get("percent") is None) == (data.get("count") is None):
            raise forms.ValidationError(_("Give either a share of the schools or a number of schools."))
        return data

    def apply_errors(self, exc):
        apply_service_error(self, exc, field_map={"share": "percent"})
