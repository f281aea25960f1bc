"""Forms of term self-reports: opening a round, the school's report, the review."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau import rules, scope
from bureau.webforms import PortalMessagesMixin, apply_service_error
from inspections.models import SelfReport
from inspections.models.selfreports import CURRICULUM_SUBJECTS
from inspections.selfreport_rules import BAN_FIELDS, field_rule_attrs, field_rules
from inspections.services.selfreports import COMPULSORY_STAGES
from schools.models import District, School, Term


class RoundForm(PortalMessagesMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.select_related("school_year"))
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("A working day on the district's calendar."))
    schools = forms.ModelMultipleChoiceField(
        label=_("Schools"), queryset=School.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave every box empty to call on all the district's open compulsory-education schools."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(pk__in=scope.district_ids(user), level="district") \
            if not user.is_superuser else District.objects.filter(level="district")
        self.fields["schools"].queryset = (
            School.objects.visible_to(user).filter(status=School.Status.OPEN, stage__in=COMPULSORY_STAGES)
            .select_related("district").order_by("district__code", "code")
        )
        self.fields["schools"].label_from_instance = lambda s: f"{s.code} {s.name}"

    def apply_errors(self, exc):
        apply_service_error(self, exc)


def _number(label, maximum, *, decimal=False, attrs=None):
    attrs = {"inputmode": "decimal" if decimal else "numeric", **(attrs or {})}
    if decimal:
        return forms.DecimalField(label=label, required=False, min_value=0, max_value=maximum, max_digits=3,
                                  decimal_places=1, widget=forms.NumberInput(attrs={"step": "0.1", **attrs}))
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=maximum,
                              widget=forms.NumberInput(attrs=attrs))


class SelfReportForm(PortalMessagesMixin, forms.Form):
    """The school's report: one field per rule-checked value of its own grades and sections,
    each carrying its rule in data attributes for the live flags."""

    def __init__(self, *args, report, **kwargs):
        self.report = report
        school = report.school
        initial = {check.field: getattr(report, check.field) for check in field_rules(school)}
        for name in ("weekend_detail", "fees_detail", "tutoring_found", "tutoring_action", "narrative"):
            initial[name] = getattr(report, name)
        for code, _label in CURRICULUM_SUBJECTS:
            row = report.curriculum.get(code, {})
            initial[f"curriculum_{code}_plan"] = row.get("plan")
            initial[f"curriculum_{code}_actual"] = row.get("actual")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        attrs = field_rule_attrs(school)
        model = SelfReport._meta
        self.homework_names, self.service_names, self.ban_names = [], [], []
        for check in field_rules(school):
            name = check.field
            label = model.get_field(name).verbose_name
            if check.rule is rules.HOMEWORK:
                field = _number(_("Grade %(grade)s (minutes)") % {"grade": name.rsplit("_", 1)[1]}, 300,
                                attrs=attrs[name])
                self.homework_names.append(name)
            elif name == "after_school_hours":
                field = _number(label, 12, decimal=True, attrs=attrs[name])
            elif name in ("after_school_days", "activity_minutes"):
                field = _number(label, 7 if name == "after_school_days" else 600, attrs=attrs[name])
            elif check.rule is rules.SCHOOL_START:
                field = forms.TimeField(label=label, required=False,
                                        widget=forms.TimeInput(attrs={"type": "time", **attrs[name]}, format="%H:%M"))
            else:
                field = forms.BooleanField(label=label, required=False, widget=forms.CheckboxInput(attrs=attrs[name]))
                self.ban_names.append(name)
            if name in ("after_school_days", "after_school_hours", "activity_minutes") or check.rule is rules.SCHOOL_START:
                self.service_names.append(name)
            self.fields[name] = field
        self.fields["weekend_detail"] = forms.CharField(label=model.get_field("weekend_detail").verbose_name,
                                                        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["fees_detail"] = forms.CharField(label=model.get_field("fees_detail").verbose_name,
                                                     required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
        self.subject_rows = []
        for code, label in CURRICULUM_SUBJECTS:
            plan, actual = f"curriculum_{code}_plan", f"curriculum_{code}_actual"
            self.fields[plan] = _number(_("%(subject)s: national plan") % {"subject": label}, 40)
            self.fields[actual] = _number(_("%(subject)s: taught") % {"subject": label}, 40, attrs={
                "data-rule": rules.CURRICULUM_HOURS.code, "data-rule-cmp": "==", "data-rule-limit-from": f"id_{plan}",
                "data-rule-title": str(rules.CURRICULUM_HOURS.title), "data-rule-text": rules.CURRICULUM_HOURS.statement,
                "data-rule-source": str(rules.CURRICULUM_HOURS.source),
            })
            self.subject_rows.append((label, plan, actual))
        self.fields["tutoring_found"] = _number(model.get_field("tutoring_found").verbose_name, 1000)
        self.fields["tutoring_action"] = forms.CharField(label=model.get_field("tutoring_action").verbose_name,
                                                         required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
        self.fields["narrative"] = forms.CharField(label=model.get_field("narrative").verbose_name, required=False,
                                                   max_length=8000, widget=forms.Textarea(attrs={"rows": 6}))

    def bound(self, names):
        return [self[name] for name in names]

    def homework_fields(self):
        return self.bound(self.homework_names)

    def service_fields(self):
        return self.bound(self.service_names)

    def ban_rows(self):
        """Each ban with the detail field that goes with it (weekend classes, fees)."""
        details = {"weekend_classes": "weekend_detail", "extra_fees": "fees_detail"}
        return [(self[name], self[details[name]] if name in details else None) for name, _rule in BAN_FIELDS]

    def subject_fields(self):
        return [(label, self[plan], self[actual]) for label, plan, actual in self.subject_rows]

    def values(self):
        data = self.cleaned_data
        names = [check.field for check in field_rules(self.report.school)]
        values = {name: data.get(name) for name in names}
        for name in ("weekend_detail", "fees_detail", "tutoring_action", "narrative"):
            values[name] = data.get(name) or ""
        values["tutoring_found"] = data.get("tutoring_found") or 0
        return values

    def curriculum(self):
        data = self.cleaned_data
        rows = {}
        for code, _label in CURRICULUM_SUBJECTS:
            row = {part: data.get(f"curriculum_{code}_{part}") for part in ("plan", "actual")}
            row = {part: value for part, value in row.items() if value is not None}
            if row:
                rows[code] = row
        return rows

    def apply_errors(self, exc):
        apply_service_error(self, exc)


class ReturnForm(PortalMessagesMixin, forms.Form):
    comments = forms.CharField(label=_("What the school must correct"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 4}))

    def apply_errors(self, exc):
        apply_service_error(self, exc)


class AcceptForm(PortalMessagesMixin, forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def apply_errors(self, exc):
        apply_service_error(self, exc, field_map={"comments": "note"})


SHOW_CHOICES = (
    ("", _("All schools")),
    ("submitted", _("Waiting for review")),
    ("late", _("Late")),
    ("flagged", _("Flagged")),
    ("not_started", _("Not started")),
    ("returned", _("Returned")),
    ("accepted", pgettext_lazy("self-report status", "Accepted")),
)


class ReportFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)
    rule = forms.ChoiceField(label=_("Rule broken"), required=False,
                             choices=[("", _("Any rule"))] + [(r.code, r.title) for r in rules.BURDEN_RULES])

    def filters(self):
        return self.cleaned_data if self.is_valid() else {}
