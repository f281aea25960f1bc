"""Term self-reports (学校自查): each school checks itself against the burden rules every term.

Seeds 000, 001 and 004 (and the 2021 双减 opinions): homework time by grade, after-school
service, daily physical activity, the start of the school day, and the bans (weekend and
holiday classes, published rankings, key classes, extra fees), curriculum hours against the
national plan, paid tutoring found. Staff of 基础教育科 or 督导室 open a round for a term; each
school of the round gets a draft its principal fills and submits by the due date; staff accept
it or return it with comments. An accepted report is locked: a later correction is a new
version, and the accepted one is kept as it was.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bureau.models import EvidenceFile
from bureau.scope import ScopedQuerySet

# The subjects of the national compulsory-education curriculum plan (义务教育课程方案, 2022).
CURRICULUM_SUBJECTS = (
    ("morality", pgettext_lazy("school subject", "Morality and law")),
    ("chinese", pgettext_lazy("school subject", "Chinese")),
    ("maths", pgettext_lazy("school subject", "Mathematics")),
    ("foreign_language", pgettext_lazy("school subject", "Foreign language")),
    ("history", pgettext_lazy("school subject", "History")),
    ("geography", pgettext_lazy("school subject", "Geography")),
    ("science", pgettext_lazy("school subject", "Science (physics, chemistry, biology)")),
    ("it", pgettext_lazy("school subject", "Information technology")),
    ("pe", pgettext_lazy("school subject", "Physical education and health")),
    ("arts", pgettext_lazy("school subject", "Arts")),
    ("labour", pgettext_lazy("school subject", "Labour")),
    ("practice", pgettext_lazy("school subject", "Integrated practice")),
)
SUBJECT_CODES = tuple(code for code, _label in CURRICULUM_SUBJECTS)
GRADES = tuple(range(1, 10))


def homework_field(grade):
    return f"homework_grade_{grade}"


class SelfReportRound(models.Model):
    """A term's call for self-reports in one district: which schools, due by when."""

    district = models.ForeignKey("schools.District", verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="selfreport_rounds")
    term = models.ForeignKey("schools.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("due date"))
    schools = models.ManyToManyField("schools.School", verbose_name=_("schools"), related_name="selfreport_rounds")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-due_date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["district", "term"], name="selfreport_round_unique_term")]
        verbose_name = _("self-report round")
        verbose_name_plural = _("self-report rounds")

    def __str__(self):
        return _("%(term)s self-reports") % {"term": self.term}


class SelfReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        # 已通过, not the complaints' 已受理 (taken in for handling).
        ACCEPTED = "accepted", pgettext_lazy("self-report status", "Accepted")
        RETURNED = "returned", _("Returned")

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
    }
    # The school's turn: it may change the report and submit it.
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    round = models.ForeignKey(SelfReportRound, verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="reports")
    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="selfreports")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # The school's report of the round is the current version; older ones are history.
    is_current = models.BooleanField(_("current version"), default=True)
    corrects = models.OneToOneField("self", verbose_name=_("corrects"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="correction")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)

    # homework_grade_1 … homework_grade_9: average daily written-homework minutes, added below.
    after_school_days = models.PositiveSmallIntegerField(_("after-school service days a week"), null=True, blank=True,
                                                         validators=[MaxValueValidator(7)])
    after_school_hours = models.DecimalField(_("after-school service hours a day"), max_digits=3, decimal_places=1,
                                             null=True, blank=True, validators=[MaxValueValidator(12)])
    activity_minutes = models.PositiveSmallIntegerField(_("daily physical activity minutes"), null=True, blank=True,
                                                        validators=[MaxValueValidator(600)])
    start_primary = models.TimeField(_("start of the school day, primary"), null=True, blank=True)
    start_junior = models.TimeField(_("start of the school day, junior"), null=True, blank=True)
    weekend_classes = models.BooleanField(_("classes on weekends or holidays"), default=False)
    weekend_detail = models.TextField(_("weekend or holiday classes: detail"), max_length=2000, blank=True,
                                      validators=[MaxLengthValidator(2000)])
    rankings_published = models.BooleanField(_("exam rankings published"), default=False)
    key_classes = models.BooleanField(_("key or fast classes"), default=False)
    extra_fees = models.BooleanField(_("fees beyond the approved list"), default=False)
    fees_detail = models.TextField(_("fees: detail"), max_length=2000, blank=True,
                                   validators=[MaxLengthValidator(2000)])
    # {subject code: {"plan": periods a week of the national plan, "actual": periods taught}}
    curriculum = models.JSONField(_("curriculum hours"), default=dict, blank=True)
    tutoring_found = models.PositiveSmallIntegerField(_("teachers found giving paid tutoring"), default=0,
                                                      validators=[MaxValueValidator(1000)])
    tutoring_action = models.TextField(_("what was done about paid tutoring"), max_length=2000, blank=True,
                                       validators=[MaxLengthValidator(2000)])
    narrative = models.TextField(_("narrative"), max_length=8000, blank=True, validators=[MaxLengthValidator(8000)])

    # The codes of the rules the values break, worked out by the service on every save from
    # bureau.rules (inspections.selfreport_rules): lists filter and count by it without
    # recomputing each report.
    breaches = models.JSONField(_("rules broken"), default=list, blank=True)
    comments = models.TextField(_("reviewer's comments"), max_length=4000, blank=True,
                                validators=[MaxLengthValidator(4000)])
    saved_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["round", "school__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "school", "version"], name="selfreport_unique_version"),
            models.UniqueConstraint(fields=["round", "school"], condition=Q(is_current=True),
                                    name="selfreport_one_current"),
        ]
        indexes = [models.Index(fields=["round", "status"])]
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")

    def __str__(self):
        return _("Self-report of %(school)s, version %(version)s") % {"school": self.school, "version": self.version}

    @property
    def is_editable(self):
        return self.status in self.EDITABLE and self.is_current


def _grade_label(grade):
    return gettext("grade %(grade)s") % {"grade": grade}


# One field per grade, not a JSON map: each is a column the database checks and a list can sum.
for _grade in GRADES:
    SelfReport.add_to_class(homework_field(_grade), models.PositiveSmallIntegerField(
        lazy(_grade_label, str)(_grade), null=True, blank=True, validators=[MaxValueValidator(300)],
    ))


class SelfReportFile(EvidenceFile):
    """A document the school attached to its self-report (timetable, homework log…)."""

    report = models.ForeignKey(SelfReport, verbose_name=_("self-report"), on_delete=models.CASCADE,
                               related_name="files")

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("self-report file")
        verbose_name_plural = _("self-report files")
