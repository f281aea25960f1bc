
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.forms import ZoneChoiceIterator
from bureau.models import Department
from inspections.models import InspectorZone
from reports import periodic
from reports.indicators import DISTRICT, REGISTRY, STAGE_LABELS, ZONE
from reports.models import Target
from reports.periodic import periods


class ReportRequestForm(forms.Form):
    """Which report, for which district or zone, and which month, quarter or year."""

    kind = forms.ChoiceField(label=_("Report"))
    district = forms.ModelChoiceField(label=_("District"), queryset=None)
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=None, required=False,
                                  help_text=_("Leave empty for the whole district."))
    year = forms.IntegerField(label=_("Year"), min_value=2015, max_value=2100)
    number = forms.IntegerField(label=_("Month, quarter or term"), min_value=1, max_value=12, required=False,
                                help_text=_("1–12 for a month, 1–4 for a quarter, 1–2 for a term; empty for a year."))

    def __init__(self, *args, districts, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = periodic.choices()
        self.fields["district"].queryset = districts
        self.fields["zone"].queryset = zones
        first_two = list(districts[:2])
        if len(first_two) == 1:
            self.fields["district"].initial = first_two[0].pk
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        self.fields["year"].initial = last_month.year
        self.fields["number"].initial = last_month.month

    def clean(self):
        data = super().clean()
        code, year = data.get("kind"), data.get("year")
        if not code or not year:
            return data
        unit, number = periodic.kind_for(code).unit, data.get("number")
        if unit == periods.TERM:
            return self._clean_term(data, year, number)
        limit = {periods.MONTH: 12, periods.QUARTER: 4}.get(unit)
        if limit and not number:
            self.add_error("number", _("Say which month or quarter."))
        elif limit and number > limit:
            self.add_error("number", _("A year has %(n)s of them.") % {"n": limit})
        elif unit == periods.MONTH:
            data["start"] = datetime.date(year, number, 1)
        elif unit == periods.QUARTER:
            data["start"] = datetime.date(year, 3 * number - 2, 1)
        else:
            data["start"] = datetime.date(year, 1, 1)
        return data

    def _clean_term(self, data, year, number):
        """A term: the school year by the year it starts in, and the term 1 or 2."""
        from schools.models import Term

        if number not in (1, 2):
            self.add_error("number", _("Say which term: 1 or 2 (the year is the one the school year starts in)."))
            return data
        term = Term.objects.filter(school_year__start_year=year, number=number).first()
        if term is None:
            self.add_error("year", _("The bureau's calendar has no such term."))
        else:
            data["start"] = term.start_date
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=500)


class ScheduleForm(forms.Form):
    """A crontab as beat reads it: numbers, lists (1,4,7,10), ranges (1-5), steps (*/2) or *."""

    minute = forms.CharField(label=_("Minute"), max_length=60)
    hour = forms.CharField(label=_("Hour"), max_length=60)
    day_of_month = forms.CharField(label=_("Day of the month"), max_length=60)
    month_of_year = forms.CharField(label=_("Month"), max_length=60)
    enabled = forms.BooleanField(label=_("On"), required=False)


class CriterionForm(forms.Form):
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_value=100, decimal_places=1)


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
        self.fields["zone"].iterator = ZoneChoiceIterator  # counting order: 第二 before 第十
        self.fields["zone"].queryset = InspectorZone.objects.filter(district=district).select_related("district")
        self.fields["department"].queryset = Department.objects.order_by("ordering", "name")
