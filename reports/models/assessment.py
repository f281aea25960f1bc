"""The yearly school assessment's criteria (学校年度考核): what is scored, its weight and the
rule it comes from. Data the bureau's administrators keep, not code: a bureau weighs its
priorities, and a report records the weights it was scored with."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentCriterion(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("criterion"), max_length=100)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=1,
                                 validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    source = models.CharField(_("rule it comes from"), max_length=300)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["ordering", "code"]

    def __str__(self):
        return self.title
