"""The inspections API (/api/v1/): themes, visits and rectification notices, scoped like the
pages (a school never finds a visit before it is filed, an unannounced one included, nor any
visit's private notes). Writes go through the same services as the pages: an inspector starts,
saves and files its visits and issues, verifies or returns notices; a principal answers them.
Evidence files: an inspector adds them to an item of its draft (`POST visits/<id>/items/<item>/
evidence/`, multipart `files`), a principal sends them with an answer; visits and notices list
them, and `visit-evidence/<id>/file/` and `notice-evidence/<id>/file/` serve them, scoped as the
visit and the notice are (a school: a filed visit's only)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from bureau import uploads
from bureau.api_files import FileViewSet
from bureau.models import Role
from inspections import serializers, services
from inspections.api_base import ReadOnlyViewSet
from inspections.filters import VisitFilter
from inspections.models import (
    ChecklistItem,
    MonthlyTheme,
    NoticeEvidence,
    RectificationNotice,
    Visit,
    VisitEvidence,
    VisitItem,
)
from inspections.permissions import THEME_READERS, VISIT_READERS
from inspections.selectors import notice_list, visit_list, visitable_schools


class MonthlyThemeViewSet(ReadOnlyViewSet):
    """The themed calendar: each month's theme with its checklist (code, text, policy source)."""

    read_roles = THEME_READERS
    queryset = MonthlyTheme.objects.none()
    serializer_class = serializers.MonthlyThemeSerializer

    def get_queryset(self):
        items = Prefetch("items", queryset=ChecklistItem.objects.order_by("ordering", "code"))
        return MonthlyTheme.objects.visible_to(self.request.user).prefetch_related(items).order_by("-year", "month", "pk")


@extend_schema_view(
    create=extend_schema(request=serializers.VisitStartSerializer, responses={201: serializers.VisitSerializer}),
    partial_update=extend_schema(request=serializers.VisitUpdateSerializer, responses=serializers.VisitSerializer),
    file=extend_schema(request=None, responses=serializers.VisitSerializer),
    evidence=extend_schema(request={"multipart/form-data": serializers.EvidenceAddSerializer},
                           responses={201: serializers.VisitEvidenceSerializer(many=True)}),
)
class VisitViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Visits with their checklist results. A school sees its filed visits only; an inspector
    starts (the month's visit of a school: the same draft if it has one), saves and files its own."""

    read_roles = VISIT_READERS
    write_roles = frozenset({Role.INSPECTOR})
    queryset = Visit.objects.none()
    serializer_class = serializers.VisitSerializer
    filterset_class = VisitFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        items = Prefetch("items", queryset=VisitItem.objects.order_by("ordering", "pk").prefetch_related("evidence"))
        return visit_list(user=self.request.user).prefetch_related(items)

    def create(self, request):
        data = self.read(serializers.VisitStartSerializer)
        school = visitable_schools(user=request.user).filter(pk=data["school"]).first()
        if school is None:
            raise ValidationError({"school": [_("Choose a school of your zones (or one a draw assigned to you).")]})
        visit = services.visit_start(school=school, kind=data["kind"], by=request.user)
        return self.output(visit, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        visit = self.get_object()
        data = self.read(serializers.VisitUpdateSerializer)
        items = {row["id"]: {k: v for k, v in row.items() if k != "id"} for row in data.pop("items", [])}
        services.visit_save(visit=visit, data=data, items=items, by=request.user)
        return self.output(visit)

    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        """File the visit: the school gets its feedback and the visit is locked (filing twice says so)."""
        visit = self.get_object()
        return self.output(services.visit_file(visit=visit, by=request.user))

    @action(detail=True, methods=["post"], url_path=r"items/(?P<item>[0-9]+)/evidence", url_name="item-evidence")
    def evidence(self, request, pk=None, item=None):
        """Add photos or documents to one checklist item of a draft (checked by their content)."""
        visit = self.get_object()
        data = self.read(serializers.EvidenceAddSerializer)
        row = visit.items.filter(pk=int(item)).first()
        if row is None:
            raise NotFound()
        before = set(row.evidence.values_list("pk", flat=True))
        try:
            services.visit_save(visit=visit, data={}, files={row.pk: data["files"]}, by=request.user)
        except uploads.UploadError as error:
            raise ValidationError({"files": [str(error)]}) from None
        made = row.evidence.exclude(pk__in=before).order_by("pk")
        return Response(serializers.VisitEvidenceSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(request=serializers.NoticeIssueSerializer,
                         responses={201: serializers.RectificationNoticeSerializer}),
    answer=extend_schema(request=serializers.NoticeAnswerSerializer, responses=serializers.RectificationNoticeSerializer),
    verify=extend_schema(request=serializers.NoticeVerifySerializer, responses=serializers.RectificationNoticeSerializer),
    send_back=extend_schema(request=serializers.NoticeReturnSerializer,
                            responses=serializers.RectificationNoticeSerializer),
)
class RectificationNoticeViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Rectification notices, soonest deadline first, each saying whether it is overdue. The
    visit's inspector issues, verifies and returns them; the school's principal answers."""

    read_roles = VISIT_READERS
    write_roles = frozenset({Role.INSPECTOR, Role.PRINCIPAL})
    queryset = RectificationNotice.objects.none()
    serializer_class = serializers.RectificationNoticeSerializer

    def get_queryset(self):
        return notice_list(user=self.request.user).prefetch_related("evidence")

    def create(self, request):
        data = self.read(serializers.NoticeIssueSerializer)
        # A field of the request, as the visit's school is when one starts: an unknown item and
        # one outside the user's scope read the same (400 on the field, not 404 on the URL).
        item = VisitItem.objects.visible_to(request.user).select_related("visit").filter(pk=data["item"]).first()
        if item is None:
            raise ValidationError({"item": [_("Choose a checklist item of a filed visit of yours.")]})
        notice = services.notice_issue(item=item, requirement=data["requirement"], working_days=data["working_days"],
                                       by=request.user)
        return self.output(notice, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The school's answer: what it did, with evidence (multipart `files`, checked by their content)."""
        notice = self.get_object()
        data = self.read(serializers.NoticeAnswerSerializer)
        try:
            answered = services.notice_answer(notice=notice, answer=data["answer"], files=data["files"],
                                              by=request.user)
        except uploads.UploadError as error:
            raise ValidationError({"files": [str(error)]}) from None
        return self.output(answered)

    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """The issuing inspector confirms the rectification: the notice is closed."""
        notice = self.get_object()
        data = self.read(serializers.NoticeVerifySerializer)
        return self.output(services.notice_verify(notice=notice, note=data.get("note", ""), by=request.user))

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, pk=None):
        """The issuing inspector returns the answer to the school with a reason."""
        notice = self.get_object()
        data = self.read(serializers.NoticeReturnSerializer)
        return self.output(services.notice_return(notice=notice, reason=data["reason"], by=request.user))


class VisitEvidenceViewSet(FileViewSet):
    """Evidence files of the visits the caller may see (a school: of its filed visits only)."""

    read_roles = VISIT_READERS
    model = VisitEvidence
    queryset = VisitEvidence.objects.none()
    serializer_class = serializers.VisitEvidenceSerializer


class NoticeEvidenceViewSet(FileViewSet):
    """The schools' evidence with their answers to rectification notices."""

    read_roles = VISIT_READERS
    model = NoticeEvidence
    queryset = NoticeEvidence.objects.none()
    serializer_class = serializers.NoticeEvidenceSerializer


def register(router):
    """Add the inspections endpoints to the API router (bureau/api_urls.py)."""
    router.register("themes", MonthlyThemeViewSet, basename="theme")
    router.register("visits", VisitViewSet, basename="visit")
    router.register("rectification-notices", RectificationNoticeViewSet, basename="rectification-notice")
    router.register("visit-evidence", VisitEvidenceViewSet, basename="visit-evidence")
    router.register("notice-evidence", NoticeEvidenceViewSet, basename="notice-evidence")
    # Term self-reports have their own module.
    from inspections import selfreport_api

    selfreport_api.register(router)
    # Survey campaigns keep their endpoints in their own module.
    from inspections.surveys import api as survey_api

    survey_api.register(router)
