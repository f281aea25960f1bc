from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolYear(models.Model):
    """学年, named by the calendar year it starts in: 2025 → 2025–2026学年."""

    start_year = models.PositiveSmallIntegerField(_("start year"), unique=True)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("school year")
        verbose_name_plural = _("school years")

    def __str__(self):
        return f"{self.start_year}–{self.start_year + 1}"


class Term(models.Model):
    class Number(models.IntegerChoices):
        FIRST = 1, _("First term")
        SECOND = 2, _("Second term")

    school_year = models.ForeignKey(SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("term"), choices=Number.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["-school_year__start_year", "-number"]
        constraints = [models.UniqueConstraint(fields=["school_year", "number"], name="term_unique")]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return f"{self.school_year} {self.get_number_display()}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The end date must be after the start date.")})
