"""The one way the API hands out a stored file: `GET …/<id>/file/` on a viewset whose
queryset is already scoped (`visible_to`), so a file is reached exactly as its record is
(404 for missing and out of scope alike). Media files are never served by the web server."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from bureau import uploads
from bureau.api import RolePermission


class FileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Stored files the caller may read, newest first; each one's content is `…/file/`.
    Subclasses set `read_roles`, `serializer_class` and `model`."""

    permission_classes = [RolePermission]
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by("-uploaded_at", "-pk")

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The file itself, with the content type its content was checked to be."""
        stored = self.get_object()
        return uploads.upload_response(name=stored.file.name, kind=uploads.KINDS_BY_CODE[stored.kind],
                                       label=stored.label)
