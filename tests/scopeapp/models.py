from django.conf import settings
from django.db import models

from bureau.scope import ScopedQuerySet


class Petition(models.Model):
    """Stands for a parent's named complaint: owned by the parent, kept by the bureau of
    its district, handed to a school without the complainant's identity."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "submitted"
        ACCEPTED = "accepted", "accepted"
        REJECTED = "rejected", "rejected"
        CLOSED = "closed", "closed"

    TRANSITIONS = {
        Status.SUBMITTED: {Status.ACCEPTED, Status.REJECTED},
        Status.ACCEPTED: {Status.CLOSED},
        Status.REJECTED: set(),
        Status.CLOSED: set(),
    }

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    handed_to_school = models.BooleanField(default=False)
    complainant_name = models.CharField(max_length=50)
    complainant_mobile = models.CharField(max_length=20)
    summary = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)

    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return f"petition {self.pk}"


class SurpriseVisit(models.Model):
    """Stands for a visit: an unannounced one stays hidden from its school until filed."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "routine"
        UNANNOUNCED = "unannounced", "unannounced"

    class Status(models.TextChoices):
        PLANNED = "planned", "planned"
        FILED = "filed", "filed"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)

    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return f"visit {self.pk}"


class ZoneNote(models.Model):
    """Stands for a record that belongs to an inspector zone (a zone's monthly plan)."""

    zone = models.ForeignKey("inspections.InspectorZone", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=100)

    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return self.text
