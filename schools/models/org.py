from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet

school_code_validator = RegexValidator(
    r"^\d{10}$", _("The school code (学校标识码) must be exactly 10 digits.")
)


class District(models.Model):
    """A district or county (区县); a city-level bureau is a District with children."""

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District / county")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.DISTRICT)
    parent = models.ForeignKey(
        "self", verbose_name=_("city"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class SchoolStage(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    COMPLETE = "complete", _("Complete secondary school")
    SENIOR = "senior", _("Senior secondary school")
    SPECIAL = "special", _("Special education school")
    KINDERGARTEN = "kindergarten", _("Kindergarten")


class Section(models.TextChoices):
    """The stage a class or teacher belongs to inside a school (学段)."""

    PRIMARY = "primary", _("Primary")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    SPECIAL = "special", _("Special education")


# Which compulsory sections each kind of school counts in; the policy indicators
# only look at primary and junior (compulsory) education.
STAGE_SECTIONS = {
    SchoolStage.PRIMARY: (Section.PRIMARY,),
    SchoolStage.JUNIOR: (Section.JUNIOR,),
    SchoolStage.NINE_YEAR: (Section.PRIMARY, Section.JUNIOR),
    SchoolStage.COMPLETE: (Section.JUNIOR, Section.SENIOR),
    SchoolStage.SENIOR: (Section.SENIOR,),
    SchoolStage.SPECIAL: (Section.SPECIAL,),
    SchoolStage.KINDERGARTEN: (Section.KINDERGARTEN,),
}


# Grades taught in each section; special schools and kindergartens have no fixed grades.
SECTION_GRADES = {
    Section.PRIMARY: range(1, 7),
    Section.JUNIOR: range(7, 10),
    Section.SENIOR: range(10, 13),
}


class EducationGroup(models.Model):
    """集团化办学 / 共同体: a lead school and its member schools."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Education group")
        COMMUNITY = "community", _("School community")

    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GROUP)
    lead_school = models.ForeignKey(
        "School", verbose_name=_("lead school"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="group_unique_name")]
        verbose_name = _("education group")
        verbose_name_plural = _("education groups")

    def __str__(self):
        return self.name


class School(models.Model):
    class Location(models.TextChoices):
        URBAN = "urban", _("Urban")
        TOWN = "town", _("Town")
        RURAL = "rural", _("Rural")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged")

    code = models.CharField(_("school code"), max_length=10, unique=True, validators=[school_code_validator])
    name = models.CharField(_("name"), max_length=100)
    stage = models.CharField(_("stage"), max_length=16, choices=SchoolStage.choices)
    location = models.CharField(_("urban / rural"), max_length=8, choices=Location.choices)
    ownership = models.CharField(_("public / private"), max_length=8, choices=Ownership.choices, default=Ownership.PUBLIC)
    is_boarding = models.BooleanField(_("boarding school"), default=False)
    is_village_full = models.BooleanField(_("village full primary school"), default=False)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="schools")
    group = models.ForeignKey(
        EducationGroup, verbose_name=_("education group"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="schools",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    principal_name = models.CharField(_("principal"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    # A merged school keeps its records as history and points at the school that took it in
    # (schools.services.school_merge); PROTECT, so that history cannot lose its successor.
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged_schools",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["district", "stage"])]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self):
        return self.name

    def clean(self):
        # Checked here so that the web form, the API and spreadsheet imports all apply it.
        if self.group_id and self.district_id and self.group.district_id != self.district_id:
            raise ValidationError({"group": _("The education group belongs to another district.")})
        if self.merged_into_id:
            if self.status != self.Status.MERGED:
                raise ValidationError({"merged_into": _("Only a merged school points at the school it merged into.")})
            if self.merged_into_id == self.pk:
                raise ValidationError({"merged_into": _("A school cannot merge into itself.")})
            if self.district_id and self.merged_into.district_id != self.district_id:
                raise ValidationError({"merged_into": _("A school merges into a school of its own district.")})

    @property
    def sections(self):
        return STAGE_SECTIONS[self.stage]

    @property
    def grades(self):
        """The grades this school teaches, or None when any grade is allowed."""
        grades = set()
        for section in self.sections:
            if section not in SECTION_GRADES:
                return None
            grades.update(SECTION_GRADES[section])
        return grades

    @property
    def compulsory_sections(self):
        return tuple(s for s in self.sections if s in (Section.PRIMARY, Section.JUNIOR))
