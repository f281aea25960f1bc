from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.scope import ScopedQuerySet


def _count(label):
    return models.PositiveIntegerField(label, default=0)


def _area(label):
    return models.DecimalField(label, max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)])


class SchoolYearStat(models.Model):
    """A school's yearly statistics. One row per school per year; history is never overwritten."""

    school = models.ForeignKey("schools.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="year_stats")
    school_year = models.ForeignKey("schools.SchoolYear", verbose_name=_("school year"), on_delete=models.PROTECT, related_name="+")

    # Enrolment by section.
    primary_students = _count(_("primary students"))
    junior_students = _count(_("junior secondary students"))
    other_students = _count(_("other students (senior, kindergarten)"))

    # Resources.
    teaching_area = _area(_("teaching and support floor area (m²)"))
    sports_ground_area = _area(_("sports ground area (m²)"))
    equipment_value = models.DecimalField(
        _("teaching equipment value (yuan)"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    multimedia_classrooms = _count(_("networked multimedia classrooms"))
    computers = _count(_("computers for teaching"))
    library_books = _count(_("library books"))
    has_music_room = models.BooleanField(_("music room"), default=False)
    has_pe_room = models.BooleanField(_("PE room"), default=False)
    has_art_room = models.BooleanField(_("art room"), default=False)
    has_health_room = models.BooleanField(_("health room"), default=False)
    has_labour_room = models.BooleanField(_("labour and technology room"), default=False)
    has_science_room = models.BooleanField(_("science and technology room"), default=False)
    labs = _count(_("laboratories"))
    music_rooms = _count(_("music rooms"))
    music_room_area = _area(_("music room area (m²)"))
    art_rooms = _count(_("art rooms"))
    art_room_area = _area(_("art room area (m²)"))
    is_digital_campus = models.BooleanField(_("digital campus"), default=False)
    is_standardized = models.BooleanField(_("standardized school"), default=False)
    is_feature_school = models.BooleanField(_("feature school"), default=False)

    # Enrolment flows.
    enrolled = _count(_("newly enrolled"))
    graduated = _count(_("graduated"))
    dropouts = _count(_("dropouts"))
    disabled_students = _count(_("students with disabilities enrolled"))

    # Physical health tests.
    health_tested = _count(_("students tested (physical health)"))
    health_excellent = _count(_("excellent"))
    health_good = _count(_("good"))
    health_pass = _count(_("pass"))
    myopia = _count(_("students with myopia"))

    # Kept up to date by schools.services.school_stats_evaluate, so that lists can filter
    # on "below the standard" without recomputing every school's indicators.
    resource_met_count = models.PositiveSmallIntegerField(_("resource indicators met"), null=True, blank=True, editable=False)
    meets_resource_standard = models.BooleanField(_("meets the resource standard"), null=True, editable=False)
    # The indicator furthest below its threshold (a code of bureau.rules.RESOURCE_INDICATORS) and
    # its value in % of the threshold, so that a list can say why a school misses (or only just
    # meets) the standard without evaluating every school of the page; "" when all are met.
    resource_weakest = models.CharField(_("weakest resource indicator"), max_length=40, blank=True, default="", editable=False)
    resource_weakest_percent = models.DecimalField(
        _("weakest indicator, percent of its threshold"), max_digits=7, decimal_places=1, null=True, blank=True, editable=False
    )

    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "-school_year__start_year"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="stat_one_per_school_year")]
        verbose_name = _("yearly school statistics")
        verbose_name_plural = _("yearly school statistics")

    def __str__(self):
        return f"{self.school} {self.school_year}"

    @property
    def compulsory_students(self):
        return self.primary_students + self.junior_students

    @property
    def functional_rooms(self):
        return sum(
            (self.has_music_room, self.has_pe_room, self.has_art_room, self.has_health_room,
             self.has_labour_room, self.has_science_room)
        )
