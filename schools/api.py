"""The schools API (/api/v1/): reads scoped like the pages, writes through schools.services.

Every queryset comes from a selector or `visible_to(request.user)`, so a record outside
the caller's scope is simply not found (404), and list pages cost a fixed number of
queries whatever their length (select_related, annotations).
"""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from bureau.api import RolePermission
from bureau.models import Role
from bureau.permissions import DATA_KEEPERS, SCHOOL_READERS
from schools import filters, serializers
from schools.draw import api as draw_api
from schools.filters import with_numbers
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
from schools.permissions import PRINCIPAL_SCHOOL_FIELDS
from schools.selectors import (
    current_school_year,
    district_list,
    group_list,
    school_indicator_summary,
    school_list,
    teacher_list,
)
from schools.services import school_update, school_year_stat_save, teacher_update

# Who may change school records through the API; the services check the record again.
SCHOOL_WRITERS = DATA_KEEPERS | {Role.PRINCIPAL}

YEAR_RE = re.compile(r"[0-9]{4}")
YEAR_PARAMETER = OpenApiParameter(
    "year", OpenApiTypes.INT, OpenApiParameter.PATH,
    description=_("Start year of the school year (2025 for 2025–2026)."),
)


class SchoolDataViewSet(viewsets.GenericViewSet):
    """Readable by every role that reads school data (parents get 403); read-only by default."""

    permission_classes = [RolePermission]
    read_roles = SCHOOL_READERS
    write_roles = frozenset()

    def output(self, instance, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(instance, context=self.get_serializer_context()).data)


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SchoolDataViewSet):
    pass


class DistrictViewSet(ReadOnlyViewSet):
    """Districts (and cities) the caller works on."""

    queryset = District.objects.none()
    serializer_class = serializers.DistrictSerializer

    def get_queryset(self):
        return district_list(user=self.request.user)


class EducationGroupViewSet(ReadOnlyViewSet):
    """Education groups and school communities of the caller's districts."""

    queryset = EducationGroup.objects.none()
    serializer_class = serializers.EducationGroupSerializer
    filterset_class = filters.GroupFilter

    def get_queryset(self):
        return group_list(user=self.request.user)


class SchoolYearViewSet(ReadOnlyViewSet):
    """School years (the same calendar for every district)."""

    queryset = SchoolYear.objects.order_by("-start_year")
    serializer_class = serializers.SchoolYearSerializer


class TermViewSet(ReadOnlyViewSet):
    """Terms (the same calendar for every district)."""

    queryset = Term.objects.select_related("school_year").order_by("-start_date")
    serializer_class = serializers.TermSerializer
    filterset_class = filters.TermFilter


@extend_schema_view(
    partial_update=extend_schema(
        request=serializers.SchoolUpdateSerializer,
        responses=serializers.SchoolSerializer,
        description=with_numbers(
            _("Change a school's profile. A principal may change only %(fields)s; any other field it sends is "
              "refused with a 400."),
            fields=", ".join(PRINCIPAL_SCHOOL_FIELDS),
        ),
        # The same list for programs: the fields a principal's PATCH may carry.
        extensions={"x-principal-may-change": list(PRINCIPAL_SCHOOL_FIELDS)},
    ),
)
class SchoolViewSet(ReadOnlyViewSet):
    """Schools with the resource verdict of their latest yearly statistics."""

    queryset = School.objects.none()
    serializer_class = serializers.SchoolSerializer
    filterset_class = filters.SchoolFilter
    write_roles = SCHOOL_WRITERS

    def get_queryset(self):
        return school_list(user=self.request.user)

    def partial_update(self, request, pk=None):
        school = self.get_object()
        serializer = serializers.SchoolUpdateSerializer(
            school, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        school_update(school=school, data=serializer.validated_data, by=request.user)
        return self.output(self.get_queryset().get(pk=school.pk))

    @extend_schema(parameters=[serializers.IndicatorsQuerySerializer], responses=serializers.SchoolIndicatorsSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def indicators(self, request, pk=None):
        """The seven resource indicators per compulsory section for one school year."""
        school = self.get_object()
        query = serializers.IndicatorsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year")
        school_year = SchoolYear.objects.filter(start_year=year).first() if year else current_school_year()
        if school_year is None:
            raise ValidationError({"year": [_("There are no statistics for this school year.")]})
        data = school_indicator_summary(school=school, school_year=school_year)
        return Response(serializers.SchoolIndicatorsSerializer(data, context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], parameters=[YEAR_PARAMETER], responses=serializers.SchoolYearStatSerializer)
    @extend_schema(
        methods=["PUT"], parameters=[YEAR_PARAMETER], request=serializers.SchoolYearStatInputSerializer,
        responses=serializers.SchoolYearStatSerializer,
        description=_("Create or replace the school's statistics for the year; figures left out are set to 0."),
    )
    @extend_schema(
        methods=["PATCH"], parameters=[YEAR_PARAMETER], request=serializers.SchoolYearStatInputSerializer,
        responses=serializers.SchoolYearStatSerializer,
        description=_("Change some figures of the school's existing statistics for the year."),
    )
    @action(
        # Any segment reaches the view, so a year that is not one answers the API's JSON 404
        # rather than the URL resolver's page.
        detail=True, methods=["get", "put", "patch"], url_path=r"stats/(?P<year>[^/.]+)",
        filter_backends=[], pagination_class=None,
    )
    def stats(self, request, pk=None, year=None):
        """One school's statistics for one school year."""
        school = self.get_object()
        school_year = SchoolYear.objects.filter(start_year=int(year)).first() if YEAR_RE.fullmatch(year) else None
        if school_year is None:
            raise NotFound(_("The school year %(year)s does not exist in the portal yet.") % {"year": year})
        stat = SchoolYearStat.objects.filter(school=school, school_year=school_year).select_related(
            "school", "school_year"
        ).first()
        if request.method == "GET" or request.method == "PATCH":
            if stat is None:
                raise NotFound(_("This school has no statistics for this school year."))
        if request.method == "GET":
            return self.output(stat, serializers.SchoolYearStatSerializer)

        partial = request.method == "PATCH"
        serializer = serializers.SchoolYearStatInputSerializer(
            stat, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not partial:
            # PUT replaces the whole year: a figure left out goes back to its default.
            for name, field in serializer.fields.items():
                if name not in data and not field.read_only:
                    data[name] = SchoolYearStat._meta.get_field(name).get_default()
        stat = school_year_stat_save(school=school, school_year=school_year, data=data, by=request.user)
        return self.output(stat, serializers.SchoolYearStatSerializer)


class SchoolYearStatViewSet(ReadOnlyViewSet):
    """Yearly school statistics (write them through /schools/{id}/stats/{year}/)."""

    queryset = SchoolYearStat.objects.none()
    serializer_class = serializers.SchoolYearStatSerializer
    filterset_class = filters.SchoolYearStatFilter

    def get_queryset(self):
        return (
            SchoolYearStat.objects.visible_to(self.request.user)
            .select_related("school", "school_year")
            .order_by("school__code", "-school_year__start_year")
        )


class SchoolClassViewSet(ReadOnlyViewSet):
    """Classes by term with their size and the flag against the class-size limits."""

    queryset = SchoolClass.objects.none()
    serializer_class = serializers.SchoolClassSerializer
    filterset_class = filters.SchoolClassFilter

    def get_queryset(self):
        return (
            SchoolClass.objects.visible_to(self.request.user)
            .select_related("school", "term__school_year", "head_teacher")
            .order_by("school__code", "-term__start_date", "grade", "number")
        )


@extend_schema_view(
    partial_update=extend_schema(request=serializers.TeacherUpdateSerializer, responses=serializers.TeacherSerializer),
)
class TeacherViewSet(ReadOnlyViewSet):
    """Teachers; birth date and certificate number only for the roles that keep them."""

    queryset = Teacher.objects.none()
    serializer_class = serializers.TeacherSerializer
    filterset_class = filters.TeacherFilter
    write_roles = SCHOOL_WRITERS

    def get_queryset(self):
        return teacher_list(user=self.request.user)

    def partial_update(self, request, pk=None):
        teacher = self.get_object()
        serializer = serializers.TeacherUpdateSerializer(
            teacher, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        teacher_update(teacher=teacher, data=serializer.validated_data, by=request.user)
        return self.output(self.get_queryset().get(pk=teacher.pk))


class TrainingRecordViewSet(ReadOnlyViewSet):
    """Teachers' training records."""

    queryset = TrainingRecord.objects.none()
    serializer_class = serializers.TrainingRecordSerializer
    filterset_class = filters.TrainingRecordFilter

    def get_queryset(self):
        return (
            TrainingRecord.objects.visible_to(self.request.user)
            .select_related("teacher__school")
            .order_by("-date", "-id")
        )


class RotationViewSet(ReadOnlyViewSet):
    """Teachers' rotations (交流轮岗) between schools."""

    queryset = Rotation.objects.none()
    serializer_class = serializers.RotationSerializer
    filterset_class = filters.RotationFilter

    def get_queryset(self):
        return (
            Rotation.objects.visible_to(self.request.user)
            .select_related("teacher", "from_school", "to_school")
            .order_by("-start_date", "-id")
        )


def register(router):
    """Add the schools endpoints to the API router (bureau/api_urls.py)."""
    router.register("districts", DistrictViewSet, basename="district")
    router.register("groups", EducationGroupViewSet, basename="group")
    router.register("school-years", SchoolYearViewSet, basename="school-year")
    router.register("terms", TermViewSet, basename="term")
    router.register("schools", SchoolViewSet, basename="school")
    router.register("school-year-stats", SchoolYearStatViewSet, basename="school-year-stat")
    router.register("classes", SchoolClassViewSet, basename="class")
    router.register("teachers", TeacherViewSet, basename="teacher")
    router.register("training-records", TrainingRecordViewSet, basename="training-record")
    router.register("rotations", RotationViewSet, basename="rotation")
    draw_api.register(router)  # balanced class assignment: schools/draw/api.py

