"""Forms of survey campaigns: the respondent's answer form (built from the questionnaire,
conditions applied on the server) and the inspection office's questionnaire and campaign forms."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.webforms import PortalMessagesMixin
from inspections.models import Audience, Campaign, Question, Questionnaire
from schools.models import School, Term

FIELD_PREFIX = "q_"


def field_name(question):
    return f"{FIELD_PREFIX}{question.code}"


def is_asked(question, values, asked):
    """Whether `question` is asked given the answers so far: its condition's question was
    asked and answered with one of the listed choices."""
    condition = question.condition_question_id
    if condition is None:
        return True
    if condition not in asked:
        return False
    given = values.get(condition)
    given = given if isinstance(given, list | tuple) else [given] if given else []
    return bool(set(given) & set(question.condition_choices))


def _plain(value):
    if value is None:
        return None
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


class AnswerForm(PortalMessagesMixin, forms.Form):
    """One respondent's answers. A question skipped by its condition is dropped whatever was
    posted for it; a required question that is asked must be answered."""

    grade = forms.TypedChoiceField(label=_("Grade"), coerce=int)

    def __init__(self, *args, campaign, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        grade = self.fields["grade"]
        grade.choices = [("", "—")] + [(g, _("Grade %(n)s") % {"n": g})
                                       for g in range(campaign.grade_from, campaign.grade_to + 1)]
        if campaign.audience == Audience.PARENTS:
            grade.label = _("Your child's grade")
        for q in questions:
            self.fields[field_name(q)] = self._field(q)

    def _field(self, q):
        Kind = Question.Kind
        common = {"label": q.text, "required": False}
        if q.kind == Kind.SINGLE:
            return forms.ChoiceField(choices=[(c.code, c.label) for c in q.choices.all()],
                                     widget=forms.RadioSelect, **common)
        if q.kind == Kind.MULTIPLE:
            return forms.MultipleChoiceField(choices=[(c.code, c.label) for c in q.choices.all()],
                                             widget=forms.CheckboxSelectMultiple, **common)
        if q.kind == Kind.NUMBER:
            widget = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5" if q.max_value <= 24 else "1"})
            # 24, not 24.0: the limits as the respondent reads them.
            low, high = (_plain(value) for value in (q.min_value, q.max_value))
            return forms.DecimalField(min_value=low, max_value=high, max_digits=7, decimal_places=1,
                                      widget=widget, help_text=q.unit, **common)
        return forms.CharField(max_length=q.max_length, widget=forms.Textarea(attrs={"rows": 3}), strip=True,
                               **common)

    def clean(self):
        data = super().clean()
        values, asked, answers = {}, set(), []
        for q in self.questions:
            name = field_name(q)
            value = data.get(name)
            if not is_asked(q, values, asked):
                data.pop(name, None)
                self.errors.pop(name, None)
                continue
            asked.add(q.pk)
            if name in self.errors:
                continue
            empty = value in (None, "", [], ())
            if empty and q.required:
                self.add_error(name, _("Answer this question."))
                continue
            values[q.pk] = value
            if not empty:
                answers.append((q, value))
        self.answers = answers
        return data


class QuestionnaireForm(PortalMessagesMixin, forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "intro"]


class QuestionForm(PortalMessagesMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Letters, digits and _, unique in the questionnaire."))
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    choices = forms.CharField(label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("One a line: a code, a space, the choice; end with “ +” for a choice "
                                          "within the rule (satisfied)."))
    min_value = forms.DecimalField(label=_("Lowest number"), required=False, max_digits=7, decimal_places=1)
    max_value = forms.DecimalField(label=_("Highest number"), required=False, max_digits=7, decimal_places=1)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    bounds = forms.CharField(label=_("Distribution bounds"), max_length=100, required=False,
                             help_text=_("Numbers separated by commas, e.g. 8, 9, 10."))
    max_length = forms.IntegerField(label=_("Longest text"), required=False, min_value=1, max_value=1000)
    measure = forms.ChoiceField(label=_("Rule"), choices=Question.Measure.choices, required=False)
    condition_question = forms.ModelChoiceField(label=_("Asked only if question"), queryset=Question.objects.none(),
                                                required=False, empty_label=_("Always asked"))
    condition_choices = forms.CharField(label=_("Was answered with"), max_length=200, required=False,
                                        help_text=_("The codes of its choices, separated by commas."))

    def __init__(self, *args, questionnaire, question=None, **kwargs):
        if question is not None:
            kwargs.setdefault("initial", {
                "code": question.code, "text": question.text, "kind": question.kind, "required": question.required,
                "choices": "\n".join(f"{c.code} {c.label}{' +' if c.positive else ''}" for c in question.choices.all()),
                "min_value": question.min_value, "max_value": question.max_value, "unit": question.unit,
                "bounds": ", ".join(str(b) for b in question.bounds), "max_length": question.max_length,
                "measure": question.measure, "condition_question": question.condition_question_id,
                "condition_choices": ", ".join(question.condition_choices),
            })
        super().__init__(*args, **kwargs)
        earlier = questionnaire.questions.filter(kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE])
        if question is not None:
            earlier = earlier.filter(position__lt=question.position)
        self.fields["condition_question"].queryset = earlier.order_by("position")

    def clean_bounds(self):
        text = self.cleaned_data["bounds"]
        try:
            values = sorted({Decimal(part.strip()) for part in text.replace("，", ",").split(",") if part.strip()})
        except ArithmeticError:
            raise forms.ValidationError(_("Write numbers separated by commas, e.g. 8, 9, 10.")) from None
        return [int(v) if v == v.to_integral_value() else float(v) for v in values]


class CampaignForm(PortalMessagesMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    questionnaire = forms.ModelChoiceField(label=_("Questionnaire"), queryset=Questionnaire.objects.none())
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.select_related("school_year"))
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    grade_from = forms.IntegerField(label=_("From grade"), min_value=1, max_value=9, initial=4)
    grade_to = forms.IntegerField(label=_("To grade"), min_value=1, max_value=9, initial=9)
    sample_size = forms.IntegerField(label=_("Answers sought per school"), min_value=10, max_value=5000, initial=100)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    schools = forms.ModelMultipleChoiceField(label=_("Schools"), queryset=School.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("None ticked: every open primary, junior and nine-year school."))

    COMPULSORY = ("primary", "junior", "nine_year")

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(district=district).order_by("title")
        self.fields["schools"].queryset = School.objects.filter(
            district=district, status=School.Status.OPEN, stage__in=self.COMPULSORY).order_by("code")
        self.fields["schools"].label_from_instance = lambda s: f"{s.code} {s.name}"

    def clean(self):
        data = super().clean()
        if not data.get("schools") and not self.errors:
            data["schools"] = list(self.fields["schools"].queryset)
        return data

    def campaign_data(self):
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "questionnaire", "term", "audience", "grade_from", "grade_to",
                                              "sample_size", "opens_on", "closes_on")}


class CampaignStatusForm(forms.Form):
    to = forms.ChoiceField(choices=[(Campaign.Status.OPEN, ""), (Campaign.Status.CLOSED, "")])
