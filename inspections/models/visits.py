"""Visits (督导): an inspector at a school, the month's checklist recorded item by item.

Seed 004 names the kinds: monthly routine visits on a theme (随访), special inspections
(专项), unannounced inspections (突击: "不通知学校、不提前告知") and teaching reviews (教学视导:
"随堂听课、查阅教师备课本、学生作业本、召开教师和学生座谈会"). A visit is a draft while the
inspector works; filing it gives the school its feedback and locks it.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.models import EvidenceFile, Role
from bureau.scope import ScopedQuerySet


class VisitKind(models.TextChoices):
    ROUTINE = "routine", _("Routine visit")
    SPECIAL = "special", _("Special inspection")
    UNANNOUNCED = "unannounced", _("Unannounced inspection")
    TEACHING = "teaching", _("Teaching review")


class ItemResult(models.TextChoices):
    # In their own context: "Met" elsewhere in the portal is a column heading (是否达标).
    MET = "met", pgettext_lazy("checklist result", "Met")
    NOT_MET = "not_met", pgettext_lazy("checklist result", "Not met")
    NOT_APPLICABLE = "na", pgettext_lazy("checklist result", "Not applicable")


class Visit(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FILED = "filed", _("Filed")

    TRANSITIONS = {Status.DRAFT: {Status.FILED}}

    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="visits")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="visits",
        limit_choices_to={"role": Role.INSPECTOR},
    )
    kind = models.CharField(_("kind"), max_length=16, choices=VisitKind.choices, default=VisitKind.ROUTINE)
    date = models.DateField(_("date of the visit"), default=timezone.localdate)
    theme = models.ForeignKey(
        "inspections.MonthlyTheme", verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="visits",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Teaching review (seed 004): lessons sat in on, notebooks read, meetings with teachers and students.
    lessons_observed = models.PositiveSmallIntegerField(_("lessons observed"), default=0, validators=[MaxValueValidator(200)])
    notebooks_checked = models.PositiveSmallIntegerField(
        _("notebooks checked"), default=0, validators=[MaxValueValidator(2000)],
        help_text=_("Teachers' lesson plans and students' exercise books."),
    )
    meetings_held = models.PositiveSmallIntegerField(
        _("meetings held"), default=0, validators=[MaxValueValidator(50)],
        help_text=_("Talks with teachers, students or parents."),
    )
    summary = models.TextField(_("summary"), max_length=4000, blank=True, validators=[MaxLengthValidator(4000)])
    feedback = models.TextField(
        _("feedback for the school"), max_length=4000, blank=True, validators=[MaxLengthValidator(4000)]
    )
    private_notes = models.TextField(
        _("private notes"), max_length=4000, blank=True, validators=[MaxLengthValidator(4000)],
        help_text=_("For the inspectors only: the school never sees them."),
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["school", "date"]), models.Index(fields=["inspector", "date"])]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.school} · {self.get_kind_display()} · {self.date:%Y-%m-%d}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class VisitItem(models.Model):
    """A checklist item as recorded on one visit. Code, text and source are copied from the
    theme when the visit starts, so a later edit of the calendar does not rewrite a finding."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    text = models.CharField(_("item"), max_length=300)
    source = models.CharField(_("policy source"), max_length=300)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)
    result = models.CharField(_("result"), max_length=8, choices=ItemResult.choices, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["visit", "ordering", "pk"]
        constraints = [models.UniqueConstraint(fields=["visit", "code"], name="visit_item_unique_code")]
        verbose_name = _("visit item")
        verbose_name_plural = _("visit items")

    def __str__(self):
        return f"{self.code} {self.text}"


class VisitEvidence(EvidenceFile):
    """A photo or document attached to one checklist item of a visit."""

    item = models.ForeignKey(VisitItem, verbose_name=_("visit item"), on_delete=models.CASCADE, related_name="evidence")

    class Meta:
        ordering = ["item", "uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
