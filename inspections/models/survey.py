"""Survey campaigns (问卷调查) of the inspection office: questionnaires, campaigns, anonymous
answers and the aggregates stored when a campaign closes.

Seed 000: 督导室不定期对学校"减负提质"工作开展问卷及走访调查, 每学期形成调查报告. DESIGN.md
"Survey": a campaign picks a questionnaire, the schools and a sample of students or parents,
who answer anonymously with a per-school access code; results aggregate per school.

Nothing of a response identifies its respondent: no account, no name, no address, no time of
day (the date only). The grade is kept because the rules depend on it (sleep ≥ 10 h in
primary school, homework within the grade's limit), and every figure of fewer than
SUPPRESS_BELOW answers is withheld, so a grade of one school cannot point at one child.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet

# A school's figure for a question rests on at least this many answers, or is not shown.
SUPPRESS_BELOW = 10
# Compulsory-education grades a campaign can ask (1–6 primary, 7–9 junior).
GRADES = range(1, 10)


class Audience(models.TextChoices):
    STUDENTS = "students", _("Students (by grade)")
    PARENTS = "parents", _("Parents")


class Questionnaire(models.Model):
    district = models.ForeignKey("schools.District", verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="questionnaires")
    title = models.CharField(_("title"), max_length=100)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    intro = models.TextField(_("introduction"), max_length=1000, blank=True,
                             help_text=_("Shown above the questions: who asks, why, and that answers are anonymous."))
    copied_from = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # None: loaded by the portal (the ready questionnaires of seed 000).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["district", "title", "pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Text")

    class Measure(models.TextChoices):
        """What the answers are held against: a rule of bureau/rules.py (SURVEY_RULES)."""

        NONE = "", _("No rule")
        HOMEWORK = "homework", _("Written homework minutes (the grade's limit)")
        SLEEP = "sleep", _("Sleep hours (primary ≥ 10 h, junior ≥ 9 h)")
        ACTIVITY = "activity", _("Physical activity minutes (≥ 60)")
        AFTER_SCHOOL = "after_school", _("After-school service days a week (5)")
        SATISFACTION = "satisfaction", _("Satisfaction (share of satisfied answers)")
        NO_TUTORING = "no_tutoring", _("No paid tutoring by teachers (share of such answers)")

    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE,
                                      related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    min_value = models.DecimalField(_("lowest number"), max_digits=7, decimal_places=1, null=True, blank=True)
    max_value = models.DecimalField(_("highest number"), max_digits=7, decimal_places=1, null=True, blank=True)
    # Where the distribution of a number question is cut: [8, 9, 10] → <8, 8–9, 9–10, ≥10.
    bounds = models.JSONField(_("distribution bounds"), default=list, blank=True)
    max_length = models.PositiveSmallIntegerField(_("longest text"), null=True, blank=True,
                                                  validators=[MinValueValidator(1), MaxValueValidator(1000)])
    measure = models.CharField(_("rule"), max_length=20, choices=Measure.choices, blank=True)
    # Asked only if an earlier choice question was answered with one of these choices.
    condition_question = models.ForeignKey("self", verbose_name=_("asked only if question"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="dependants")
    condition_choices = models.JSONField(_("was answered with"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_once"),
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_position_once"),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def is_choice(self):
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE,
                                 related_name="choices")
    position = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("choice"), max_length=100)
    # Counts as within the question's rule (satisfied; no paid tutoring).
    positive = models.BooleanField(_("within the rule"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["question", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="choice_code_once")]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.label


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Taking answers")
        CLOSED = "closed", _("Survey closed")

    TRANSITIONS = {Status.DRAFT: {Status.OPEN}, Status.OPEN: {Status.CLOSED}}

    district = models.ForeignKey("schools.District", verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="survey_campaigns")
    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT,
                                      related_name="campaigns")
    term = models.ForeignKey("schools.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    grade_from = models.PositiveSmallIntegerField(_("from grade"), validators=[MinValueValidator(1),
                                                                                MaxValueValidator(9)])
    grade_to = models.PositiveSmallIntegerField(_("to grade"), validators=[MinValueValidator(1),
                                                                            MaxValueValidator(9)])
    sample_size = models.PositiveSmallIntegerField(_("answers sought per school"),
                                                   validators=[MinValueValidator(10), MaxValueValidator(5000)])
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    aggregated_at = models.DateTimeField(_("figures built at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.grade_from and self.grade_to and self.grade_to < self.grade_from:
            errors["grade_to"] = _("The last grade must not be before the first.")
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The campaign must close on or after the day it opens.")
        if self.questionnaire_id and self.audience and self.questionnaire.audience != self.audience:
            errors["questionnaire"] = _("This questionnaire is written for %(audience)s.") % {
                "audience": self.questionnaire.get_audience_display()}
        if errors:
            raise ValidationError(errors)


class CampaignSchool(models.Model):
    """A school in a campaign, with its access code and the answers refused at its door."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="participants")
    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="survey_participations")
    access_code = models.CharField(_("access code"), max_length=12, unique=True)
    # Answers refused: the device had answered already; the address was over the limit.
    refused_duplicate = models.PositiveIntegerField(_("refused: device answered before"), default=0)
    refused_limit = models.PositiveIntegerField(_("refused: too many from one network"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "school__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "school"], name="campaign_school_once")]
        verbose_name = _("school in a campaign")
        verbose_name_plural = _("schools in a campaign")

    def __str__(self):
        return f"{self.campaign} · {self.school}"


class SurveyResponse(models.Model):
    """One anonymous respondent's answers: a school, a grade and a date; nothing else."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="responses")
    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(_("grade"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    submitted_on = models.DateField(_("answered on"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["campaign", "school"])]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.campaign_id}/{self.pk}"


class SurveyAnswer(models.Model):
    """One answer (a multiple choice: one row per choice ticked). The campaign, school and
    grade are repeated from the response so that the figures are one GROUP BY of this table."""

    response = models.ForeignKey(SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE,
                                 related_name="answers")
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(_("grade"))
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, verbose_name=_("choice"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    number = models.DecimalField(_("number"), max_digits=7, decimal_places=1, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["campaign", "question", "school"])]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"


class SurveyAggregate(models.Model):
    """A campaign's figures for one question, at one school or (school empty) the district.

    Stored when the campaign closes and rebuilt on demand, so that the dashboards and the term
    report read figures instead of answers. A suppressed row (fewer than SUPPRESS_BELOW
    answers) keeps its count and nothing else.
    """

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="aggregates")
    school = models.ForeignKey("schools.School", verbose_name=_("school"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    answers = models.PositiveIntegerField(_("answers"))
    suppressed = models.BooleanField(_("too few answers"), default=False)
    mean = models.DecimalField(_("mean"), max_digits=9, decimal_places=2, null=True, blank=True)
    within = models.PositiveIntegerField(_("answers within the rule"), null=True, blank=True)
    # [[label, count], ...] in the question's order of choices or bounds.
    distribution = models.JSONField(_("distribution"), default=list, blank=True)
    computed_at = models.DateTimeField(_("built at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "question__position", "school__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "question", "school"], name="aggregate_school_once",
                                    condition=Q(school__isnull=False)),
            models.UniqueConstraint(fields=["campaign", "question"], name="aggregate_district_once",
                                    condition=Q(school__isnull=True)),
        ]
        verbose_name = _("survey figure")
        verbose_name_plural = _("survey figures")

    def __str__(self):
        return f"{self.campaign_id}/{self.question_id}/{self.school_id or '-'}"

    @property
    def within_share(self):
        """Percent of the answers within the rule (None when there is no rule or no figure)."""
        if self.suppressed or self.within is None or not self.answers:
            return None
        return round(100 * self.within / self.answers, 1)
