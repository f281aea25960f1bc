from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bureau.api import WithheldFieldsMixin
from schools.models import ClassDraw, ClassTransfer, IncomingStudent


class ClassDrawSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)
    transfers_approved = serializers.IntegerField(read_only=True)

    class Meta:
        model = ClassDraw
        fields = ("id", "school", "school_name", "term", "grade", "status", "student_count", "class_count",
                  "size_limit", "seed", "roster_hash", "algorithm", "seed_published_at", "drawn_at", "result",
                  "transfers_approved")
        read_only_fields = fields


class ClassDrawCreateSerializer(serializers.Serializer):
    term = serializers.IntegerField()
    grade = serializers.IntegerField()


class ClassCountSerializer(serializers.Serializer):
    class_count = serializers.IntegerField(min_value=1, max_value=60)


class SeedSerializer(serializers.Serializer):
    seed = serializers.CharField(max_length=64)


class RosterSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("An .xlsx or .csv file with the template's column headers."))


class IncomingStudentSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    school_class = serializers.StringRelatedField()
    groups = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = IncomingStudent
        fields = ("id", "number", "name", "gender", "birth_date", "birth_month", "groups", "school_class")
        read_only_fields = fields


class ClassTransferSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    student_number = serializers.CharField(source="student.number", read_only=True)
    from_class_name = serializers.StringRelatedField(source="from_class")
    to_class_name = serializers.StringRelatedField(source="to_class")

    class Meta:
        model = ClassTransfer
        fields = ("id", "draw", "student_number", "from_class", "from_class_name", "to_class", "to_class_name",
                  "reason", "status", "created_at", "decided_at")
        read_only_fields = fields


class ClassTransferCreateSerializer(serializers.Serializer):
    draw = serializers.IntegerField()
    student = serializers.CharField(max_length=20, help_text=_("The registration number."))
    to_class = serializers.IntegerField()
    reason = serializers.CharField(max_length=500)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
