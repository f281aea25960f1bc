"""The base of the inspections app's API viewsets: read-only, role-checked, writes answered
with the record as read back."""

from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from bureau.api import RolePermission


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    write_roles = frozenset()

    def output(self, instance, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer_class()(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def get_serializer_class(self):
        # Inputs are read with their own serializers in each action; answers are the record.
        return self.serializer_class

    def read(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
