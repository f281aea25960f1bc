import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bureau import scope


class CalendarDay(models.Model):
    """A day that breaks the plain week: a public holiday (放假), or a make-up working day
    (调休上班) that falls on a weekend. Every other Monday–Friday is a working day.

    National days (district empty) come from the State Council's yearly notice; a bureau
    may add days of its own district (a local holiday, a district-wide closure), which
    count for that district only and win over a national day of the same date.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, help_text=_("e.g. Spring Festival"))
    district = models.ForeignKey(
        "schools.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+", help_text=_("Empty for a national day; a district's own day counts for that district only."),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The notice the day comes from, e.g. its document number.")
    )

    objects = scope.ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(district__isnull=True), name="calendar_day_national_unique"
            ),
            models.UniqueConstraint(fields=["date", "district"], name="calendar_day_district_unique"),
        ]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"

    def clean(self):
        # Here rather than in a form, so that the portal, the admin and any import agree.
        if not isinstance(self.date, datetime.date):
            return  # clean_fields() has reported it
        if self.kind == self.Kind.WORKDAY and self.date.weekday() < 5:
            raise ValidationError({"kind": gettext(
                "A make-up working day falls on a Saturday or Sunday; %(date)s is a %(weekday)s, "
                "already a working day."
            ) % {"date": self.date.isoformat(), "weekday": date_format(self.date, "l")}})
        same_day = CalendarDay.objects.filter(date=self.date, district_id=self.district_id).exclude(pk=self.pk)
        taken = same_day.only("name").first()
        if taken is not None:
            if self.district_id is None:
                message = gettext("The national calendar already has %(date)s (%(name)s): edit that day instead.")
            else:
                message = gettext("This district already has %(date)s (%(name)s): edit that day instead.")
            raise ValidationError({"date": message % {"date": self.date.isoformat(), "name": taken.name}})
