from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet
from schools.models.org import Section
from schools.models.tracking import RemembersLoadedValues

# A class locked after a balanced class assignment keeps its place and its pupils.
LOCKED_CLASS_FIELDS = ("grade", "number", "boys", "girls")


class SchoolClass(RemembersLoadedValues, models.Model):
    """A class (班级) in a term. Grades 1–6 are primary, 7–9 junior, 10–12 senior."""

    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="classes")
    term = models.ForeignKey("schools.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="classes")
    grade = models.PositiveSmallIntegerField(_("grade"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    number = models.PositiveSmallIntegerField(_("class number"), validators=[MinValueValidator(1), MaxValueValidator(99)])
    boys = models.PositiveSmallIntegerField(_("boys"), default=0, validators=[MaxValueValidator(200)])
    girls = models.PositiveSmallIntegerField(_("girls"), default=0, validators=[MaxValueValidator(200)])
    head_teacher = models.ForeignKey(
        "schools.Teacher", verbose_name=_("head teacher"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    equipment_value = models.DecimalField(
        _("class equipment value (yuan)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    is_starting_grade = models.BooleanField(_("starting grade"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False, help_text=_("Locked after a balanced class assignment."))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "term", "grade", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "term", "grade", "number"], name="class_unique_number"),
        ]
        indexes = [models.Index(fields=["term", "grade"])]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self):
        return f"{self.grade}({self.number})"

    def clean(self):
        # Checked here so that forms, the API and spreadsheet imports all apply them.
        errors = {}
        if self.school_id and self.grade:
            allowed = self.school.grades
            if allowed is not None and self.grade not in allowed:
                errors["grade"] = _("Grade %(grade)s is not taught at a %(stage)s (grades %(low)s–%(high)s).") % {
                    "grade": self.grade, "stage": self.school.get_stage_display(),
                    "low": min(allowed), "high": max(allowed),
                }
        if self.school_id and self.head_teacher_id and self.head_teacher.school_id != self.school_id:
            errors["head_teacher"] = _("The head teacher must teach at %(school)s.") % {"school": self.school}
        # The lock is the one the row was loaded with: a balanced assignment drew these pupils.
        changed = self.changed_since_loaded(LOCKED_CLASS_FIELDS) if self.loaded_value("is_locked") else []
        if changed:
            errors.setdefault(changed[0], _(
                "Class %(cls)s is locked after a balanced class assignment: its grade, number and pupils cannot be "
                "changed.") % {"cls": f"{self.loaded_value('grade')}({self.loaded_value('number')})"})
        if errors:
            raise ValidationError(errors)

    @property
    def size(self):
        return self.boys + self.girls

    @property
    def section(self):
        if self.grade <= 6:
            return Section.PRIMARY
        if self.grade <= 9:
            return Section.JUNIOR
        return Section.SENIOR
