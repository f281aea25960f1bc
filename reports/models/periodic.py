"""Periodic reports: one row per version of a report of one kind, scope and period.

A report is built in two jobs: the data is gathered once and frozen in `data`, then the
HTML and the PDF are rendered from that data on the PDF queue. A re-render of the same
version reads the same data, so it gives the same document after the records change; a new
version is a new row and never overwrites an old one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet


class Report(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    S = Status
    # Built by the portal (queued → ready | failed, failed → queued on a rerun); a leader
    # publishes a ready report as a public bulletin and may withdraw it.
    TRANSITIONS = {
        S.QUEUED: {S.READY, S.FAILED},
        S.FAILED: {S.QUEUED},
        S.READY: {S.PUBLISHED},
        S.PUBLISHED: {S.WITHDRAWN},
    }

    kind = models.CharField(_("kind of report"), max_length=32)
    district = models.ForeignKey("schools.District", verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="+")
    zone = models.ForeignKey("inspections.InspectorZone", verbose_name=_("zone"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    # "district:<id>" or "zone:<id>": the scope as one value, so that the version key is
    # unique on every database (NULLs are distinct in a unique index).
    scope_key = models.CharField(max_length=32, editable=False)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    data = models.JSONField(_("data"), null=True, blank=True, editable=False)
    gathered_at = models.DateTimeField(_("data gathered"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/", blank=True)
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)
    failure = models.TextField(_("why it failed"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    scheduled = models.BooleanField(_("made by the schedule"), default=False)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "kind", "scope_key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "scope_key", "period_start", "version"],
                                    name="report_one_per_version"),
        ]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return f"{self.kind} {self.scope_key} {self.period_start} v{self.version}"

    @property
    def is_built(self):
        return self.status in (self.S.READY, self.S.PUBLISHED, self.S.WITHDRAWN)
