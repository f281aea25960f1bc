"""The class draws in the API (/api/v1/class-draws/, /api/v1/class-transfers/): scoped like the
pages (selectors and `visible_to`), every write through schools.draw.services. A draw asked for
through the API runs on a worker (the job kit): 202 with the job, the draw's page shows it."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from bureau.api import RolePermission
from bureau.models import Role
from bureau.permissions import SCHOOL_READERS
from bureau.sheets.files import ImportFileError
from schools.draw import selectors, serializers, services
from schools.draw.jobs import draw_enqueue
from schools.models import ClassTransfer, School, SchoolClass, Term


class _ViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    read_roles = SCHOOL_READERS

    def read(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def output(self, instance, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.serializer_class(fresh, context=self.get_serializer_context()).data, status=code)


@extend_schema_view(
    create=extend_schema(request=serializers.ClassDrawCreateSerializer, responses={201: serializers.ClassDrawSerializer}),
    classes=extend_schema(request=serializers.ClassCountSerializer, responses=serializers.ClassDrawSerializer),
    publish_seed=extend_schema(request=serializers.SeedSerializer, responses=serializers.ClassDrawSerializer),
    roster=extend_schema(request={"multipart/form-data": serializers.RosterSerializer},
                         responses=serializers.ClassDrawSerializer),
    draw=extend_schema(request=None, responses={202: serializers.ClassDrawSerializer}),
    students=extend_schema(responses=serializers.IncomingStudentSerializer(many=True)),
)
class ClassDrawViewSet(mixins.CreateModelMixin, _ViewSet):
    """A school's draw of its starting grade; the principal moves it, everyone in scope reads it."""

    serializer_class = serializers.ClassDrawSerializer
    write_roles = frozenset({Role.PRINCIPAL})
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.draw_list(user=self.request.user)

    def create(self, request):
        data = self.read(serializers.ClassDrawCreateSerializer)
        school = School.objects.visible_to(request.user).filter(pk=request.user.school_id).first()
        term = Term.objects.filter(pk=data["term"]).first()
        if school is None:
            raise ValidationError({"term": [_("Only a school's principal starts its class draw.")]})
        if term is None:
            raise ValidationError({"term": [_("Unknown term.")]})
        draw = services.draw_create(school=school, term=term, grade=data["grade"], by=request.user)
        return self.output(draw, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def classes(self, request, pk=None):
        draw = self.get_object()
        data = self.read(serializers.ClassCountSerializer)
        return self.output(services.draw_set_classes(draw=draw, class_count=data["class_count"], by=request.user))

    @action(detail=True, methods=["post"], url_path="publish-seed")
    def publish_seed(self, request, pk=None):
        draw = self.get_object()
        return self.output(services.draw_publish_seed(draw=draw, seed=self.read(serializers.SeedSerializer)["seed"],
                                                      by=request.user))

    @action(detail=True, methods=["post"])
    def roster(self, request, pk=None):
        """Import the roster (all rows or none): 400 with every bad row (row, column, message)."""
        draw = self.get_object()
        upload = self.read(serializers.RosterSerializer)["file"]
        try:
            plan = services.roster_import(draw=draw, upload=upload, by=request.user)
        except ImportFileError as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        if plan.errors:
            raise ValidationError({"file": [f"{e.row} {e.column}: {e.message}" for e in plan.errors]})
        return self.output(draw)

    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        draw = self.get_object()
        draw_enqueue(draw=draw, by=request.user)
        return self.output(draw, status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["get"], pagination_class=None)
    def students(self, request, pk=None):
        draw = self.get_object()
        rows = selectors.draw_roster(draw=draw, user=request.user)
        return Response(serializers.IncomingStudentSerializer(rows, many=True,
                                                              context=self.get_serializer_context()).data)


@extend_schema_view(
    create=extend_schema(request=serializers.ClassTransferCreateSerializer,
                         responses={201: serializers.ClassTransferSerializer}),
    approve=extend_schema(request=serializers.DecisionSerializer, responses=serializers.ClassTransferSerializer),
    reject=extend_schema(request=serializers.DecisionSerializer, responses=serializers.ClassTransferSerializer),
)
class ClassTransferViewSet(mixins.CreateModelMixin, _ViewSet):
    """Transfers after a draw: the school asks (with a reason), 基础教育科 staff decide."""

    serializer_class = serializers.ClassTransferSerializer
    write_roles = frozenset({Role.PRINCIPAL, Role.STAFF})

    def get_queryset(self):
        return ClassTransfer.objects.visible_to(self.request.user).select_related(
            "student", "from_class", "to_class").order_by("-created_at", "-id")

    def create(self, request):
        data = self.read(serializers.ClassTransferCreateSerializer)
        draw = selectors.draw_list(user=request.user).filter(pk=data["draw"]).first()
        if draw is None:
            raise ValidationError({"draw": [_("Unknown class draw.")]})
        student = draw.students.filter(number=data["student"].strip()).first()
        to_class = SchoolClass.objects.visible_to(request.user).filter(pk=data["to_class"]).first()
        if student is None or to_class is None:
            if student is None:
                raise ValidationError({"student": [_("No student of this roster has this registration number.")]})
            raise ValidationError({"to_class": [_("Choose a class of the same grade.")]})
        transfer = services.transfer_request(student=student, to_class=to_class, reason=data["reason"],
                                             by=request.user)
        return self.output(transfer, status.HTTP_201_CREATED)

    def _decide(self, approve):
        transfer = self.get_object()
        note = self.read(serializers.DecisionSerializer).get("note", "")
        return self.output(services.transfer_decide(transfer=transfer, approve=approve, by=self.request.user,
                                                    note=note))

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(True)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(False)


def register(router):
    router.register("class-draws", ClassDrawViewSet, basename="class-draw")
    router.register("class-transfers", ClassTransferViewSet, basename="class-transfer")

