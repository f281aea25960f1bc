from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.webforms import PortalMessagesMixin
from schools.models import Term
from schools.models.draw import STARTING_GRADES


class DrawCreateForm(PortalMessagesMixin, forms.Form):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.select_related("school_year"))
    grade = forms.TypedChoiceField(label=_("Grade"), coerce=int, choices=[(g, g) for g in STARTING_GRADES])

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        if school is not None and school.grades is not None:
            self.fields["grade"].choices = [(g, g) for g in STARTING_GRADES if g in school.grades]


class RosterUploadForm(PortalMessagesMixin, forms.Form):
    file = forms.FileField(
        label=_("Roster spreadsheet"),
        help_text=_("An .xlsx or .csv file with the template's column headers. It replaces the roster before it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ClassCountForm(PortalMessagesMixin, forms.Form):
    class_count = forms.IntegerField(label=_("Number of classes"), min_value=1, max_value=60)


class SeedForm(PortalMessagesMixin, forms.Form):
    seed = forms.CharField(
        label=_("Public seed"), max_length=64,
        help_text=_("For example the number drawn in public at the parents' meeting. Once published it cannot "
                    "change, and the roster is fixed."),
    )


class TransferForm(PortalMessagesMixin, forms.Form):
    student = forms.CharField(label=_("Registration number"), max_length=20)
    to_class = forms.TypedChoiceField(label=_("To class"), coerce=int)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_class"].choices = [(c.pk, str(c)) for c in classes]


class DecisionForm(PortalMessagesMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
