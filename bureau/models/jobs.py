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


def import_upload_to(instance, filename):
    # The stored name is ours (the user's file name is kept in `original_name`): no path
    # tricks, no clashes, nothing personal in the path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ImportJob(models.Model):
    """One uploaded spreadsheet and its way through validation (dry run) and import.

    Its states are a declared workflow: every move goes through bureau.workflow.transition
    (locked, checked, recorded), so a task delivered twice or a double click on "confirm"
    moves it once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for validation")
        VALIDATING = "validating", _("Validating")
        VALIDATED = "validated", _("Ready to import")
        CONFIRMED = "confirmed", _("Waiting for import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    # The moves of a job (bureau.workflow; who may make which: bureau/permissions.py). A
    # step stopped by a background failure is run again from "failed" (retry); a job that
    # waits may be cancelled (→ failed). There is no way back from "done".
    TRANSITIONS = {
        Status.PENDING: {Status.VALIDATING, Status.FAILED},
        Status.VALIDATING: {Status.VALIDATED, Status.FAILED},
        Status.VALIDATED: {Status.CONFIRMED, Status.FAILED},
        Status.CONFIRMED: {Status.IMPORTING, Status.FAILED},
        Status.IMPORTING: {Status.DONE, Status.FAILED},
        Status.DONE: set(),
        Status.FAILED: {Status.PENDING, Status.CONFIRMED},
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
    # A digest of the records the preview was made against: confirming notices that they
    # changed since (someone edited a teacher by hand) and asks for a new preview.
    preview_digest = models.CharField(max_length=64, blank=True, editable=False)
    # What the import would do, row by row (bounded; bureau/sheets/preview.py), for the
    # preview page to page through without validating again.
    preview = models.JSONField(default=dict, blank=True, editable=False)
    # The step to run again when a background run was given up (a worker lost, the database
    # gone): the user's "retry" button. Empty when the file itself was at fault.
    retry_step = models.CharField(max_length=16, blank=True, editable=False)

    objects = scope.ScopedQuerySet.as_manager()

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


class Job(models.Model):
    """One piece of background work. The row is the truth, the broker only a doorbell.

    bureau/jobs.py enqueues it (the row first, the Celery message on commit), claims it for
    one worker at a time, keeps its heartbeat while it runs, retries it after a failure, and
    a sweep every minute rings again for work the broker lost and takes back work whose
    worker died. Imports, the nightly purges, and later reminders, snapshots and reports all
    run as jobs; each kind registers its handler.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    OPEN = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("kind"), max_length=64)
    # What the job works on ("import:42:validate"): at most one open job per key, so that a
    # double click or two sweeps enqueue the work once.
    key = models.CharField(_("key"), max_length=200, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=3)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    run_after = models.DateTimeField(_("run after"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent to the workers"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The token of the run that holds the job; a run that lost it (taken over by the sweep)
    # can no longer finish the job.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(state__in=["queued", "running"]) & ~models.Q(key=""),
                name="job_one_open_per_key",
            ),
        ]
        indexes = [models.Index(fields=["state", "run_after"]), models.Index(fields=["key"])]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self):
        return f"{self.kind} {self.key or self.pk}"
