"""What the inspections API answers with: themes, visits and notices, withheld fields left out
per requester (a visit's private notes reach the inspectors only)."""

from rest_framework import serializers

from bureau.api import WithheldFieldsMixin
from bureau.api_fields import EVIDENCE_FIELDS, EvidenceSerializer, FilesField
from inspections.models import (
    ChecklistItem,
    ItemResult,
    MonthlyTheme,
    NoticeEvidence,
    RectificationNotice,
    Visit,
    VisitEvidence,
    VisitItem,
    VisitKind,
)


# (A comment, not a docstring: drf-spectacular would show it as every subclass's description.)
class OutputSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    pass


class ChecklistItemSerializer(OutputSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "code", "text", "source"]


class MonthlyThemeSerializer(OutputSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = MonthlyTheme
        fields = ["id", "district", "year", "month", "title", "description", "items"]


class VisitEvidenceSerializer(EvidenceSerializer):
    class Meta(EvidenceSerializer.Meta):
        model = VisitEvidence
        fields = [*EVIDENCE_FIELDS, "item"]
        read_only_fields = fields


class NoticeEvidenceSerializer(EvidenceSerializer):
    class Meta(EvidenceSerializer.Meta):
        model = NoticeEvidence
        fields = [*EVIDENCE_FIELDS, "notice"]
        read_only_fields = fields


class VisitItemSerializer(OutputSerializer):
    evidence = VisitEvidenceSerializer(many=True, read_only=True, help_text="Photos and documents of the item; each "
                                  "one's content is /api/v1/visit-evidence/<id>/file/.")

    class Meta:
        model = VisitItem
        fields = ["id", "code", "text", "source", "result", "note", "evidence"]


class VisitSerializer(OutputSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)
    inspector_name = serializers.CharField(source="inspector.display_name", read_only=True)
    items = VisitItemSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id", "school", "school_name", "inspector", "inspector_name", "kind", "date", "theme", "status",
            "lessons_observed", "notebooks_checked", "meetings_held", "summary", "feedback", "private_notes",
            "filed_at", "items",
        ]


class RectificationNoticeSerializer(OutputSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    visit = serializers.IntegerField(source="item.visit_id", read_only=True)
    overdue = serializers.SerializerMethodField()
    evidence = NoticeEvidenceSerializer(many=True, read_only=True, help_text="The school's evidence with its answer; "
                                  "each one's content is /api/v1/notice-evidence/<id>/file/.")

    class Meta:
        model = RectificationNotice
        fields = [
            "id", "school", "school_name", "visit", "item", "item_code", "inspector", "requirement", "working_days",
            "issued_on", "deadline", "status", "overdue", "answer", "answered_at", "return_reason", "verified_at",
            "evidence",
        ]

    def get_overdue(self, notice) -> bool:
        return notice.is_overdue()


# ---- input serializers (writes go through inspections.services) -----------------------------


class VisitStartSerializer(serializers.Serializer):
    school = serializers.IntegerField(help_text="The school's id.")
    kind = serializers.ChoiceField(choices=VisitKind.choices)


class VisitItemInputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    result = serializers.ChoiceField(choices=[("", "—"), *ItemResult.choices], allow_blank=True, required=False)
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False)


class VisitUpdateSerializer(serializers.ModelSerializer):
    """A draft's fields and its items' results; files are added on the visit's page."""

    items = VisitItemInputSerializer(many=True, required=False)

    class Meta:
        model = Visit
        fields = ["kind", "date", "lessons_observed", "notebooks_checked", "meetings_held", "summary", "feedback",
                  "private_notes", "items"]


class NoticeIssueSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="The id of a visit item found not met, on a filed visit.")
    requirement = serializers.CharField(max_length=2000)
    working_days = serializers.IntegerField(min_value=1, max_value=60)


class NoticeAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)
    files = FilesField(required=False, default=list)


class EvidenceAddSerializer(serializers.Serializer):
    files = FilesField()





class NoticeReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class NoticeVerifySerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False)
