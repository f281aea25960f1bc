"""FilterSets of the schools API. They narrow querysets that are already scoped.

Every queryset a FilterSet sees comes from a selector or `visible_to(user)`, and every
choice of a related record (school, term, teacher) is itself limited to what the user
may see, so a filter can never widen the scope or reveal another district's ids. They
derive from bureau.api_filters' strict FilterSet: a value that cannot be read (a boolean
that is not true/false, a grade of 2.5) answers 400 instead of being ignored.
"""

import django_filters
from django.db.models import F, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from bureau.api_filters import BooleanFilter, FilterSet, IntegerFilter
from bureau.rules import BIG_CLASS, SUPER_BIG_CLASS
from schools.models import (
    District,
    EducationGroup,
    EducationLevel,
    Rotation,
    School,
    SchoolClass,
    SchoolStage,
    SchoolYear,
    SchoolYearStat,
    Section,
    Teacher,
    Term,
    TrainingRecord,
)


def with_numbers(message, **numbers):
    """A lazy label whose numbers come from bureau/rules.py, translated when it is shown."""
    return lazy(lambda: str(message) % numbers, str)()


def _visible(model):
    """A queryset callable for ModelChoiceFilter: the related records the requester may see."""

    def queryset(request):
        if request is None:
            return model.objects.none()
        return model.objects.visible_to(request.user)

    return queryset


def _non_empty(choices):
    # "" means "none" in these choices; an empty filter value means "no filter" instead.
    return [(value, label) for value, label in choices if value]


class SchoolFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or school code"))
    district = django_filters.ModelChoiceFilter(queryset=_visible(District), label=_("District"))
    group = django_filters.ModelChoiceFilter(queryset=_visible(EducationGroup), label=_("Education group"))
    stage = django_filters.ChoiceFilter(choices=SchoolStage.choices, label=_("Stage"))
    location = django_filters.ChoiceFilter(choices=School.Location.choices, label=_("Urban / rural"))
    ownership = django_filters.ChoiceFilter(choices=School.Ownership.choices, label=_("Public / private"))
    status = django_filters.ChoiceFilter(choices=School.Status.choices, label=_("Status"))
    below_standard = BooleanFilter(
        method="filter_below_standard",
        label=_("Below the resource standard or with a big class (true) / neither (false)"),
    )

    class Meta:
        model = School
        fields = ["q", "district", "group", "stage", "location", "ownership", "status", "below_standard"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value)) if value else queryset

    def filter_below_standard(self, queryset, name, value):
        # `meets_standard` and `has_big_class` are annotations of schools.selectors.school_list.
        if value:
            return queryset.filter(Q(meets_standard=False) | Q(has_big_class=True))
        # Spelled out rather than exclude(): a school without statistics has a NULL verdict.
        return queryset.filter(Q(meets_standard=True) | Q(meets_standard__isnull=True), has_big_class=False)


class SchoolYearStatFilter(FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=_visible(School), label=_("School"))
    school_year = django_filters.ModelChoiceFilter(queryset=SchoolYear.objects.all(), label=_("School year"))
    year = IntegerFilter(field_name="school_year__start_year", label=_("Start year of the school year"))
    meets_resource_standard = BooleanFilter(label=_("Meets the resource standard"))

    class Meta:
        model = SchoolYearStat
        fields = ["school", "school_year", "year", "meets_resource_standard"]


class SchoolClassFilter(FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=_visible(School), label=_("School"))
    term = django_filters.ModelChoiceFilter(queryset=Term.objects.all(), label=_("Term"))
    grade = IntegerFilter(label=_("Grade"))
    min_size = IntegerFilter(method="filter_min_size", label=_("At least this many students"))
    big = BooleanFilter(method="filter_big", label=with_numbers(
        _("Big classes (%(n)s students or more) only (true) or none of them (false)"), n=BIG_CLASS))
    super_big = BooleanFilter(method="filter_super_big", label=with_numbers(
        _("Super-big classes (%(n)s students or more) only"), n=SUPER_BIG_CLASS))

    class Meta:
        model = SchoolClass
        fields = ["school", "term", "grade", "min_size", "big", "super_big"]

    @staticmethod
    def _size(queryset):
        return queryset.alias(size_total=F("boys") + F("girls"))

    def filter_min_size(self, queryset, name, value):
        return self._size(queryset).filter(size_total__gte=value)

    def filter_big(self, queryset, name, value):
        queryset = self._size(queryset)
        return queryset.filter(size_total__gte=BIG_CLASS) if value else queryset.filter(size_total__lt=BIG_CLASS)

    def filter_super_big(self, queryset, name, value):
        queryset = self._size(queryset)
        return (
            queryset.filter(size_total__gte=SUPER_BIG_CLASS) if value else queryset.filter(size_total__lt=SUPER_BIG_CLASS)
        )


class TeacherFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or staff number"))
    school = django_filters.ModelChoiceFilter(queryset=_visible(School), label=_("School"))
    section = django_filters.ChoiceFilter(choices=Section.choices, label=_("Section"))
    education = django_filters.ChoiceFilter(choices=EducationLevel.choices, label=_("Education level"))
    title = django_filters.ChoiceFilter(choices=_non_empty(Teacher.Title.choices), label=_("Professional title"))
    backbone_level = django_filters.ChoiceFilter(
        choices=_non_empty(Teacher.Backbone.choices), label=_("Backbone level")
    )
    is_backbone = BooleanFilter(method="filter_is_backbone", label=_("Any backbone level"))
    status = django_filters.ChoiceFilter(choices=Teacher.Status.choices, label=_("Status"))
    subject = django_filters.CharFilter(label=_("Subject"))

    class Meta:
        model = Teacher
        fields = ["q", "school", "section", "education", "title", "backbone_level", "is_backbone", "status", "subject"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(staff_number__startswith=value)) if value else queryset

    def filter_is_backbone(self, queryset, name, value):
        return queryset.exclude(backbone_level="") if value else queryset.filter(backbone_level="")


class TrainingRecordFilter(FilterSet):
    teacher = django_filters.ModelChoiceFilter(queryset=_visible(Teacher), label=_("Teacher"))
    school = django_filters.ModelChoiceFilter(
        field_name="teacher__school", queryset=_visible(School), label=_("School")
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From date"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To date"))

    class Meta:
        model = TrainingRecord
        fields = ["teacher", "school", "date_from", "date_to"]


class RotationFilter(FilterSet):
    teacher = django_filters.ModelChoiceFilter(queryset=_visible(Teacher), label=_("Teacher"))
    school = django_filters.ModelChoiceFilter(
        # field_name only tells the schema generator the type; the method looks at both ends.
        field_name="from_school", method="filter_school", queryset=_visible(School),
        label=_("From or to this school"),
    )
    kind = django_filters.ChoiceFilter(choices=Rotation.Kind.choices, label=_("Kind"))
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Under way on this date"))

    class Meta:
        model = Rotation
        fields = ["teacher", "school", "kind", "active_on"]

    def filter_school(self, queryset, name, value):
        return queryset.filter(Q(from_school=value) | Q(to_school=value))

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(Q(start_date__lte=value), Q(end_date__isnull=True) | Q(end_date__gte=value))


class TermFilter(FilterSet):
    school_year = django_filters.ModelChoiceFilter(queryset=SchoolYear.objects.all(), label=_("School year"))
    year = IntegerFilter(field_name="school_year__start_year", label=_("Start year of the school year"))

    class Meta:
        model = Term
        fields = ["school_year", "year", "number"]


class GroupFilter(FilterSet):
    district = django_filters.ModelChoiceFilter(queryset=_visible(District), label=_("District"))

    class Meta:
        model = EducationGroup
        fields = ["district", "kind"]
