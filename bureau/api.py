"""API plumbing shared by every app: permissions, pagination, withheld fields, error handler.

Nothing here may import rest_framework.views at module level: DRF's settings import this
module (DEFAULT_PERMISSION_CLASSES) while rest_framework.views is being defined.
"""

import logging

from django import forms
from django.core import signals
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.log import log_response
from rest_framework import exceptions
from rest_framework import pagination as drf_pagination
from rest_framework import permissions as drf_permissions
from rest_framework.exceptions import ValidationError

from bureau import scope
from bureau.errors import DomainError
from bureau.permissions import is_active

logger = logging.getLogger("django.request")


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


class PageNumberPagination(drf_pagination.PageNumberPagination):
    """DRF's page numbers, strict: `?page=` must be a whole number of 1 or more.

    DRF reads an empty `?page=` as page 1 and answers "abc" with a 404, so a client's
    mistake looked like a short list or a missing record. A page that is not a number is
    a bad request (400, with the field); a page past the end stays a 404, as in DRF.
    """

    # "last" is not in the schema, which says the page is an integer.
    last_page_strings = ()

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        try:
            # Django's field, so the reasons are the ones Django already translates.
            return forms.IntegerField(min_value=1).clean(raw)
        except DjangoValidationError as exc:
            raise ValidationError({self.page_query_param: exc.messages}) from exc

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class WithheldFieldsMixin:
    """For every output serializer of a model: leaves out the fields that the scope engine
    withholds from the requester (`scope.hidden_fields(user, Meta.model)`), so the API
    shows a role exactly what the pages, exports and history show it.

    The fields stay declared: the schema lists them, marked optional with who gets them
    (bureau.api_schema). A serializer used without a request withholds every such field.
    """

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in self._withheld_names():
            data.pop(name, None)
        return data

    def _withheld_names(self):
        # Asked once per response, not once per row of a list: the list's child is one
        # serializer, and its root is the same for every row.
        cache = self.root.__dict__.setdefault("_withheld_names_cache", {})
        key = id(self)
        if key not in cache:
            request = self.context.get("request")
            hidden = scope.hidden_fields(getattr(request, "user", None), self.Meta.model)
            # By source too: a serializer may show a withheld column under another name.
            cache[key] = frozenset(
                name for name, field in self.fields.items() if name in hidden or field.source in hidden
            )
        return cache[key]


def _field_errors(data):
    """Every 400 body in one shape, {field: [reasons]}, as the schema documents it."""
    if isinstance(data, list):
        return {"non_field_errors": data}
    if isinstance(data, dict):
        return {key: (value if isinstance(value, (list, dict)) else [value]) for key, value in data.items()}
    return {"detail": [data]}


def exception_handler(exc, context):
    # Imported here: rest_framework.views reads these settings at import time.
    from rest_framework.settings import api_settings
    from rest_framework.views import exception_handler as drf_exception_handler
    from rest_framework.views import set_rollback

    # Domain and model validation errors become a 400 with field errors, never a 500.
    if isinstance(exc, DomainError):
        exc = ValidationError({"detail": [str(exc)]})
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            # A model's clean() / constraints report "__all__"; DRF clients expect non_field_errors.
            errors = {
                (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): messages
                for key, messages in exc.message_dict.items()
            }
            exc = ValidationError(errors)
        else:
            exc = ValidationError({"detail": exc.messages})
    elif isinstance(exc, Http404):
        # get_object_or_404's message names the model, in English: say "not found" instead.
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None:
        if response.status_code == 400:
            response.data = _field_errors(response.data)
        return response

    # Anything else is a bug. Answer in JSON like every other API response, but report it
    # as Django would: logged with its traceback, and told to got_request_exception's
    # listeners (error trackers; the test client, which re-raises it in the test).
    request = context.get("request")
    django_request = getattr(request, "_request", request)
    set_rollback()
    response = _server_error_response()
    if django_request is not None:
        log_response(
            "%s: %s", response.reason_phrase, django_request.path,
            response=response, request=django_request, exception=exc,
        )
        signals.got_request_exception.send(sender=None, request=django_request)
    return response


def _server_error_response():
    from rest_framework.response import Response

    return Response({"detail": str(exceptions.APIException.default_detail)}, status=500)
