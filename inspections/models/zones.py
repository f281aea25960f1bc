from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models import Role
from bureau.scope import ScopedQuerySet


class InspectorZone(models.Model):
    """督学责任区: a set of schools looked after by its inspectors (about five schools each)."""

    district = models.ForeignKey("schools.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="zones")
    name = models.CharField(_("name"), max_length=50)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), blank=True, related_name="inspector_zones",
        limit_choices_to={"role": Role.INSPECTOR},
    )
    # The 2013 national rules on responsible inspectors (责任督学挂牌督导): the sign at every
    # school names its inspectors and the line to report to.
    complaint_phone = models.CharField(
        _("complaint line"), max_length=30, blank=True,
        help_text=_("The bureau's telephone for complaints, printed on the gate sign of every school of the zone."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["district", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="zone_unique_name")]
        verbose_name = _("inspector zone")
        verbose_name_plural = _("inspector zones")

    def __str__(self):
        return self.name


class ZoneSchool(models.Model):
    """A school's place in one zone: each school belongs to exactly one zone."""

    zone = models.ForeignKey(InspectorZone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="school_links")
    school = models.OneToOneField(
        "schools.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="zone_link"
    )

    class Meta:
        verbose_name = _("zone school")
        verbose_name_plural = _("zone schools")

    def __str__(self):
        return f"{self.zone} · {self.school}"


class InspectorCard(models.Model):
    """What a school's gate sign (挂牌) shows of an inspector: its photo and the telephone the
    public may call. Kept by the inspector; shown on the public sign page and its PDF."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.CASCADE,
                                related_name="inspector_card")
    photo = models.FileField(_("photo"), max_length=200, blank=True)
    photo_kind = models.CharField(max_length=8, blank=True)
    phone = models.CharField(_("telephone on the sign"), max_length=30, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspector card")
        verbose_name_plural = _("inspector cards")

    def __str__(self):
        return str(self.user)
