"""Serializers of the schools API: output serializers for reads, input serializers for writes.

Input serializers only validate and shape the data; the write itself goes through
schools.services, which checks the actor again and audits the change. Output serializers
derive from `OutputSerializer`, which leaves out the fields the scope engine withholds from
the requester (teachers' birth dates and certificate numbers, bureau.scope declarations).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bureau.api import WithheldFieldsMixin
from bureau.rules import (
    BIG_CLASS,
    CLASS_SIZE,
    RESOURCE_INDICATORS,
    RESOURCE_MIN_MET,
    RESOURCE_NEAR_MISS_SHARE,
    SUPER_BIG_CLASS,
)
from schools.filters import with_numbers
from schools.indicators import class_size_flag
from schools.models import (
    District,
    EducationGroup,
    Rotation,
    School,
    SchoolClass,
    SchoolYear,
    SchoolYearStat,
    Teacher,
    Term,
    TrainingRecord,
)
from schools.permissions import PRINCIPAL_SCHOOL_FIELDS, can_edit_school_field


def _request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# What the API answers with for a record, withheld fields left out per requester. (A comment,
# not a docstring: drf-spectacular would show a docstring as every subclass's description.)
class OutputSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    pass


# ---- calendar and organisation -----------------------------------------------------


class SchoolYearSerializer(OutputSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = SchoolYear
        fields = ["id", "start_year", "name"]


class TermSerializer(OutputSerializer):
    start_year = serializers.IntegerField(source="school_year.start_year", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Term
        fields = ["id", "school_year", "start_year", "number", "name", "start_date", "end_date"]


class DistrictSerializer(OutputSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "name", "level", "parent"]


class EducationGroupSerializer(OutputSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)
    lead_school_name = serializers.CharField(source="lead_school.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = EducationGroup
        fields = ["id", "name", "kind", "district", "district_name", "lead_school", "lead_school_name"]


# ---- schools -----------------------------------------------------------------------


class SchoolSerializer(OutputSerializer):
    """A school with the verdict of its latest yearly statistics (schools.selectors.school_list)."""

    district_name = serializers.CharField(source="district.name", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True, allow_null=True, default=None)
    students = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Students in the latest school year's statistics.")
    )
    resource_met_count = serializers.IntegerField(
        source="met_count", read_only=True, allow_null=True,
        help_text=_("How many of the seven resource indicators the school meets (latest school year)."),
    )
    meets_resource_standard = serializers.BooleanField(
        source="meets_standard", read_only=True, allow_null=True,
        help_text=with_numbers(
            _("At least %(min)s of %(n)s indicators met and the rest at %(pct)s percent or more (latest school year)."),
            min=RESOURCE_MIN_MET, n=len(RESOURCE_INDICATORS), pct=int(RESOURCE_NEAR_MISS_SHARE * 100),
        ),
    )
    has_big_class = serializers.BooleanField(
        read_only=True, help_text=with_numbers(
            _("The school has a class of %(n)s students or more in the current term."), n=BIG_CLASS),
    )

    class Meta:
        model = School
        fields = [
            "id", "code", "name", "stage", "location", "ownership", "is_boarding", "is_village_full",
            "district", "district_name", "group", "group_name", "address", "principal_name", "phone", "status",
            "students", "resource_met_count", "meets_resource_standard", "has_big_class", "updated_at",
        ]
        read_only_fields = fields


class _Refused(serializers.Field):
    """A field the requester may not change: handed to the service as sent, which refuses it
    with one message whatever the value (schools.services.school_update)."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


SCHOOL_PROFILE_FIELDS = [
    "name", "stage", "location", "ownership", "is_boarding", "is_village_full", "group", "address",
    "principal_name", "phone", "status",
]


class SchoolUpdateSerializer(serializers.ModelSerializer):
    """The profile fields of a school. Which of them the user may change, and whether the
    group is of the school's district, is the service's and the model's to check; the
    schema marks the fields a principal may not change (schools.permissions)."""

    class Meta:
        model = School
        fields = SCHOOL_PROFILE_FIELDS
        extra_kwargs = {
            name: {"help_text": _("Bureau staff and administrators only: a principal who sends it gets a 400.")}
            for name in SCHOOL_PROFILE_FIELDS if name not in PRINCIPAL_SCHOOL_FIELDS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is None:
            return
        self.fields["group"].queryset = EducationGroup.objects.visible_to(user)
        for name in list(self.fields):
            if not can_edit_school_field(user, name):
                self.fields[name] = _Refused(required=False)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(source="rule.code")
    title = serializers.CharField(source="rule.title")
    unit = serializers.CharField(source="rule.unit")
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    threshold = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    share_of_threshold = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, help_text=_("The value as a share of the threshold.")
    )


class SectionIndicatorsSerializer(serializers.Serializer):
    section = serializers.CharField()
    section_label = serializers.CharField()
    students = serializers.IntegerField()
    met_count = serializers.IntegerField()
    meets_standard = serializers.BooleanField(allow_null=True)
    indicators = IndicatorSerializer(many=True)


class SchoolIndicatorsSerializer(serializers.Serializer):
    """The seven resource indicators of each compulsory section of one school in one year."""

    school = serializers.IntegerField()
    school_year = SchoolYearSerializer()
    has_statistics = serializers.BooleanField()
    met_count = serializers.IntegerField(allow_null=True)
    meets_standard = serializers.BooleanField(allow_null=True)
    sections = SectionIndicatorsSerializer(many=True)


class IndicatorsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2999,
        help_text=_("Start year of the school year (2025 for 2025–2026); the latest one when left out."),
    )


# ---- yearly statistics -------------------------------------------------------------

STAT_COMPUTED_FIELDS = ("resource_met_count", "meets_resource_standard")


class SchoolYearStatSerializer(OutputSerializer):
    start_year = serializers.IntegerField(source="school_year.start_year", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = SchoolYearStat
        fields = "__all__"
        read_only_fields = [f.name for f in SchoolYearStat._meta.concrete_fields]

    def get_field_names(self, declared_fields, info):
        names = super().get_field_names(declared_fields, info)
        # Keep the key columns first: id, school, school year.
        head = ["id", "school", "school_name", "school_year", "start_year"]
        return head + [n for n in names if n not in head]


class SchoolYearStatInputSerializer(serializers.ModelSerializer):
    """The figures a school reports for a year; the resource verdict is computed, never sent."""

    class Meta:
        model = SchoolYearStat
        exclude = ["id", "school", "school_year", "updated_at", *STAT_COMPUTED_FIELDS]


# ---- classes -----------------------------------------------------------------------


class SchoolClassSerializer(OutputSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)
    term_name = serializers.CharField(source="term.__str__", read_only=True)
    size = serializers.IntegerField(read_only=True)
    section = serializers.CharField(read_only=True)
    size_flag = serializers.SerializerMethodField(
        help_text=with_numbers(
            _("'super_big' (%(super)s or more), 'big' (%(big)s or more), 'over' (above the %(p)s / %(j)s standard) "
              "or ''."),
            super=SUPER_BIG_CLASS, big=BIG_CLASS, p=CLASS_SIZE.thresholds["primary"], j=CLASS_SIZE.thresholds["junior"],
        )
    )
    head_teacher_name = serializers.CharField(source="head_teacher.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SchoolClass
        fields = [
            "id", "school", "school_name", "term", "term_name", "grade", "number", "boys", "girls", "size", "section",
            "size_flag", "head_teacher", "head_teacher_name", "equipment_value", "is_starting_grade", "is_locked",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_size_flag(self, obj):
        return class_size_flag(obj.size, obj.section)


# ---- teachers and their records ----------------------------------------------------

class TeacherSerializer(OutputSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = Teacher
        fields = [
            "id", "staff_number", "name", "gender", "birth_date", "school", "school_name", "section", "subject",
            "education", "certificate_type", "certificate_number", "title", "backbone_level", "is_sports_arts",
            "hire_date", "joined_school_date", "is_head_teacher", "status", "updated_at",
        ]
        read_only_fields = fields


class TeacherUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Teacher
        fields = [
            "name", "gender", "birth_date", "school", "section", "subject", "education", "certificate_type",
            "certificate_number", "title", "backbone_level", "is_sports_arts", "hire_date", "joined_school_date",
            "is_head_teacher", "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is not None:
            # Teacher.clean() keeps a move inside the district and the section among the school's.
            self.fields["school"].queryset = School.objects.visible_to(user)


class TrainingRecordSerializer(OutputSerializer):
    teacher_name = serializers.CharField(source="teacher.name", read_only=True)
    school = serializers.IntegerField(source="teacher.school_id", read_only=True)
    school_name = serializers.CharField(source="teacher.school.name", read_only=True)

    class Meta:
        model = TrainingRecord
        fields = ["id", "teacher", "teacher_name", "school", "school_name", "course", "hours", "date"]
        read_only_fields = fields


class RotationSerializer(OutputSerializer):
    teacher_name = serializers.CharField(source="teacher.name", read_only=True)
    from_school_name = serializers.CharField(source="from_school.name", read_only=True)
    to_school_name = serializers.CharField(source="to_school.name", read_only=True)

    class Meta:
        model = Rotation
        fields = [
            "id", "teacher", "teacher_name", "from_school", "from_school_name", "to_school", "to_school_name", "kind",
            "start_date", "end_date",
        ]
        read_only_fields = fields
