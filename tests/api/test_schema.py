"""The OpenAPI schema keeps the API's contract: it validates, documents every error answer,
and says which fields some roles do not get (from the scope engine's declarations)."""

import pytest
from django.core.management import call_command
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.test import APIClient, APIRequestFactory

from bureau import scope
from bureau.api import WithheldFieldsMixin
from bureau.api_schema import withheld_rules
from bureau.api_urls import router
from schools.models import Teacher
from schools.permissions import PRINCIPAL_SCHOOL_FIELDS
from schools.serializers import OutputSerializer
from tests.factories import TeacherFactory

METHODS = {"get", "put", "patch", "post", "delete"}


@pytest.fixture(scope="module")
def schema():
    # In English: the descriptions are asserted in their source text.
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for url, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield url, method, operation


def test_schema_validates_without_warnings(tmp_path):
    # `--fail-on-warn` turns every warning of drf-spectacular (an unresolved type, a
    # duplicate component name) into an error: CI's guard on the schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_every_operation_documents_its_errors(schema):
    assert len(list(operations(schema))) >= 20
    for url, method, operation in operations(schema):
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        expected = {"429"}
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            expected.add("400")
        if operation.get("security"):
            expected |= {"401", "403"}
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            expected.add("404")
        assert expected <= set(responses), (method, url, sorted(responses))
        for code in expected:
            body = responses[code]["content"]["application/json"]["schema"]
            wanted = "FieldErrors" if code == "400" else "Error"
            assert body == {"$ref": f"#/components/schemas/{wanted}"}, (method, url, code)
            assert responses[code]["description"]
        if "401" in expected:
            assert "WWW-Authenticate" in responses["401"]["headers"]
        assert "Retry-After" in responses["429"]["headers"]
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert set(token["responses"]) == {"200", "400", "429"}  # no account needed: no 401/403


def test_error_components(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    assert components["FieldErrors"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_every_endpoint_answers_through_the_withheld_fields_mixin():
    for prefix, viewset, _basename in router.registry:
        assert issubclass(viewset.serializer_class, WithheldFieldsMixin), prefix


def test_withheld_fields_are_optional_and_say_who_gets_them(schema):
    components = schema["components"]["schemas"]
    checked = 0
    for _prefix, viewset, _basename in router.registry:
        serializer = viewset.serializer_class()
        component = components[serializer.__class__.__name__.removesuffix("Serializer")]
        withheld = {name for rule in withheld_rules(serializer.Meta.model) for name in rule.fields}
        for name, field in serializer.fields.items():
            if name in withheld:
                assert name not in component.get("required", []), name
                assert "Left out of the answer" in component["properties"][name]["description"]
                checked += 1
            elif field.read_only:
                assert name in component["required"], name
    # Teachers' birth date and certificate number, as bureau.scope declares them for Teacher;
    # a complaint's (masked) complainant name and mobile (complaints/permissions.py); a
    # visit's private notes (inspections/permissions.py).
    assert checked == 5
    assert {"birth_date", "certificate_number"} <= {n for r in withheld_rules(Teacher) for n in r.fields}


def test_principal_fields_of_a_school_are_marked(schema):
    operation = schema["paths"]["/api/v1/schools/{id}/"]["patch"]
    assert operation["x-principal-may-change"] == list(PRINCIPAL_SCHOOL_FIELDS)
    assert all(name in operation["description"] for name in PRINCIPAL_SCHOOL_FIELDS)
    request = schema["components"]["schemas"]["PatchedSchoolUpdate"]["properties"]
    for name, prop in request.items():
        marked = "a principal who sends it gets a 400" in prop.get("description", "")
        assert marked is (name not in PRINCIPAL_SCHOOL_FIELDS), name


class _Renamed(OutputSerializer):
    born = serializers.DateField(source="birth_date", read_only=True)

    class Meta:
        model = Teacher
        fields = ["id", "name", "born", "certificate_number"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "staff", "leader", "inspector", "principal"])
def test_the_mixin_drops_exactly_the_hidden_fields(users, school, role):
    user = users[role]
    teacher = TeacherFactory(school=school)
    request = APIRequestFactory().get("/")
    request.user = user
    hidden = scope.hidden_fields(user, Teacher)
    data = _Renamed(teacher, context={"request": request}).data
    # A withheld column is left out under any name the serializer gives it.
    assert set(data) == {"id", "name", "born", "certificate_number"} - ({"born", "certificate_number"} if hidden else set())
    assert bool(hidden) is (role in ("leader", "inspector"))

    client = APIClient()
    client.force_login(user)
    row = client.get(f"/api/v1/teachers/{teacher.pk}/").json()
    teachers = {prefix: viewset for prefix, viewset, _basename in router.registry}["teachers"]
    assert set(row) == set(teachers.serializer_class.Meta.fields) - hidden


@pytest.mark.django_db
def test_a_serializer_without_a_request_withholds(school):
    teacher = TeacherFactory(school=school)
    assert "birth_date" not in _Renamed(teacher).data and "born" not in _Renamed(teacher).data
