"""Named complaints (实名投诉, DESIGN.md "Complaint"): the complaint, its handling records.

The status moves only through bureau.workflow.transition (complaints/services.py); the
complainant's identity (account, name, mobile) is withheld by the scope engine from everyone
but the complaints office and leaders (complaints/permissions.py).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.models import EvidenceFile
from bureau.scope import ScopedQuerySet

MOBILE = RegexValidator(r"^1\d{10}$", _("Enter an 11-digit mobile number starting with 1."))


class Category(models.TextChoices):
    """The bans of the burden rules a complaint can be about (seeds 000 and 004, 双减)."""

    ENTRANCE_EXAM = "entrance_exam", _("Entrance exams or selection")
    KEY_CLASSES = "key_classes", _("Key or fast classes")
    HOLIDAY_CLASSES = "holiday_classes", _("Make-up classes on holidays and weekends")
    ILLEGAL_FEES = "illegal_fees", _("Illegal fees")
    PAID_TUTORING = "paid_tutoring", _("Paid tutoring by teachers")
    HOMEWORK = "homework", _("Excessive homework")
    RANKINGS = "rankings", _("Publishing exam rankings")
    AFTER_SCHOOL = "after_school", _("After-school service")
    CONDUCT = "conduct", _("Teacher conduct")
    SAFETY = "safety", _("Safety")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Web (parent account)")
    HOTLINE = "hotline", _("Hotline")
    LETTER = "letter", _("Letter")
    VISIT = "visit", pgettext_lazy("complaint channel", "Visit")


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Unsubstantiated")


class Responsibility(models.TextChoices):
    SCHOOL = "school", _("The school (principal and leader in charge)")
    INDIVIDUAL = "individual", _("An individual")
    NONE = "none", _("None")


class Complaint(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        ASSIGNED = "assigned", _("Assigned")
        INVESTIGATING = "investigating", _("Investigating")
        CONCLUDED = "concluded", _("Concluded")
        REPLIED = "replied", _("Replied")
        REOPENED = "reopened", _("Reopened on appeal")
        CLOSED = "closed", _("Closed")

    S = Status
    # DESIGN.md: submitted → accepted | rejected → assigned → investigating → concluded →
    # replied → closed, and replied → reopened → investigating once on appeal (the "once"
    # is the service's: complaint_appeal refuses a second appeal).
    TRANSITIONS = {
        S.SUBMITTED: {S.ACCEPTED, S.REJECTED},
        S.ACCEPTED: {S.ASSIGNED},
        S.ASSIGNED: {S.INVESTIGATING},
        S.INVESTIGATING: {S.CONCLUDED},
        S.CONCLUDED: {S.REPLIED},
        S.REPLIED: {S.CLOSED, S.REOPENED},
        S.REOPENED: {S.INVESTIGATING},
    }
    # States in which the bureau still owes a conclusion (the conclusion deadline runs).
    OPEN_FOR_CONCLUSION = (S.ACCEPTED, S.ASSIGNED, S.INVESTIGATING, S.REOPENED)

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    school = models.ForeignKey(
        "schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="complaints"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    description = models.TextField(_("what happened"), max_length=2000, validators=[MaxLengthValidator(2000)])
    happened_on = models.DateField(_("when it happened"))
    teacher_name = models.CharField(_("teacher named"), max_length=50, blank=True)
    teacher = models.ForeignKey(
        "schools.Teacher", verbose_name=_("teacher record"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="complaints", help_text=_("The teacher's record, when the complaint names one."),
    )

    # The complainant: the parent's account (web) or the details staff took down. Withheld
    # from everyone but the complaints office and leaders (complaints/permissions.py).
    # A complaint staff found to be about the same matter as an earlier one: handled
    # together, yet each complainant still gets its own reply.
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("same matter as"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="duplicates",
    )

    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("complainant's account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="complaints",
    )
    complainant_name = models.CharField(_("complainant's name"), max_length=50)
    complainant_mobile = models.CharField(_("complainant's mobile"), max_length=11, validators=[MOBILE])

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # One per form shown: a double-clicked or resent submit finds the complaint it made.
    submission_token = models.UUIDField(default=uuid.uuid4, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    # Deadlines, in working days on the bureau calendar (COMPLAINT_* settings).
    accept_due = models.DateField(_("accept by"))
    conclude_due = models.DateField(_("conclude by"), null=True, blank=True)
    due_on = models.DateField(_("next deadline"), null=True, blank=True, db_index=True)
    extension_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)

    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)

    department = models.ForeignKey(
        "bureau.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="complaints",
    )
    handed_to_school = models.BooleanField(_("handed to the school for verification"), default=False)
    assignment_due = models.DateField(_("answer by"), null=True, blank=True)

    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    responsibility = models.CharField(_("responsibility"), max_length=12, choices=Responsibility.choices, blank=True)
    measures = models.TextField(_("measures taken"), max_length=2000, validators=[MaxLengthValidator(2000)], blank=True)
    veto = models.BooleanField(_("veto (一票否决)"), default=False)
    # The teacher's conduct record (师德) a vetoing conclusion against an individual wrote;
    # the link lives here, since schools knows nothing of complaints.
    conduct_record = models.OneToOneField(
        "schools.ConductRecord", verbose_name=_("conduct record"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="complaint",
    )
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)

    reply = models.TextField(_("reply"), max_length=2000, validators=[MaxLengthValidator(2000)], blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    appeal_due = models.DateField(_("appeal by"), null=True, blank=True)

    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    appeal_reason = models.TextField(_("reason for the appeal"), max_length=2000, validators=[MaxLengthValidator(2000)], blank=True)
    appealed_at = models.DateTimeField(_("appealed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # After COMPLAINT_RETENTION_DAYS the complainant's identity and own words are erased
    # (complaints/retention.py); the complaint and its handling stay for the figures.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.UniqueConstraint(fields=["created_by", "submission_token"], name="complaint_one_per_submit"),
            models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                                   name="complaint_rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.tracking_number or _("new complaint")


class HandlingRecord(models.Model):
    """One step of the handling that is not a change of state: an investigation note, the
    school's answer, an extension."""

    class Kind(models.TextChoices):
        INVESTIGATION = "investigation", _("Investigation")
        SCHOOL_ANSWER = "school_answer", _("School's answer")
        EXTENSION = "extension", _("Extension")

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=2000, validators=[MaxLengthValidator(2000)])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("handling record")
        verbose_name_plural = _("handling records")

    def __str__(self):
        return f"{self.complaint} · {self.get_kind_display()}"


class Attachment(EvidenceFile):
    """A photo or document of a complaint (bureau/uploads.py checked its content and named
    it). Who reads it follows from whose side it comes from (complaints/permissions.py):

    - the complainant's (lodged with the complaint, added while it is open, or a letter the
      office scanned): the complainant and the bureau, never the school (a photo of a
      child's exercise book names the family);
    - the handling's (with an investigation record): the bureau's working papers;
    - the school's (with its answer): the bureau and the school;
    - the reply's: the bureau and the complainant.
    """

    class Side(models.TextChoices):
        COMPLAINANT = "complainant", _("From the complainant")
        HANDLING = "handling", _("From the investigation")
        SCHOOL = "school", _("From the school")
        REPLY = "reply", _("With the bureau's reply")

    # Where bureau.uploads stores them (and the nightly sweep looks).
    FOLDER = "complaints"

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE,
                                  related_name="attachments")
    side = models.CharField(_("from"), max_length=12, choices=Side.choices)
    record = models.ForeignKey(HandlingRecord, verbose_name=_("handling record"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
