"""Term self-reports in the API (/api/v1/self-report-rounds/, /api/v1/self-reports/), scoped like
the pages: the bureau its district's, an inspector its zones' (read only), a school its own.
Writes go through the same services: staff of 基础教育科 or 督导室 open rounds and accept or return
reports; the school saves its values, submits, and opens a correction of an accepted report.
Each report lists the rules its values break (`flags`), from the same check as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from bureau.api import WithheldFieldsMixin
from bureau.models import Role
from inspections import selfreport_selectors as selectors
from inspections.api_base import ReadOnlyViewSet
from inspections.models import SelfReport, SelfReportRound
from inspections.models.selfreports import GRADES, homework_field
from inspections.selfreport_permissions import SELFREPORT_READERS
from inspections.selfreport_rules import report_breaches
from inspections.services import selfreports as services
from schools.models import District, School, Term

VALUE_FIELDS = [
    *(homework_field(grade) for grade in GRADES), "after_school_days", "after_school_hours", "activity_minutes",
    "start_primary", "start_junior", "weekend_classes", "weekend_detail", "rankings_published", "key_classes",
    "extra_fees", "fees_detail", "tutoring_found", "tutoring_action", "narrative",
]


class SelfReportRoundSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    term_name = serializers.CharField(source="term.__str__", read_only=True)

    class Meta:
        model = SelfReportRound
        fields = ["id", "district", "term", "term_name", "due_date", "opened_at"]


class RoundOpenSerializer(serializers.Serializer):
    district = serializers.IntegerField(help_text="The district's id.")
    term = serializers.PrimaryKeyRelatedField(queryset=Term.objects.all())
    due_date = serializers.DateField(help_text="A working day on the district's calendar.")
    schools = serializers.ListField(child=serializers.IntegerField(), required=False,
                                    help_text="School ids; left out, every open compulsory school of the district.")


class FlagSerializer(serializers.Serializer):
    field = serializers.CharField()
    rule = serializers.CharField(source="breach.rule.code")
    title = serializers.CharField(source="breach.rule.title")
    text = serializers.CharField(source="breach.rule.statement")
    source = serializers.CharField(source="breach.rule.source")
    where = serializers.CharField(source="breach.where")
    value = serializers.CharField(source="breach.value")
    threshold = serializers.CharField(source="breach.threshold")


class SelfReportSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)
    late = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = SelfReport
        fields = ["id", "round", "school", "school_name", "version", "is_current", "corrects", "status", "late",
                  *VALUE_FIELDS, "curriculum", "breaches", "flags", "comments", "saved_at", "submitted_at",
                  "reviewed_at"]

    def get_late(self, report) -> bool:
        return services.is_late(report)

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, report):
        return FlagSerializer([{"field": f, "breach": b} for f, b in report_breaches(report)], many=True).data


class SelfReportSaveSerializer(serializers.ModelSerializer):
    """The school's values; every one optional (a value left out keeps what was saved)."""

    curriculum = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField(allow_null=True)),
                                       required=False, help_text='{"pe": {"plan": 4, "actual": 4}, …}')

    class Meta:
        model = SelfReport
        fields = [*VALUE_FIELDS, "curriculum"]
        extra_kwargs = {name: {"required": False} for name in VALUE_FIELDS}


class AcceptSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, allow_blank=True, required=False)


class ReturnSerializer(serializers.Serializer):
    comments = serializers.CharField(max_length=4000)


@extend_schema_view(create=extend_schema(request=RoundOpenSerializer, responses={201: SelfReportRoundSerializer}))
class SelfReportRoundViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Self-report rounds: a term's call on the district's schools, due by a date."""

    read_roles = SELFREPORT_READERS
    write_roles = frozenset({Role.STAFF})
    queryset = SelfReportRound.objects.none()
    serializer_class = SelfReportRoundSerializer

    def get_queryset(self):
        return selectors.round_list(user=self.request.user)

    def create(self, request):
        data = self.read(RoundOpenSerializer)
        district = District.objects.visible_to(request.user).filter(pk=data["district"]).first()
        if district is None:
            raise ValidationError({"district": [_("Choose a district of yours.")]})
        schools = None
        if data.get("schools"):
            schools = list(School.objects.visible_to(request.user).filter(pk__in=data["schools"]))
            if len(schools) != len(set(data["schools"])):
                raise ValidationError({"schools": [_("Choose schools of the round's district only.")]})
        made = services.round_open(district=district, term=data["term"], due_date=data["due_date"], schools=schools,
                                   by=request.user)
        return self.output(made, status.HTTP_201_CREATED)


_REPORT = SelfReportSerializer


@extend_schema_view(
    partial_update=extend_schema(request=SelfReportSaveSerializer, responses=_REPORT),
    submit=extend_schema(request=None, responses=_REPORT),
    accept=extend_schema(request=AcceptSerializer, responses=_REPORT),
    send_back=extend_schema(request=ReturnSerializer, responses=_REPORT),
    correct=extend_schema(request=None, responses={201: _REPORT}),
)
class SelfReportViewSet(ReadOnlyViewSet):
    """The current report of each school (`?round=` narrows to one round; `?all_versions=1` adds
    the versions a correction superseded)."""

    read_roles = SELFREPORT_READERS
    write_roles = frozenset({Role.STAFF, Role.PRINCIPAL})
    queryset = SelfReport.objects.none()
    serializer_class = SelfReportSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        reports = selectors.report_list(user=self.request.user)
        if self.action != "list" or self.request.query_params.get("all_versions"):
            reports = SelfReport.objects.visible_to(self.request.user).select_related("school", "round").order_by(
                "round__due_date", "school__code", "-version")
        round_id = self.request.query_params.get("round")
        if round_id:
            if not round_id.isdigit():
                raise ValidationError({"round": [_("Give a round's id.")]})
            reports = reports.filter(round_id=int(round_id))
        return reports

    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = self.read(SelfReportSaveSerializer)
        curriculum = data.pop("curriculum", None)
        return self.output(services.selfreport_save(report=report, data=data, curriculum=curriculum, by=request.user))

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The school sends its report to the bureau (every value of its grades is needed)."""
        return self.output(services.selfreport_submit(report=self.get_object(), by=request.user))

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Staff accept a submitted report: it is locked."""
        report = self.get_object()
        data = self.read(AcceptSerializer)
        return self.output(services.selfreport_accept(report=report, note=data.get("note", ""), by=request.user))

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, pk=None):
        """Staff return a submitted report to the school with comments."""
        report = self.get_object()
        data = self.read(ReturnSerializer)
        return self.output(services.selfreport_return(report=report, comments=data["comments"], by=request.user))

    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """The school opens a new version of its accepted report (the accepted one is kept)."""
        made = services.selfreport_correct(report=self.get_object(), by=request.user)
        return self.output(made, status.HTTP_201_CREATED)


def register(router):
    router.register("self-report-rounds", SelfReportRoundViewSet, basename="self-report-round")
    router.register("self-reports", SelfReportViewSet, basename="self-report")
