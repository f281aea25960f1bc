"""Unannounced inspections drawn at random (双随机): a seeded sample of schools and of inspectors.

DESIGN.md "Visit": unannounced inspections are planned on a random sample of schools drawn by
the portal, seeded and logged, as the 双随机 principle asks, and nobody at the school can see
the plan. A draw keeps its inputs (the candidate schools and inspectors, in order), the
sample size and the seed, so anyone can run it again and get the same result.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet


class UnannouncedDraw(models.Model):
    district = models.ForeignKey("schools.District", verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="unannounced_draws")
    title = models.CharField(_("what is inspected"), max_length=100)
    stage = models.CharField(_("stage"), max_length=16, blank=True)
    zone = models.ForeignKey("inspections.InspectorZone", verbose_name=_("zone"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(_("share of schools"), max_digits=4, decimal_places=3, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(1)])
    count = models.PositiveSmallIntegerField(_("number of schools"), null=True, blank=True)
    inspectors_per_school = models.PositiveSmallIntegerField(
        _("inspectors per school"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    seed = models.PositiveBigIntegerField(_("seed"))
    # The inputs as drawn from, in the order the draw read them (school ids by code, inspector
    # ids by account id): with the seed they give the result again.
    candidates = models.JSONField(_("candidate schools"), default=list)
    pool = models.JSONField(_("candidate inspectors"), default=list)
    sample_size = models.PositiveSmallIntegerField(_("schools drawn"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("unannounced inspection draw")
        verbose_name_plural = _("unannounced inspection draws")

    def __str__(self):
        return f"{self.title} ({self.created_at:%Y-%m-%d})" if self.created_at else self.title


class DrawAssignment(models.Model):
    """One drawn school and the inspectors drawn for it, in the order drawn."""

    draw = models.ForeignKey(UnannouncedDraw, verbose_name=_("draw"), on_delete=models.CASCADE,
                             related_name="assignments")
    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="draw_assignments")
    position = models.PositiveSmallIntegerField(_("order drawn"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["draw", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["draw", "school", "inspector"], name="draw_assignment_once")]
        verbose_name = _("drawn assignment")
        verbose_name_plural = _("drawn assignments")

    def __str__(self):
        return f"{self.school} · {self.inspector}"
