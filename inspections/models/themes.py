"""The themed calendar (督导随访主题): a district's monthly themes, each with its checklist.

Seed 004: "督导随访做到每月有主题，每月有总结". The 督导室 keeps one theme per month of a
year; each checklist item says what the inspector checks and the policy it comes from, so a
finding on a visit can always be traced to its rule.
"""

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet


class MonthlyTheme(models.Model):
    district = models.ForeignKey(
        "schools.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="monthly_themes"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    title = models.CharField(_("theme"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)])
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["district", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "month"], name="theme_one_per_month"),
        ]
        verbose_name = _("monthly theme")
        verbose_name_plural = _("monthly themes")

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.title}"


class ChecklistItem(models.Model):
    """One thing checked under a theme: its code, what is checked, and the policy behind it."""

    theme = models.ForeignKey(MonthlyTheme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    text = models.CharField(_("item"), max_length=300)
    source = models.CharField(_("policy source"), max_length=300)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["theme", "ordering", "code"]
        constraints = [models.UniqueConstraint(fields=["theme", "code"], name="checklist_item_unique_code")]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return f"{self.code} {self.text}"
