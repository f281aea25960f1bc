from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet


class EvidenceFile(models.Model):
    """A photo or document kept as evidence (bureau/uploads.py checked it and named it;
    `label` is the uploader's file name, shown but never a path)."""

    file = models.FileField(_("file"), max_length=200)
    kind = models.CharField(_("kind of file"), max_length=8)
    label = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def is_image(self):
        return self.kind in ("jpeg", "png", "gif", "webp")
