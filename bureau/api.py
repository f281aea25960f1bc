"""API plumbing shared by every app: permission class and error handler."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions as drf_permissions
from rest_framework.exceptions import ValidationError

from bureau.errors import DomainError
from bureau.permissions import is_active


class IsPortalUser(drf_permissions.BasePermission):
    """Any active, logged-in account; what it sees is narrowed by `visible_to`."""

    def has_permission(self, request, view):
        return is_active(request.user)


def exception_handler(exc, context):
    # Imported here: rest_framework.views reads these settings at import time.
    from rest_framework.views import exception_handler as drf_exception_handler

    # Domain and model validation errors become a 400 with field errors, never a 500.
    if isinstance(exc, DomainError):
        exc = ValidationError({"detail": [str(exc)]})
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    return drf_exception_handler(exc, context)
