"""Serializer fields shared by the apps' APIs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bureau.api import WithheldFieldsMixin


class FilesField(serializers.ListField):
    """Photos or documents sent as multipart `files` (several parts of one name). Their kind
    and size are the services' to check (bureau.uploads.upload_check), as on the pages.

    DRF's ListField answers a bad part with {index: [message]}; the portal's 400 is a list of
    messages per field (bureau.api's error schema), so they are flattened."""

    child = serializers.FileField()

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Photos or documents (multipart)."))
        super().__init__(**kwargs)

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            detail = error.detail
            messages = [str(m) for value in (detail.values() if isinstance(detail, dict) else [detail])
                        for m in (value if isinstance(value, list) else [value])]
            raise serializers.ValidationError(list(dict.fromkeys(messages))) from None


EVIDENCE_FIELDS = ["id", "label", "kind", "size", "uploaded_at"]


class EvidenceSerializer(WithheldFieldsMixin, serializers.ModelSerializer):
    """A stored file's facts (a bureau.models.EvidenceFile); its content is the endpoint's
    `…/file/`. Never who uploaded it: the scope of the record it belongs to says who reads
    it. Subclasses name the model (`Meta.model`) and add their owner's field."""

    class Meta:
        fields = EVIDENCE_FIELDS
        read_only_fields = EVIDENCE_FIELDS
        extra_kwargs = {"label": {"help_text": _("The uploader's file name.")},
                        "kind": {"help_text": _("What the content was found to be (jpeg, pdf, docx…).")}}
