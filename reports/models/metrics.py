"""Metric snapshots (indicator × scope × stage × period → value), the state of each area's
snapshots, and the bureau's targets.

Pages read snapshots only, so a dashboard costs the same for 30 schools or 30,000. A
period is a term; the snapshots of past terms stay, so trends come from them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.scope import ScopedQuerySet

LEVEL_CHOICES = [("class", _("Class")), ("school", _("School")), ("zone", _("Inspector zone")),
                 ("district", _("District")), ("city", _("City"))]


class Snapshot(models.Model):
    indicator = models.CharField(_("indicator"), max_length=64)
    level = models.CharField(_("level"), max_length=8, choices=LEVEL_CHOICES)
    scope_id = models.PositiveIntegerField(_("scope"))
    stage = models.CharField(_("stage"), max_length=12, blank=True)
    # Derived rows, rewritten whole by every job (tens of thousands at once): the references
    # carry no database constraint, whose checks at COMMIT were a third of a job's time, and
    # term and district no index of their own (the (district, term) index serves both). The
    # ORM still protects a term and cascades a district, zone or school's deletion to them.
    term = models.ForeignKey("schools.Term", verbose_name=_("period"), on_delete=models.PROTECT, related_name="+",
                             db_constraint=False, db_index=False)
    # Where the scope lies, for the scope engine: a district row its district (a city row
    # the city), a zone row its zone and district, a school or class row all three.
    district = models.ForeignKey("schools.District", verbose_name=_("district"), on_delete=models.CASCADE,
                                 related_name="+", db_constraint=False, db_index=False)
    zone = models.ForeignKey("inspections.InspectorZone", verbose_name=_("zone"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", db_constraint=False)
    school = models.ForeignKey("schools.School", verbose_name=_("school"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+", db_constraint=False)
    # Unrounded: the pages round for display only.
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=10, null=True)
    numerator = models.DecimalField(_("numerator"), max_digits=24, decimal_places=6, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=24, decimal_places=6, null=True)
    computed_at = models.DateTimeField(_("computed at"))
    inputs_version = models.PositiveIntegerField(_("inputs version"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        # One row per indicator, scope, stage and period holds by construction: the only
        # writer replaces an area's period whole under the area's row lock, and checks its
        # rows' keys before writing (reports/snapshots.py). A unique index made every insert
        # visit the heap rows the same job had just deleted, a third of the job's time.
        indexes = [models.Index(fields=["level", "scope_id", "term"]), models.Index(fields=["district", "term"])]
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")

    def __str__(self):
        return f"{self.indicator} {self.level}:{self.scope_id} {self.stage} {self.term_id}"


class AreaState(models.Model):
    """One row per area (a city, or a district without one): how fresh its snapshots are.

    A change of the inputs (an import, a filed visit, a closed complaint) bumps
    `inputs_version` and marks the area dirty; the debounced job computes the area once
    for a burst of changes, and runs again if the version moved while it computed. The
    snapshot job locks this row (select_for_update) while it writes, so two jobs for the
    same area at once write one result, one after the other.
    """

    area = models.OneToOneField("schools.District", verbose_name=_("area"), on_delete=models.CASCADE,
                                related_name="+")
    inputs_version = models.PositiveIntegerField(_("inputs version"), default=0)
    dirty_since = models.DateTimeField(_("changed since"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_version = models.PositiveIntegerField(_("version computed"), default=0)
    seconds = models.FloatField(_("time taken (seconds)"), null=True, blank=True)

    class Meta:
        verbose_name = _("snapshot state")
        verbose_name_plural = _("snapshot states")

    def __str__(self):
        return f"{self.area_id} v{self.inputs_version}"


class Comparator(models.TextChoices):
    AT_LEAST = ">=", _("at least")
    AT_MOST = "<=", _("at most")


class Target(models.Model):
    """A bureau-set target (seed 000: "by 2016, 85 % of schools standardized")."""

    indicator = models.CharField(_("indicator"), max_length=64)
    district = models.ForeignKey("schools.District", verbose_name=_("district"), on_delete=models.CASCADE,
                                 related_name="+")
    zone = models.ForeignKey("inspections.InspectorZone", verbose_name=_("zone"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("Leave empty for the whole district."))
    stage = models.CharField(_("stage"), max_length=12, blank=True)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices, default=Comparator.AT_LEAST)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=4)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4, null=True, blank=True)
    deadline = models.DateField(pgettext_lazy("target", "deadline"))
    department = models.ForeignKey("bureau.Department", verbose_name=_("owning department"), on_delete=models.PROTECT,
                                   related_name="+")
    source = models.CharField(_("source"), max_length=300, blank=True,
                              help_text=_("The document and sentence the target comes from."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return f"{self.indicator} {self.comparator} {self.value}"

    def clean(self):
        from reports.indicators import REGISTRY

        indicator = REGISTRY.get(self.indicator)
        if indicator is None:
            raise ValidationError({"indicator": _("Choose an indicator of the registry.")})
        level = "zone" if self.zone_id else "district"
        if level not in indicator.levels:
            raise ValidationError({"indicator": _("This indicator is not computed for a %(level)s.")
                                   % {"level": dict(LEVEL_CHOICES)[level]}})
        if self.stage not in indicator.stages:
            raise ValidationError({"stage": _("Choose a stage this indicator is split by.")})
        if self.zone_id and self.district_id and self.zone.district_id != self.district_id:
            raise ValidationError({"zone": _("The zone belongs to another district.")})
