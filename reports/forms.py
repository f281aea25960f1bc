from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.models import Department
from inspections.models import InspectorZone
from reports.indicators import DISTRICT, REGISTRY, STAGE_LABELS, ZONE
from reports.models import Target


def indicator_choices():
    return [(i.code, f"{i.name}" + (f"（{i.unit}）" if i.unit else "")) for i in REGISTRY
            if (DISTRICT in i.levels or ZONE in i.levels) and i.group != "buckets"]


class TargetForm(forms.ModelForm):
    indicator = forms.ChoiceField(label=_("indicator"), choices=())
    stage = forms.ChoiceField(label=_("stage"), required=False, choices=())

    class Meta:
        model = Target
        fields = ["indicator", "stage", "zone", "comparator", "value", "baseline", "deadline", "department", "source"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()
        self.fields["stage"].choices = [("", _("All stages"))] + [
            (code, label) for code, label in STAGE_LABELS.items() if code]
        self.fields["zone"].queryset = InspectorZone.objects.filter(district=district).order_by("name")
        self.fields["department"].queryset = Department.objects.order_by("ordering", "name")
