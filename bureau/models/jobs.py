"""An uploaded spreadsheet and its way through validation, confirmation and import.

The job belongs to the spreadsheet engine (bureau/sheets/), which every app uses by
declaring a kind of resource; `kind` names one of those declared kinds.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau import scope
from bureau.models.accounts import Role


def import_upload_to(instance, filename):
    # The stored name is ours (the user's file name is kept in `original_name`): no path
    # tricks, no clashes, nothing personal in the path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is seen by the user who uploaded it and by the admins of its district."""
        if not scope.is_active(user):
            return self.none()
        if user.is_superuser:
            return self
        mine = models.Q(created_by=user)
        if user.role == Role.ADMIN:
            mine |= models.Q(district_id__in=scope.district_ids(user))
        return self.filter(mine)


class ImportJob(models.Model):
    """One uploaded spreadsheet and its way through validation (dry run) and import.

    Status changes are claimed with a conditional UPDATE (bureau/sheets/jobs.py), so that
    a task delivered twice, or a double click on "confirm", does the work once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for validation")
        VALIDATING = "validating", _("Validating")
        VALIDATED = "validated", _("Ready to import")
        CONFIRMED = "confirmed", _("Waiting for import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    # Who may move a job where; the jobs service checks every change against this.
    TRANSITIONS = {
        Status.PENDING: {Status.VALIDATING},
        Status.VALIDATING: {Status.VALIDATED, Status.FAILED, Status.PENDING},
        Status.VALIDATED: {Status.CONFIRMED},
        Status.CONFIRMED: {Status.IMPORTING},
        Status.IMPORTING: {Status.DONE, Status.FAILED, Status.CONFIRMED},
        Status.DONE: set(),
        Status.FAILED: set(),
    }
    RUNNING = (Status.PENDING, Status.VALIDATING, Status.CONFIRMED, Status.IMPORTING)

    # One of the kinds the apps declare (bureau.sheets.registry), not a fixed list here: the
    # jobs service refuses any other, and the models do not depend on the engine.
    kind = models.CharField(_("kind"), max_length=16)
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # The uploader's district when they uploaded: the admins of that district may see the job.
    district = models.ForeignKey(
        "schools.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    run_async = models.BooleanField(_("runs in the background"), default=False)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.kind} · {self.original_name}"

    @property
    def is_running(self):
        return self.status in self.RUNNING

    @property
    def percent(self):
        if not self.total_rows:
            return 100 if self.status in (self.Status.DONE, self.Status.VALIDATED) else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
