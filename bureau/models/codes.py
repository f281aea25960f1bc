from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeCode(models.Model):
    """A code sent by text message to confirm a mobile number (registration, a forgotten
    password). Only its keyed hash is kept; every one sent counts towards the rate limits
    (bureau/codes.py), so the rows are also the limits' memory, shared by every web worker."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Registration")
        RESET = "reset", _("Password reset")

    mobile = models.CharField(_("mobile number"), max_length=11, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self):
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"
