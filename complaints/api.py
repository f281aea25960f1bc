"""The complaints API (/api/v1/complaints/), scoped like the pages and through the same
services: a parent's token sees and lodges only its own complaints; the office takes them
through their steps (`POST …/steps/<step>/`, the same forms as the pages); the school reads
and answers what it is handed, never who complained.

Lists and details carry the complainant masked (张*, 138****1234) and only to the office and
leaders; the full identity is `POST …/complainant/`, logged like a look on the page.

Files: a complaint's photos and documents the caller may read are `GET …/attachments/` and
each one's content `GET /complaint-attachments/<id>/file/` (the scope of its complaint and
side: the school never reads the complainant's); the complainant adds some with
`POST …/attachments/` (multipart, `files`), as lodging and the steps record, answer and reply
take them.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from bureau.api import RolePermission, WithheldFieldsMixin
from bureau.api_fields import EVIDENCE_FIELDS, EvidenceSerializer, FilesField
from bureau.api_files import FileViewSet
from bureau.models import Role
from complaints import services
from complaints.masking import mask_mobile, mask_name
from complaints.models import Attachment, Category, Channel, Complaint
from complaints.permissions import is_complainant, may_know_complainant, reads_handling
from complaints.selectors import complaint_attachments, complaint_list
from complaints.steps import STEPS
from schools.models import School

READERS = frozenset({Role.STAFF, Role.LEADER, Role.PRINCIPAL, Role.PARENT})
# The services decide who may take which step; these may call the writing endpoints at all.
WRITERS = READERS
HANDLING = ("finding", "responsibility", "measures", "veto")
REPLY = ("reply", "replied_at", "rating", "rating_comment", "appeal_reason", "appealed_at")


class ComplaintSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, allow_null=True)
    complainant_name = serializers.SerializerMethodField(help_text=_("Masked (张*)."))
    complainant_mobile = serializers.SerializerMethodField(help_text=_("Masked (138****1234)."))

    class Meta:
        model = Complaint
        fields = [
            "id", "tracking_number", "status", "school", "school_name", "category", "channel", "description",
            "happened_on", "teacher_name", "received_at", "accept_due", "conclude_due", "due_on", "department_name",
            "handed_to_school", "reject_reason", *HANDLING, "concluded_at", *REPLY, "closed_at",
            "complainant_name", "complainant_mobile",
        ]
        read_only_fields = fields
        # Null for those who do not read them (the school: the conclusion and the reply).
        extra_kwargs = {name: {"allow_null": True} for name in (*HANDLING, *REPLY)}

    @extend_schema_field(OpenApiTypes.STR)
    def get_complainant_name(self, complaint):
        return mask_name(complaint.complainant_name)

    @extend_schema_field(OpenApiTypes.STR)
    def get_complainant_mobile(self, complaint):
        return mask_mobile(complaint.complainant_mobile)

    def to_representation(self, complaint):
        data = super().to_representation(complaint)
        user = getattr(self.context.get("request"), "user", None)
        # As on the page: the conclusion is the bureau's; the reply, rating and appeal are
        # between the bureau and the complainant (an appeal's words may say who wrote it).
        for name in ("finding", "responsibility"):
            data[name] = data[name] or None  # not concluded yet: no finding, rather than ""
        if not reads_handling(user):
            for name in HANDLING:
                data[name] = None
        if not (reads_handling(user) or is_complainant(user, complaint)):
            for name in REPLY:
                data[name] = None
        return data


class ComplaintCreateSerializer(serializers.Serializer):
    """A complaint: a parent's own (web), or one the office took down (hotline, letter, visit)."""

    token = serializers.UUIDField(help_text=_("Made by the client once per complaint: sent again, the same "
                                              "complaint is answered instead of a second one."))
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.filter(status=School.Status.OPEN))
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(max_length=2000)
    happened_on = serializers.DateField()
    teacher_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WEB)
    complainant_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="",
                                             help_text=_("For the office's hotline, letter and visit complaints."))
    complainant_mobile = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    files = FilesField(required=False, default=list)


class AttachmentSerializer(EvidenceSerializer):
    """A file's facts; its content is `…/file/`. Never who uploaded it (for the complainant's
    side, the complainant's account)."""

    class Meta(EvidenceSerializer.Meta):
        model = Attachment
        fields = [*EVIDENCE_FIELDS, "side", "record"]
        read_only_fields = fields


class FilesSerializer(serializers.Serializer):
    files = FilesField()


class StepSerializer(serializers.Serializer):
    """The fields of the step's form on the complaint's page; each step reads its own."""

    expected = serializers.CharField(required=False, help_text=_("The status the client saw: a step someone "
                                                                 "else took meanwhile is refused."))
    reason = serializers.CharField(required=False)
    text = serializers.CharField(required=False)
    department = serializers.IntegerField(required=False)
    to_school = serializers.BooleanField(required=False)
    due = serializers.DateField(required=False)
    finding = serializers.CharField(required=False)
    responsibility = serializers.CharField(required=False)
    teacher = serializers.IntegerField(required=False)
    measures = serializers.CharField(required=False)
    veto = serializers.BooleanField(required=False)
    rating = serializers.IntegerField(required=False, min_value=1, max_value=5)
    comment = serializers.CharField(required=False)
    files = FilesField(required=False,
                       help_text=_("With record, answer and reply: photos or documents (multipart)."))


class IdentitySerializer(serializers.Serializer):
    name = serializers.CharField()
    mobile = serializers.CharField()


STEP_PARAMETER = OpenApiParameter("step", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(STEPS),
                                  description=_("The step to take."))


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Named complaints the caller may see: its own (parent), its district's (staff, leaders),
    those handed to its school (principal)."""

    permission_classes = [RolePermission]
    read_roles = READERS
    write_roles = WRITERS
    queryset = Complaint.objects.none()
    serializer_class = ComplaintSerializer

    def get_queryset(self):
        return complaint_list(user=self.request.user)

    def output(self, complaint, code=status.HTTP_200_OK):
        return Response(ComplaintSerializer(complaint, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer, 200: ComplaintSerializer})
    def create(self, request):
        """Lodge a complaint; 201 with it, or 200 with the one the same token made before."""
        serializer = ComplaintCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint, created = services.complaint_submit(by=request.user, address=request.META.get("REMOTE_ADDR"),
                                                       **serializer.validated_data)
        return self.output(complaint, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=StepSerializer, responses=ComplaintSerializer, parameters=[STEP_PARAMETER])
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<step>[a-z]+)")
    def step(self, request, pk=None, step=None):
        """Take a step (accept, reject, assign, record, answer, extend, conclude, reply, close,
        rate, appeal) with the fields of its form."""
        definition = STEPS.get(step)
        if definition is None:
            raise NotFound()
        if not (request.user.is_superuser or request.user.role in definition.roles):
            raise PermissionDenied()
        complaint = self.get_object()
        form = definition.bind(request.data, files=request.FILES, complaint=complaint, user=request.user)
        if not form.is_valid():
            raise ValidationError({name: [error["message"] for error in errors]
                                   for name, errors in form.errors.get_json_data().items()})
        definition.run(form, complaint=complaint, user=request.user)
        return self.output(self.get_queryset().get(pk=complaint.pk))

    @extend_schema(request=None, responses=IdentitySerializer)
    @action(detail=True, methods=["post"])
    def complainant(self, request, pk=None):
        """Who lodged the complaint, for the office and leaders; each call is logged (who, when)."""
        if not may_know_complainant(request.user):
            raise PermissionDenied()
        identity = services.complainant_reveal(complaint=self.get_object(), by=request.user)
        return Response(IdentitySerializer(identity).data)

    @extend_schema(methods=["get"], request=None, responses=AttachmentSerializer(many=True))
    @extend_schema(methods=["post"], request={"multipart/form-data": FilesSerializer},
                   responses={201: AttachmentSerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def attachments(self, request, pk=None):
        """The complaint's files the caller may read; the complainant adds files while it is open."""
        complaint = self.get_object()
        if request.method == "POST":
            serializer = FilesSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            made = services.complaint_add_files(complaint=complaint, files=serializer.validated_data["files"],
                                                by=request.user)
            return Response(AttachmentSerializer(made, many=True).data, status=status.HTTP_201_CREATED)
        files = complaint_attachments(complaint=complaint, user=request.user)
        return Response(AttachmentSerializer(files, many=True).data)


class AttachmentViewSet(FileViewSet):
    """The complaints' files the caller may read (the school never the complainant's)."""

    read_roles = READERS
    model = Attachment
    queryset = Attachment.objects.none()
    serializer_class = AttachmentSerializer


def register(router):
    router.register("complaints", ComplaintViewSet, basename="complaint")
    router.register("complaint-attachments", AttachmentViewSet, basename="complaint-attachment")
