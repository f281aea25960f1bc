"""Forms of the school pages: filters and edit forms.

Edit forms only validate and shape input; the services in schools/services.py check the
permission, validate again with the model and write the audit row. Choice lists of related
records (districts, groups, schools, teachers) come from `visible_to(user)`, so a form can
neither offer nor accept a record outside the user's scope.
"""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.webforms import PortalMessagesMixin
from schools.models import (
    District,
    EducationGroup,
    EducationLevel,
    Rotation,
    School,
    SchoolClass,
    SchoolStage,
    SchoolYearStat,
    Section,
    Teacher,
    Term,
    TrainingRecord,
)
from schools.permissions import can_edit_school_field, can_move_teachers
from schools.selectors import STAT_FIELD_GROUPS, rotation_destinations

ALL = [("", _("All"))]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstanceCopyMixin:
    """ModelForm validation writes the input onto its instance; give it a copy.

    The page keeps showing the record as stored when the input is invalid. (The services
    reload the row before comparing old → new for the audit, so this is only for display.)
    Fields the form does not hold (school, term, district, teacher) are left out of the
    model's unique checks by ModelForm itself; the services check those with a clear message.
    """

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance) if instance is not None else None, **kwargs)


# ---- filters ------------------------------------------------------------------------


class SchoolFilterForm(PortalMessagesMixin, forms.Form):
    q = forms.CharField(label=_("Name or school code"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Stage"), choices=ALL + list(SchoolStage.choices), required=False)
    location = forms.ChoiceField(label=_("Urban / rural"), choices=ALL + list(School.Location.choices), required=False)
    group = forms.TypedChoiceField(label=_("Education group"), coerce=int, required=False, empty_value=None)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), choices=ALL + list(School.Status.choices), required=False)
    below_standard = forms.BooleanField(label=_("Below standard or with big classes"), required=False)

    def __init__(self, *args, groups, districts, **kwargs):
        """`groups` and `districts` are already-loaded lists, so the choices cost no query."""
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = ALL + [(g.pk, g.name) for g in groups]
        if len(districts) > 1:
            self.fields["district"].choices = ALL + [(d.pk, d.name) for d in districts]
        else:
            del self.fields["district"]

    def filters(self):
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "", False)}


BACKBONE_CHOICES = ALL + [("any", _("Any backbone level"))] + [c for c in Teacher.Backbone.choices if c[0]]


class TeacherFilterForm(PortalMessagesMixin, forms.Form):
    q = forms.CharField(label=_("Name or staff number"), required=False, max_length=50)
    school = forms.TypedChoiceField(label=_("School"), coerce=int, required=False, empty_value=None)
    section = forms.ChoiceField(label=_("Section"), choices=ALL + list(Section.choices), required=False)
    education = forms.ChoiceField(label=_("Education level"), choices=ALL + list(EducationLevel.choices), required=False)
    title = forms.ChoiceField(
        label=_("Professional title"), choices=ALL + [c for c in Teacher.Title.choices if c[0]], required=False
    )
    backbone = forms.ChoiceField(label=_("Backbone level"), choices=BACKBONE_CHOICES, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ALL + list(Teacher.Status.choices), required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        if len(schools) > 1:
            self.fields["school"].choices = ALL + [(s.pk, f"{s.code} {s.name}") for s in schools]
        else:
            del self.fields["school"]

    def filters(self):
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


# ---- edit forms ---------------------------------------------------------------------

# The status is not here: a school is closed, merged or reopened on its own page, with a
# confirmation and a reason (schools.services.school_close / school_merge / school_reopen).
BUREAU_SCHOOL_FIELDS = (
    "name", "stage", "location", "ownership", "is_boarding", "is_village_full", "district", "group",
    "address", "principal_name", "phone",
)


class SchoolForm(PortalMessagesMixin, InstanceCopyMixin, forms.ModelForm):
    """The school profile. Bureau staff change everything but the code; a principal a few fields."""

    class Meta:
        model = School
        fields = BUREAU_SCHOOL_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A principal sees only the fields it keeps; the service refuses the others anyway.
        for name in list(self.fields):
            if not can_edit_school_field(user, name):
                del self.fields[name]
        # The group's district is checked by School.clean(), for this form as for the API.
        if "district" in self.fields:
            self.fields["district"].queryset = District.objects.visible_to(user).filter(level=District.Level.DISTRICT)
        if "group" in self.fields:
            self.fields["group"].queryset = EducationGroup.objects.visible_to(user)


class SchoolCreateForm(PortalMessagesMixin, forms.ModelForm):
    """A new school of a district the user works on (schools.services.school_create)."""

    class Meta:
        model = School
        fields = ["code", *BUREAU_SCHOOL_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = District.objects.visible_to(user).filter(level=District.Level.DISTRICT).order_by("code")
        self.fields["district"].queryset = districts
        if len(districts) == 1:
            self.fields["district"].initial = districts[0].pk
        self.fields["group"].queryset = EducationGroup.objects.visible_to(user).order_by("name")


class SchoolStatusForm(PortalMessagesMixin, forms.Form):
    """Close an open school or merge it into another; reopen one that is not open."""

    CLOSE, MERGE, REOPEN = "close", "merge", "reopen"

    action = forms.ChoiceField(label=_("What happens to the school"), widget=forms.RadioSelect, choices=[
        ("close", _("It closes, with no successor")),
        ("merge", _("It merges into another school of the district")),
    ])
    into = forms.ModelChoiceField(
        label=_("Merges into"), queryset=School.objects.none(), required=False,
        help_text=_("An open school of the same district."),
    )
    note = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the school's change history, e.g. the bureau's decision and its number."),
    )

    def __init__(self, *args, user, school, **kwargs):
        super().__init__(*args, **kwargs)
        if school.status == School.Status.OPEN:
            self.fields["into"].queryset = (
                School.objects.visible_to(user)
                .filter(district_id=school.district_id, status=School.Status.OPEN)
                .exclude(pk=school.pk).only("pk", "code", "name").order_by("code")
            )
            self.fields["into"].label_from_instance = lambda s: f"{s.code} {s.name}"
        else:
            del self.fields["action"], self.fields["into"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.MERGE and not cleaned.get("into"):
            self.add_error("into", _("Choose the school it merges into."))
        return cleaned


class SchoolYearStatForm(PortalMessagesMixin, InstanceCopyMixin, forms.ModelForm):
    field_groups = STAT_FIELD_GROUPS

    class Meta:
        model = SchoolYearStat
        fields = [name for _label, names in STAT_FIELD_GROUPS for name in names]

    def fieldsets(self):
        return [(label, [self[name] for name in names]) for label, names in self.field_groups]


class SchoolClassForm(PortalMessagesMixin, InstanceCopyMixin, forms.ModelForm):
    class Meta:
        model = SchoolClass
        fields = ["term", "grade", "number", "boys", "girls", "head_teacher", "equipment_value", "is_starting_grade"]

    def __init__(self, *args, user, school, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["term"]  # a class stays in its term; next term's class is a new record
        else:
            self.fields["term"].queryset = Term.objects.select_related("school_year").order_by("-start_date")
        self.fields["head_teacher"].queryset = (
            Teacher.objects.visible_to(user).filter(school=school, status=Teacher.Status.ACTIVE).order_by("staff_number")
        )


TEACHER_FIELDS = [
    "staff_number", "name", "gender", "birth_date", "section", "subject", "education", "certificate_type",
    "certificate_number", "title", "backbone_level", "is_sports_arts", "hire_date", "joined_school_date",
    "is_head_teacher", "status",
]


class TeacherForm(PortalMessagesMixin, InstanceCopyMixin, forms.ModelForm):
    class Meta:
        model = Teacher
        fields = ["school", *TEACHER_FIELDS]
        widgets = {name: DATE_INPUT for name in ("birth_date", "hire_date", "joined_school_date")}

    def __init__(self, *args, user, school, **kwargs):
        super().__init__(*args, **kwargs)
        # School and district are set by the service on create. Bureau staff may move a
        # teacher to another school; Teacher.clean() keeps the move inside the district.
        if self.instance.pk and can_move_teachers(user):
            self.fields["school"].queryset = School.objects.visible_to(user)
        else:
            del self.fields["school"]
        self.fields["section"].choices = [(s, Section(s).label) for s in school.sections]


class TrainingRecordForm(PortalMessagesMixin, forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["course", "hours", "date"]
        widgets = {"date": DATE_INPUT}


class RotationForm(PortalMessagesMixin, forms.ModelForm):
    class Meta:
        model = Rotation
        fields = ["to_school", "kind", "start_date", "end_date"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}

    def __init__(self, *args, user, teacher, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_school"].queryset = rotation_destinations(user=user, teacher=teacher)

