"""The surveys API (/api/v1/): campaigns and their stored figures, scoped like the pages (the
bureau the district, an inspector its zones' schools, a school its own once closed; a figure
of fewer than 10 answers carries its count only); and the public answer endpoint, which takes
one respondent's answers by access code through the same door as the page (one device once,
a limit per network, refusals counted)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from bureau.api import RolePermission, WithheldFieldsMixin
from bureau.models import Role
from inspections.models import Campaign, SurveyAggregate, SurveyResponse
from inspections.surveys import answering, selectors
from inspections.surveys.forms import FIELD_PREFIX, AnswerForm
from inspections.surveys.permissions import SURVEY_READERS, sees_district_figures


class CampaignSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    term = serializers.CharField(source="term.__str__", read_only=True)
    questionnaire = serializers.CharField(source="questionnaire.title", read_only=True)
    responses = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "title", "questionnaire", "term", "audience", "grade_from", "grade_to", "sample_size",
                  "opens_on", "closes_on", "status", "aggregated_at", "responses"]

    def get_responses(self, campaign) -> int | None:
        # The district's count is the bureau's (a school reads its own figures' counts).
        return campaign.n_responses if sees_district_figures(self.context["request"].user) else None


class FigureSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    question = serializers.CharField(source="question.code")
    question_text = serializers.CharField(source="question.text")
    school = serializers.IntegerField(source="school_id", allow_null=True)
    school_code = serializers.CharField(source="school.code", allow_null=True, default=None)
    within_share = serializers.FloatField(allow_null=True)

    class Meta:
        model = SurveyAggregate
        fields = ["question", "question_text", "school", "school_code", "answers", "suppressed", "mean", "within",
                  "within_share", "distribution", "computed_at"]


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Survey campaigns the user reads, with their stored figures (`figures/`)."""

    permission_classes = [RolePermission]
    read_roles = SURVEY_READERS
    queryset = Campaign.objects.none()
    serializer_class = CampaignSerializer

    def get_queryset(self):
        return selectors.campaign_list(user=self.request.user)

    @extend_schema(responses=FigureSerializer(many=True))
    @action(detail=True, methods=["get"])
    def figures(self, request, pk=None):
        campaign = self.get_object()
        user = request.user
        school = user.school if user.role == Role.PRINCIPAL and not user.is_superuser else None
        rows = [row for _q, district, schools in selectors.campaign_figures(user=user, campaign=campaign,
                                                                            school=school)
                for row in ([district] if district else []) + schools]
        return Response(FigureSerializer(rows, many=True).data)


class AnswerSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    grade = serializers.IntegerField()
    answers = serializers.DictField(help_text=_("Question code → answer: a choice's code, a list of codes, a number "
                                                "or a text."))


class SurveyResponseSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    """What the answer endpoint says it stored: the grade and the day, nothing else."""

    class Meta:
        model = SurveyResponse
        fields = ["grade", "submitted_on"]
        read_only_fields = fields


class SurveyAnswerViewSet(viewsets.ViewSet):
    """One respondent's answers to a campaign, by its school's access code. No account; each
    device once (a signed cookie), a limit per network, refusals counted on the campaign."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = SurveyResponseSerializer

    @extend_schema(auth=[], request=AnswerSerializer, responses={
        201: SurveyResponseSerializer,
        400: OpenApiResponse(description=_("Field errors, a wrong code or a closed survey: nothing is stored.")),
        409: OpenApiResponse(description=_("This device answered before.")),
        429: OpenApiResponse(description=_("Too many answers from this network.")),
    })
    def create(self, request):
        given = AnswerSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        participant = answering.participant_for_code(given.validated_data["code"])
        if participant is None:
            return Response({"code": [_("No survey has this access code.")]}, status=status.HTTP_400_BAD_REQUEST)
        campaign = participant.campaign
        data = {"grade": given.validated_data["grade"]}
        for code, value in given.validated_data["answers"].items():
            data[f"{FIELD_PREFIX}{code}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
        form = AnswerForm(_ListData(data), campaign=campaign, questions=answering.questions_of(campaign))
        outcome = answering.answer_take(request=request, participant=participant, form=form)
        if outcome == answering.STORED:
            response = Response(SurveyResponseSerializer(form.stored).data, status=status.HTTP_201_CREATED)
            answering.remember_answered(response, request, campaign)
            return response
        if outcome == answering.CLOSED:
            return Response({"code": [_("This survey is not taking answers: it is closed or not open yet.")]},
                            status=status.HTTP_400_BAD_REQUEST)
        if outcome == answering.FULL:
            return Response({"code": [answering.sample_full_message(campaign)]}, status=status.HTTP_400_BAD_REQUEST)
        if outcome == answering.DUPLICATE:
            return Response({"detail": _("This device answered this survey before.")}, status=status.HTTP_409_CONFLICT)
        if outcome == answering.LIMITED:
            return Response({"detail": _("Too many answers came from your network in the last hour.")},
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        errors = {name.removeprefix(FIELD_PREFIX): [str(e) for e in messages] for name, messages in form.errors.items()}
        grade = errors.pop("grade", None)
        body = {"answers": errors} if errors else {}
        if grade:
            body["grade"] = grade
        return Response(body, status=status.HTTP_400_BAD_REQUEST)


class _ListData(dict):
    """A dict the form reads like a QueryDict (getlist for multiple choice)."""

    def getlist(self, key):
        value = self.get(key)
        return value if isinstance(value, list) else [] if value is None else [value]


def register(router):
    router.register("survey-campaigns", CampaignViewSet, basename="survey-campaign")
    router.register("survey-answers", SurveyAnswerViewSet, basename="survey-answer")
