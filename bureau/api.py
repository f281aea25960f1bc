"""API plumbing shared by every app: permission classes and error handler.

Nothing here may import rest_framework.views at module level: DRF's settings import this
module (DEFAULT_PERMISSION_CLASSES) while rest_framework.views is being defined.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions as drf_permissions
from rest_framework.exceptions import ValidationError

from bureau.errors import DomainError
from bureau.permissions import is_active


class IsPortalUser(drf_permissions.BasePermission):
    """Any active, logged-in account; what it sees is narrowed by `visible_to`."""

    def has_permission(self, request, view):
        return is_active(request.user)


class RolePermission(IsPortalUser):
    """Reads need a role in `view.read_roles`; writes one in `view.write_roles` (none by default).

    Which rows a role sees is still decided by `visible_to`; this only says who may call
    the endpoint at all, the same way `roles_required` does for pages.
    """

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.user.is_superuser:
            return True
        if request.method in drf_permissions.SAFE_METHODS:
            roles = getattr(view, "read_roles", frozenset())
        else:
            roles = getattr(view, "write_roles", frozenset())
        return request.user.role in roles


def exception_handler(exc, context):
    # Imported here: rest_framework.views reads these settings at import time.
    from rest_framework.views import exception_handler as drf_exception_handler

    # Domain and model validation errors become a 400 with field errors, never a 500.
    if isinstance(exc, DomainError):
        exc = ValidationError({"detail": [str(exc)]})
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            from rest_framework.settings import api_settings

            # A model's clean() / constraints report "__all__"; DRF clients expect non_field_errors.
            errors = {
                (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): messages
                for key, messages in exc.message_dict.items()
            }
            exc = ValidationError(errors)
        else:
            exc = ValidationError({"detail": exc.messages})
    return drf_exception_handler(exc, context)
