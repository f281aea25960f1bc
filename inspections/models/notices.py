"""Rectification notices (整改通知): what a school must fix after a visit found an item not met.

Seed 004: "对于在随访时发现的问题，及时向学校反馈，并提出整改意见". The inspector sets what to fix
and a deadline in working days (bureau.calendar); the principal answers with what was done
and evidence; the inspector verifies it or returns it with a reason, and the school answers
again. A notice the school has not answered by its deadline is overdue.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.models import EvidenceFile
from bureau.scope import ScopedQuerySet


class RectificationNotice(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        ANSWERED = "answered", _("Answered")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned")

    TRANSITIONS = {
        Status.ISSUED: {Status.ANSWERED},
        Status.ANSWERED: {Status.VERIFIED, Status.RETURNED},
        Status.RETURNED: {Status.ANSWERED},
    }
    # The school's turn: the notice waits for its answer (and may run past its deadline).
    AWAITING_SCHOOL = (Status.ISSUED, Status.RETURNED)
    OPEN = (Status.ISSUED, Status.ANSWERED, Status.RETURNED)

    item = models.OneToOneField(
        "inspections.VisitItem", verbose_name=_("visit item"), on_delete=models.PROTECT, related_name="notice"
    )
    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="rectification_notices")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="issued_notices")
    requirement = models.TextField(_("what to fix"), max_length=2000, validators=[MaxLengthValidator(2000)])
    working_days = models.PositiveSmallIntegerField(
        _("working days to fix it"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ISSUED)
    answer = models.TextField(_("what was done"), max_length=4000, blank=True, validators=[MaxLengthValidator(4000)])
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), max_length=2000, blank=True,
                                     validators=[MaxLengthValidator(2000)])
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")

    def __str__(self):
        return _("Rectification notice %(pk)s") % {"pk": self.pk}

    def is_overdue(self, today=None):
        return self.status in self.AWAITING_SCHOOL and self.deadline < (today or timezone.localdate())


class NoticeEvidence(EvidenceFile):
    """A photo or document the school sent with an answer."""

    notice = models.ForeignKey(RectificationNotice, verbose_name=_("rectification notice"), on_delete=models.CASCADE,
                               related_name="evidence")

    class Meta:
        ordering = ["notice", "uploaded_at", "pk"]
        verbose_name = _("answer evidence")
        verbose_name_plural = _("answer evidence")
