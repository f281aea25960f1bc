"""The reports API (/api/v1/): periodic reports scoped like the pages, made, published and
withdrawn through the same services; and the published bulletins, public and rate-limited
like their pages."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from bureau.api import RolePermission, WithheldFieldsMixin
from bureau.models import Role
from bureau.ratelimit import public_hit
from inspections.models import InspectorZone
from reports import periodic, selectors, services
from reports.models import Report
from reports.periodic.sections import school_sections
from reports.permissions import REPORT_READERS
from schools.models import District


class ReportSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    kind_title = serializers.SerializerMethodField()
    period_label = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "kind", "kind_title", "district", "zone", "period_start", "period_end", "period_label",
                  "version", "status", "status_label", "scheduled", "gathered_at", "built_at", "published_at",
                  "failure", "pdf_url"]

    def get_kind_title(self, report) -> str:
        return str(periodic.kind_title(report))

    def get_period_label(self, report) -> str:
        return str(periodic.period_label(report))

    def get_pdf_url(self, report) -> str:
        return reverse(self.context.get("pdf_route", "reports:pdf"), args=[report.pk]) if report.pdf else ""


class ReportDetailSerializer(ReportSerializer):
    data = serializers.JSONField(read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "data"]


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.none())
    zone = serializers.PrimaryKeyRelatedField(queryset=InspectorZone.objects.none(), required=False, allow_null=True)
    period_start = serializers.DateField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = periodic.choices()
        request = self.context.get("request")  # none while the schema is drawn
        if request is None:
            return
        user = request.user
        self.fields["district"].queryset = District.objects.visible_to(user)
        self.fields["zone"].queryset = InspectorZone.objects.visible_to(user)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


@extend_schema_view(
    create=extend_schema(request=ReportRequestSerializer, responses={201: ReportSerializer}),
    publish=extend_schema(request=None, responses=ReportSerializer),
    withdraw=extend_schema(request=WithdrawSerializer, responses=ReportSerializer),
    rerun=extend_schema(request=None, responses=ReportSerializer),
)
class ReportViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Periodic reports: staff and administrators make them (any kind, scope and period); a
    leader publishes a ready one as a public bulletin and may withdraw it."""

    permission_classes = [RolePermission]
    read_roles = REPORT_READERS
    write_roles = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER})
    queryset = Report.objects.none()
    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.report_get_queryset(self.request.user).order_by("-period_start", "kind", "-version")

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer

    def _answer(self, report, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=report.pk)
        return Response(ReportSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request):
        serializer = ReportRequestSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.report_request(kind=data["kind"], district=data["district"], zone=data.get("zone"),
                                         start=data["period_start"], by=request.user)
        return self._answer(report, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(services.report_publish(report=self.get_object(), by=request.user))

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        report = self.get_object()  # a report out of reach is not found, whatever the body says
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.report_withdraw(report=report, by=request.user,
                                                     note=serializer.validated_data["reason"]))

    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None):
        return self._answer(services.report_rerun(report=self.get_object(), by=request.user))


@extend_schema_view(list=extend_schema(auth=[]), retrieve=extend_schema(auth=[]))
class BulletinViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published bulletins (通报): anyone, no account, rate-limited per address as the pages are.
    They carry no personal detail: the data is what the report gathered, counts and names of
    schools and zones only."""

    permission_classes = [AllowAny]
    authentication_classes = []
    queryset = Report.objects.none()
    serializer_class = ReportSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        wait = public_hit("bulletin", request.META.get("REMOTE_ADDR", ""))
        if wait:
            raise Throttled(wait=wait)

    def get_queryset(self):
        return selectors.bulletin_queryset().order_by("-published_at", "pk")

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "pdf_route": "bulletins:pdf"}


class SchoolSectionSerializer(WithheldFieldsMixin, serializers.Serializer):
    kind = serializers.CharField(source="kind.code")
    kind_title = serializers.SerializerMethodField()
    report = serializers.IntegerField(source="report.pk")
    period_start = serializers.DateField(source="report.period_start")
    period_end = serializers.DateField(source="report.period_end")
    period_label = serializers.SerializerMethodField()
    zone = serializers.IntegerField(source="report.zone_id", allow_null=True)
    status = serializers.CharField(source="report.status")
    part = serializers.JSONField(help_text="The school's own part of the report's data, as the page shows it.")

    class Meta:
        model = Report  # whose fields a role may be denied (none of these today)
        fields = ["kind", "kind_title", "report", "period_start", "period_end", "period_label", "zone",
                  "status", "part"]

    def get_kind_title(self, section) -> str:
        return str(section["kind"].title)

    def get_period_label(self, section) -> str:
        return str(section["period_label"])


@extend_schema_view(list=extend_schema(responses=SchoolSectionSerializer(many=True)))
class SchoolSectionViewSet(viewsets.GenericViewSet):
    """A principal's own school in the latest reports: per kind, the school's part beside the
    district's or the zone's figures; never another school's line."""

    permission_classes = [RolePermission]
    read_roles = frozenset({Role.PRINCIPAL})
    queryset = Report.objects.none()
    serializer_class = SchoolSectionSerializer
    pagination_class = None

    def list(self, request):
        sections = school_sections(school=request.user.school) if request.user.school_id else []
        return Response(self.get_serializer(sections, many=True).data)


def register(router):
    """Add the reports endpoints to the API router (bureau/api_urls.py)."""
    router.register("reports", ReportViewSet, basename="report")
    router.register("bulletins", BulletinViewSet, basename="bulletin")
    router.register("my-school-reports", SchoolSectionViewSet, basename="my-school-report")
