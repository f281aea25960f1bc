"""Balanced class assignment (均衡分班, seed 003): the draw of a starting grade, its roster,
the transfers after it, and the between-class balance measured per term.

The draw itself is schools/draw/algorithm.py (pure); these are its records.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet
from schools.models.org import Section

# The starting grades of compulsory education (seed 003: 起始年级).
STARTING_GRADES = (1, 7)


class ClassDraw(models.Model):
    """The draw of one school's starting grade in one term."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Roster being prepared")
        PUBLISHED = "published", _("Seed published")
        DRAWN = "drawn", _("Drawn")

    # The seed is a public commitment: once published it is never withdrawn, and a drawn
    # grade is final (later changes are approved transfers, ClassTransfer).
    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED},
        Status.PUBLISHED: {Status.DRAWN},
    }

    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="draws")
    term = models.ForeignKey("schools.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(_("grade"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    class_count = models.PositiveSmallIntegerField(
        _("number of classes"), default=0, validators=[MaxValueValidator(60)])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    seed = models.CharField(_("public seed"), max_length=64, blank=True)
    roster_hash = models.CharField(_("roster hash"), max_length=64, blank=True)
    student_count = models.PositiveIntegerField(_("students"), default=0)
    algorithm = models.CharField(_("algorithm"), max_length=32, blank=True)
    size_limit = models.PositiveSmallIntegerField(_("class size limit"), default=0)
    # [[registration numbers of class 1], …]: what the draw gave, kept after the roster's
    # personal data is erased, so the public page can still show and re-run it.
    result = models.JSONField(_("result"), default=list, blank=True)
    seed_published_at = models.DateTimeField(_("seed published at"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey("bureau.User", verbose_name=_("drawn by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    personal_data_erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-term__school_year__start_year", "-term__number", "school__code", "grade"]
        constraints = [models.UniqueConstraint(fields=["school", "term", "grade"], name="class_draw_unique_grade")]
        verbose_name = _("class draw")
        verbose_name_plural = _("class draws")

    def __str__(self):
        return _("%(school)s grade %(grade)s draw") % {"school": self.school, "grade": self.grade}

    @property
    def section(self):
        return Section.PRIMARY if self.grade <= 6 else Section.JUNIOR if self.grade <= 9 else Section.SENIOR

    def clean(self):
        if self.grade and self.grade not in STARTING_GRADES:
            raise ValidationError({"grade": _("Only a starting grade of compulsory education (grade 1 or 7) is drawn.")})
        if self.school_id and self.grade:
            allowed = self.school.grades
            if allowed is not None and self.grade not in allowed:
                raise ValidationError({"grade": _("Grade %(grade)s is not taught at this school.") % {
                    "grade": self.grade}})


class IncomingStudent(models.Model):
    """A student of a starting grade, kept only as long as the draw needs (retention)."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    draw = models.ForeignKey(ClassDraw, verbose_name=_("class draw"), on_delete=models.CASCADE, related_name="students")
    number = models.CharField(_("registration number"), max_length=20)
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True)
    # Kept when the birth date is erased: the draw balances months and must re-run.
    birth_month = models.PositiveSmallIntegerField(
        _("birth month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)])
    inclusive = models.BooleanField(_("inclusive education (随班就读)"), default=False)
    left_behind = models.BooleanField(_("left-behind child (留守儿童)"), default=False)
    migrant = models.BooleanField(_("migrant child (随迁子女)"), default=False)
    school_class = models.ForeignKey("schools.SchoolClass", verbose_name=_("class"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="drawn_students")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["draw", "number"]
        constraints = [models.UniqueConstraint(fields=["draw", "number"], name="incoming_student_unique_number")]
        verbose_name = _("incoming student")
        verbose_name_plural = _("incoming students")

    def __str__(self):
        return self.number

    @property
    def groups(self):
        return tuple(code for code in ("inclusive", "left_behind", "migrant") if getattr(self, code))

    def clean(self):
        # 留守儿童 stay at home while their parents work away; 随迁子女 moved with them: a child
        # is one or the other, never both.
        if self.left_behind and self.migrant:
            raise ValidationError({"migrant": _(
                "A child cannot be both a left-behind child (留守儿童) and a migrant child (随迁子女).")})
        if self.birth_date:
            self.birth_month = self.birth_date.month


class ClassTransfer(models.Model):
    """A student's move between drawn classes: a reason, and a 基础教育科 approval."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS = {Status.REQUESTED: {Status.APPROVED, Status.REJECTED}}

    draw = models.ForeignKey(ClassDraw, verbose_name=_("class draw"), on_delete=models.CASCADE, related_name="transfers")
    student = models.ForeignKey(IncomingStudent, verbose_name=_("student"), on_delete=models.CASCADE,
                                related_name="transfers")
    from_class = models.ForeignKey("schools.SchoolClass", verbose_name=_("from class"), on_delete=models.PROTECT,
                                   related_name="+")
    to_class = models.ForeignKey("schools.SchoolClass", verbose_name=_("to class"), on_delete=models.PROTECT,
                                 related_name="+")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey("bureau.User", verbose_name=_("requested by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey("bureau.User", verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("class transfer")
        verbose_name_plural = _("class transfers")

    def __str__(self):
        return f"{self.student} {self.from_class} → {self.to_class}"

    def clean(self):
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("A transfer needs a reason.")})
        if self.from_class_id and self.from_class_id == self.to_class_id:
            raise ValidationError({"to_class": _("Choose another class than the student's own.")})


class ClassBalance(models.Model):
    """The between-class CV of one measure at one school, stage and term (seed 003: equipment
    value per student ≤ 0.3; teacher indicators), stored for the district's dashboards."""

    class Measure(models.TextChoices):
        EQUIPMENT = "equipment_value", _("Equipment value per student")
        BACKBONE = "teacher_backbone", _("Teachers' backbone level")
        TITLE = "teacher_title", _("Teachers' professional title")
        EXPERIENCE = "teacher_experience", _("Teachers' years of experience")
        EDUCATION = "teacher_education", _("Teachers' education level")

    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("schools.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    measure = models.CharField(_("measure"), max_length=24, choices=Measure.choices)
    cv = models.DecimalField(_("between-class CV"), max_digits=6, decimal_places=3, null=True, blank=True)
    classes = models.PositiveSmallIntegerField(_("classes"), default=0)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "term", "section", "measure"]
        constraints = [models.UniqueConstraint(fields=["school", "term", "section", "measure"],
                                               name="class_balance_unique")]
        verbose_name = _("class balance")
        verbose_name_plural = _("class balances")

    def __str__(self):
        return f"{self.school} {self.term} {self.measure} {self.cv}"
