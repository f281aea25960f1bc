from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.scope import ScopedQuerySet
from schools.models.org import Section


class EducationLevel(models.TextChoices):
    SECONDARY = "secondary", _("Secondary vocational / senior high")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctorate")


# Ordered lowest to highest, for "above the required education" comparisons.
EDUCATION_RANK = {level: rank for rank, level in enumerate(EducationLevel.values)}


class Teacher(models.Model):
    """A teacher in the district registry. No national ID number is stored, by design."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class CertificateType(models.TextChoices):
        NONE = "", _("None")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary")
        VOCATIONAL = "vocational", _("Vocational")

    class Title(models.TextChoices):
        NONE = "", _("None")
        THIRD = "third", _("Third-grade teacher")
        SECOND = "second", _("Second-grade teacher")
        FIRST = "first", _("First-grade teacher")
        SENIOR = "senior", _("Senior teacher")
        PROFESSOR = "professor", _("Professor-level senior teacher")

    class Backbone(models.TextChoices):
        NONE = "", _("None")
        COUNTY = "county", _("County backbone teacher")
        CITY = "city", _("City backbone teacher")
        PROVINCE = "province", _("Provincial backbone teacher")
        LEADER = "subject_leader", _("Subject leader")
        MASTER = "master", _("Master teacher")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("teacher status", "Active")
        LEAVE = "leave", _("On leave")
        LEFT = "left", _("Left")
        RETIRED = "retired", _("Retired")

    district = models.ForeignKey("schools.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    staff_number = models.CharField(_("staff number"), max_length=20)
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="teachers")
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    subject = models.CharField(_("subject"), max_length=20)
    education = models.CharField(_("education level"), max_length=16, choices=EducationLevel.choices)
    certificate_type = models.CharField(_("teacher certificate"), max_length=16, choices=CertificateType.choices, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    title = models.CharField(_("professional title"), max_length=16, choices=Title.choices, blank=True)
    backbone_level = models.CharField(_("backbone level"), max_length=16, choices=Backbone.choices, blank=True)
    is_sports_arts = models.BooleanField(_("sports / arts specialist"), default=False)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    joined_school_date = models.DateField(_("joined current school"), null=True, blank=True)
    is_head_teacher = models.BooleanField(_("head teacher"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "staff_number"]
        constraints = [
            models.UniqueConstraint(fields=["district", "staff_number"], name="teacher_staff_number_unique_in_district"),
        ]
        indexes = [models.Index(fields=["school", "status"])]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self):
        return f"{self.name} ({self.staff_number})"

    @property
    def is_certified(self):
        return bool(self.certificate_type)

    def clean(self):
        # Checked here so that the web form, the API and spreadsheet imports all apply them.
        errors = {}
        school = self.school if self.school_id else None
        if school is not None and self.district_id and school.district_id != self.district_id:
            # Staff numbers are unique per district: a teacher moves only within it.
            errors["school"] = _("A teacher can only move to a school of the same district.")
        elif school is not None and self.section and self.section not in school.sections:
            errors["section"] = _("%(school)s does not teach this section; choose one of: %(sections)s.") % {
                "school": school, "sections": ", ".join(str(Section(s).label) for s in school.sections),
            }
        if errors:
            raise ValidationError(errors)


class TrainingRecord(models.Model):
    teacher = models.ForeignKey(Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(500)]
    )
    date = models.DateField(_("date"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["teacher", "course", "date"], name="training_unique")]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self):
        return f"{self.course} {self.hours}h"


class Rotation(models.Model):
    """交流轮岗: a teacher working at another school for a period."""

    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("Exchange")
        SUPPORT = "support", _("Support teaching")
        SHADOW = "shadow", _("Job shadowing")
        VISITING = "visiting", _("Visiting teaching")

    teacher = models.ForeignKey(Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="rotations")
    from_school = models.ForeignKey("schools.School", verbose_name=_("from school"), on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey("schools.School", verbose_name=_("to school"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [models.UniqueConstraint(fields=["teacher", "start_date"], name="rotation_unique_start")]
        verbose_name = _("rotation")
        verbose_name_plural = _("rotations")

    def __str__(self):
        return f"{self.teacher} {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.to_school_id and self.to_school_id == self.from_school_id:
            errors["to_school"] = _("The school rotated to must differ from the school rotated from.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date must not be before the start date.")
        if errors:
            raise ValidationError(errors)


class ConductRecord(models.Model):
    """师德: a conduct finding; a veto counts against the yearly assessment."""

    teacher = models.ForeignKey(Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="conduct_records")
    finding = models.TextField(_("finding"))
    date = models.DateField(_("date"))
    is_veto = models.BooleanField(_("veto"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("conduct record")
        verbose_name_plural = _("conduct records")

    def __str__(self):
        return f"{self.teacher} {self.date}"


class TeachingAssignment(models.Model):
    teacher = models.ForeignKey(Teacher, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="assignments")
    school_class = models.ForeignKey("schools.SchoolClass", verbose_name=_("class"), on_delete=models.CASCADE, related_name="assignments")
    subject = models.CharField(_("subject"), max_length=20)
    term = models.ForeignKey("schools.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["teacher", "school_class", "subject", "term"], name="assignment_unique"),
        ]
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")

    def __str__(self):
        return f"{self.teacher} {self.school_class} {self.subject}"
