"""The API's OpenAPI schema beyond what drf-spectacular infers: the error answers of every
operation, and the fields that some roles do not get.

One place for both, so that every app's endpoints document them the same way without a
decorator per view: `AutoSchema` is REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from bureau import scope
from bureau.api import WithheldFieldsMixin
from bureau.api_filters import IntegerFilter
from bureau.models import Role


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer but 400: one message in the requester's language."""

    detail = serializers.CharField(help_text=_("What went wrong, in the requester's language (Chinese by default)."))


class FieldErrorsSerializer(serializers.Serializer):
    """The body of a 400 (mapped by FieldErrorsExtension below; it has no fields of its own)."""


class FieldErrorsExtension(OpenApiSerializerExtension):
    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema, direction):
        # bureau.api.exception_handler gives every 400 this shape.
        return {
            "type": "object",
            "description": str(_(
                "Each field (body field or query parameter) that was refused, with its reasons in the "
                "requester's language; `non_field_errors` for the whole request, `detail` for a rule of the "
                "portal."
            )),
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"is_backbone": ["“banana” value must be either True or False."], "page": ["Enter a whole number."]},
        }


# Who meets each error, worded for the reader of the documentation.
ERRORS = {
    "400": _("The request body or a query parameter is invalid (a bad filter value, page number or field)."),
    "401": _("No valid credentials: the token is missing or wrong, or its account is inactive."),
    "403": _("The account's role may not do this, or a session request lacks its CSRF token."),
    "404": _("No such record, or one outside the account's scope (the same answer for both); or a page past "
             "the last."),
    "429": _("Too many requests: wait the number of seconds in Retry-After."),
}
HEADERS = {
    "401": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": _("`Token`: send a token.")}},
    "429": {"Retry-After": {"schema": {"type": "integer"}, "description": _("Seconds to wait.")}},
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error answers each operation can give."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._error_codes(operation):
            given = responses.get(code, {})
            if "content" in given:
                continue  # the view documented this answer itself
            body = FieldErrorsSerializer if code == "400" else ErrorSerializer
            # A view's own wording of the error (the token login's lockout) wins.
            description = given.get("description") or ERRORS[code]
            responses[code] = self._get_response_for_code(OpenApiResponse(body, description=description), code)
            if code in HEADERS:
                responses[code]["headers"] = {
                    name: {**header, "description": str(header["description"])} for name, header in HEADERS[code].items()
                }
        return operation

    def _error_codes(self, operation):
        parameters = operation.get("parameters", [])
        codes = []
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        security = operation.get("security", [])
        if security and {} not in security:
            codes += ["401", "403"]
        paginated = self._is_list_view() and self._get_paginator() is not None
        if any(p["in"] == "path" for p in parameters) or paginated:
            codes.append("404")
        codes.append("429")  # throttles and the token login's lockout apply to every operation
        return codes


def lib_doc_excludes():
    """Classes whose docstrings drf-spectacular must not show as a serializer's description
    (SPECTACULAR_SETTINGS["GET_LIB_DOC_EXCLUDES"]): DRF's, and our mixin's."""
    from drf_spectacular.plumbing import get_lib_doc_excludes

    return [*get_lib_doc_excludes(), WithheldFieldsMixin]


def withheld_rules(model):
    """The scope engine's declared Withheld rules of `model` (none for an undeclared one)."""
    try:
        return scope.policy_for(model).withheld
    except ImproperlyConfigured:
        return ()


def _who_gets(rule):
    if rule.allowed is not None:
        return _("Left out of the answer for the accounts that may not read it.")
    roles = ", ".join(str(role.label) for role in Role if role in rule.seen_by)
    return _("Left out of the answer for the roles that may not read it; sent to: %(roles)s.") % {"roles": roles}


class WithheldFieldsExtension(OpenApiSerializerExtension):
    """Output serializers drop the fields the scope engine withholds from the requester
    (bureau.api.WithheldFieldsMixin): such a field is not required, and says who gets it."""

    target_class = WithheldFieldsMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        required = schema.get("required", [])
        for rule in withheld_rules(self.target.Meta.model):
            for name, field in self.target.fields.items():
                if name not in rule.fields and field.source not in rule.fields:
                    continue
                if name in required:
                    required.remove(name)
                prop = schema["properties"][name]
                if "$ref" in prop:  # siblings of a $ref are ignored in OpenAPI 3.0
                    prop = schema["properties"][name] = {"allOf": [prop]}
                prop["description"] = " ".join(filter(None, [prop.get("description"), str(_who_gets(rule))]))
        if "required" in schema and not required:
            del schema["required"]
        return schema


class StrictFilterExtension(DjangoFilterExtension):
    """drf-spectacular's django-filter parameters, with the bounds of bureau.api_filters'
    IntegerFilter (a filter by method would otherwise be documented as any number)."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if isinstance(filter_field, IntegerFilter):
            field = filter_field.field
            for parameter in parameters:
                parameter["schema"] = {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
        return parameters
