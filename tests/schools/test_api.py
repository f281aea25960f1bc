"""The schools API: scope per role, filters, writes through the services, query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bureau.api import exception_handler
from bureau.errors import DomainError
from bureau.models import AuditLog
from schools.models import School, SchoolYearStat, Teacher
from tests.factories import (
    EducationGroupFactory,
    RotationFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    SchoolYearStatFactory,
    TeacherFactory,
    TermFactory,
    TrainingRecordFactory,
)

API = "/api/v1/"
READERS = ("admin", "staff", "leader", "inspector", "principal")


@pytest.fixture
def world(district, other_district, school, other_school):
    """The same records in the users' district (`mine`) and in another one (`theirs`)."""
    year = SchoolYearFactory(start_year=2025)
    term = TermFactory(school_year=year)
    made = {}
    for key, sch in (("mine", school), ("theirs", other_school)):
        group = EducationGroupFactory(district=sch.district)
        teacher = TeacherFactory(school=sch)
        made[key] = {
            "school": sch,
            "district": sch.district,
            "group": group,
            "stat": SchoolYearStatFactory(school=sch, school_year=year),
            "class": SchoolClassFactory(school=sch, term=term, grade=3, boys=30, girls=28),
            "teacher": teacher,
            "training": TrainingRecordFactory(teacher=teacher),
            "rotation": RotationFactory(teacher=teacher, to_school=sch),
        }
    made["year"], made["term"] = year, term
    return made


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# (url name, key in world, roles that see the `mine` record through it)
ENDPOINTS = [
    ("districts", "district"),
    ("groups", "group"),
    ("schools", "school"),
    ("school-year-stats", "stat"),
    ("classes", "class"),
    ("teachers", "teacher"),
    ("training-records", "training"),
    ("rotations", "rotation"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "key"), ENDPOINTS)
@pytest.mark.parametrize("role", READERS)
def test_lists_and_details_are_scoped(users, world, endpoint, key, role):
    client = client_for(users[role])
    mine, theirs = world["mine"][key], world["theirs"][key]

    response = client.get(f"{API}{endpoint}/")
    assert response.status_code == 200, response.content
    assert ids(response) == {mine.pk}

    assert client.get(f"{API}{endpoint}/{mine.pk}/").status_code == 200
    # Another district's record does not exist for this user.
    assert client.get(f"{API}{endpoint}/{theirs.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "key"), ENDPOINTS)
def test_parent_and_anonymous_see_nothing(users, world, endpoint, key):
    parent = client_for(users["parent"])
    assert parent.get(f"{API}{endpoint}/").status_code == 403
    assert parent.get(f"{API}{endpoint}/{world['mine'][key].pk}/").status_code == 403
    assert client_for(None).get(f"{API}{endpoint}/").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["terms", "school-years"])
def test_calendar_is_shared_but_not_public(users, world, endpoint):
    response = client_for(users["inspector"]).get(f"{API}{endpoint}/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert client_for(users["parent"]).get(f"{API}{endpoint}/").status_code == 403


@pytest.mark.django_db
def test_school_carries_latest_verdict_and_big_class(users, world):
    SchoolYearStat.objects.filter(pk=world["mine"]["stat"].pk).update(resource_met_count=5, meets_resource_standard=False)
    row = client_for(users["staff"]).get(f"{API}schools/").json()["results"][0]
    assert row["students"] == 1000
    assert row["resource_met_count"] == 5
    assert row["meets_resource_standard"] is False
    assert row["has_big_class"] is True  # the 58-student class
    assert row["district_name"] == "天宁区"


@pytest.mark.django_db
def test_school_filters(users, world, district):
    client = client_for(users["staff"])
    plain = SchoolFactory(district=district, code="3132100003", stage="junior", name="天宁区第二中学")
    assert ids(client.get(f"{API}schools/", {"stage": "junior"})) == {plain.pk}
    assert ids(client.get(f"{API}schools/", {"q": "第二中学"})) == {plain.pk}
    assert ids(client.get(f"{API}schools/", {"below_standard": "true"})) == {world["mine"]["school"].pk}
    assert ids(client.get(f"{API}schools/", {"below_standard": "false"})) == {plain.pk}
    # A filter cannot name a record outside the scope.
    assert client.get(f"{API}schools/", {"district": world["theirs"]["district"].pk}).status_code == 400


@pytest.mark.django_db
def test_class_filters(users, world, school):
    small = SchoolClassFactory(school=school, term=world["term"], grade=1, boys=10, girls=10)
    client = client_for(users["staff"])
    big = world["mine"]["class"]
    assert ids(client.get(f"{API}classes/", {"big": "true"})) == {big.pk}
    assert ids(client.get(f"{API}classes/", {"big": "false"})) == {small.pk}
    assert ids(client.get(f"{API}classes/", {"min_size": 21})) == {big.pk}
    assert ids(client.get(f"{API}classes/", {"grade": 1, "school": school.pk, "term": world["term"].pk})) == {small.pk}
    row = client.get(f"{API}classes/{big.pk}/").json()
    assert (row["size"], row["size_flag"], row["section"]) == (58, "big", "primary")


@pytest.mark.django_db
def test_teacher_filters(users, world, school):
    backbone = TeacherFactory(
        school=school, section="junior", education="master", title="senior", backbone_level="county", status="leave"
    )
    client = client_for(users["staff"])
    for params in (
        {"section": "junior"}, {"education": "master"}, {"title": "senior"}, {"backbone_level": "county"},
        {"is_backbone": "true"}, {"status": "leave"}, {"school": school.pk, "q": backbone.staff_number},
    ):
        assert ids(client.get(f"{API}teachers/", params)) == {backbone.pk}, params
    assert ids(client.get(f"{API}teachers/", {"is_backbone": "false"})) == {world["mine"]["teacher"].pk}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shown"), [
    ("admin", True), ("staff", True), ("principal", True), ("leader", False), ("inspector", False),
])
def test_teacher_personal_data_only_for_keepers(users, world, role, shown):
    client = client_for(users[role])
    teacher = world["mine"]["teacher"]
    for row in (client.get(f"{API}teachers/").json()["results"][0], client.get(f"{API}teachers/{teacher.pk}/").json()):
        assert ("birth_date" in row) is shown
        assert ("certificate_number" in row) is shown
        assert row["staff_number"] == teacher.staff_number


@pytest.mark.django_db
def test_indicators_of_a_school(users, world):
    school = world["mine"]["school"]
    client = client_for(users["inspector"])
    body = client.get(f"{API}schools/{school.pk}/indicators/", {"year": 2025}).json()
    assert body["has_statistics"] is True
    assert body["school_year"]["start_year"] == 2025
    [section] = body["sections"]
    assert section["section"] == "primary"
    assert section["students"] == 1000
    codes = [i["code"] for i in section["indicators"]]
    assert len(codes) == 7 and codes[3] == "teaching_area"
    area = section["indicators"][3]
    assert (Decimal(area["value"]), Decimal(area["threshold"]), area["met"]) == (Decimal("5"), Decimal("4.5"), True)

    # The latest year when no year is asked for; a year without statistics says so.
    assert client.get(f"{API}schools/{school.pk}/indicators/").json()["school_year"]["start_year"] == 2025
    SchoolYearFactory(start_year=2024)
    empty = client.get(f"{API}schools/{school.pk}/indicators/", {"year": 2024}).json()
    assert (empty["has_statistics"], empty["sections"], empty["met_count"]) == (False, [], None)
    assert client.get(f"{API}schools/{school.pk}/indicators/", {"year": 1999}).status_code == 400
    assert client.get(f"{API}schools/{world['theirs']['school'].pk}/indicators/").status_code == 404


# ---- writes ------------------------------------------------------------------------


def audit_rows(instance):
    return AuditLog.objects.filter(object_id=str(instance.pk), content_type__model=instance._meta.model_name)


@pytest.mark.django_db
def test_staff_patches_a_school_with_audit(users, world):
    school = world["mine"]["school"]
    response = client_for(users["staff"]).patch(
        f"{API}schools/{school.pk}/", {"name": "天宁区实验小学（新）", "phone": "0519-1234567"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "天宁区实验小学（新）"
    assert response.json()["meets_resource_standard"] is None  # output carries the list annotations
    entry = audit_rows(school).get()
    assert entry.actor == users["staff"]
    assert entry.changes["name"] == ["天宁区实验小学", "天宁区实验小学（新）"]


@pytest.mark.django_db
def test_principal_patches_only_principal_fields(users, world):
    school = world["mine"]["school"]
    client = client_for(users["principal"])
    ok = client.patch(f"{API}schools/{school.pk}/", {"address": "青年路1号"}, format="json")
    assert ok.status_code == 200
    bad = client.patch(f"{API}schools/{school.pk}/", {"name": "改名", "stage": "junior"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) == {"name", "stage"}
    school.refresh_from_db()
    assert (school.name, school.address) == ("天宁区实验小学", "青年路1号")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "inspector", "parent"])
def test_read_only_roles_cannot_write(users, world, role):
    client = client_for(users[role])
    mine = world["mine"]
    assert client.patch(f"{API}schools/{mine['school'].pk}/", {"phone": "1"}, format="json").status_code == 403
    assert client.patch(f"{API}teachers/{mine['teacher'].pk}/", {"subject": "数学"}, format="json").status_code == 403
    assert client.put(f"{API}schools/{mine['school'].pk}/stats/2025/", {}, format="json").status_code == 403
    assert not AuditLog.objects.exists()


@pytest.mark.django_db
def test_writes_outside_scope_are_not_found(users, world):
    client = client_for(users["staff"])
    theirs = world["theirs"]
    assert client.patch(f"{API}schools/{theirs['school'].pk}/", {"phone": "1"}, format="json").status_code == 404
    assert client.patch(f"{API}teachers/{theirs['teacher'].pk}/", {"subject": "数学"}, format="json").status_code == 404
    assert client.patch(f"{API}schools/{theirs['school'].pk}/stats/2025/", {}, format="json").status_code == 404


@pytest.mark.django_db
def test_validation_errors_are_field_errors_in_chinese(users, world):
    school = world["mine"]["school"]
    client = client_for(users["staff"])
    response = client.patch(
        f"{API}schools/{school.pk}/", {"stage": "castle"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "不是合法选项" in response.json()["stage"][0]
    response = client.patch(
        f"{API}schools/{school.pk}/stats/2025/", {"teaching_area": "-5"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "大于或者等于 0" in response.json()["teaching_area"][0]
    # A group of another district is not a valid choice either.
    response = client.patch(
        f"{API}schools/{school.pk}/", {"group": world["theirs"]["group"].pk}, format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400 and "不存在" in response.json()["group"][0]
    assert not AuditLog.objects.exists()


def test_service_errors_become_400_with_field_errors():
    """Errors raised inside the services (full_clean, domain rules) answer 400, never 500."""
    response = exception_handler(DjangoValidationError({"end_date": ["结束日期必须晚于开始日期。"]}), {})
    assert (response.status_code, response.data) == (400, {"end_date": ["结束日期必须晚于开始日期。"]})
    response = exception_handler(DjangoValidationError({"__all__": ["该区已有同名责任区。"]}), {})
    assert response.data == {"non_field_errors": ["该区已有同名责任区。"]}
    response = exception_handler(DomainError("不能修改"), {})
    assert (response.status_code, response.data) == (400, {"detail": ["不能修改"]})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "principal", "admin"])
def test_teacher_patch_with_audit(users, world, role):
    teacher = world["mine"]["teacher"]
    response = client_for(users[role]).patch(
        f"{API}teachers/{teacher.pk}/", {"subject": "数学", "backbone_level": "city"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["subject"] == "数学"
    entry = audit_rows(teacher).get()
    assert entry.changes == {"subject": ["语文", "数学"], "backbone_level": ["", "city"]}


@pytest.mark.django_db
def test_teacher_cannot_move_out_of_scope(users, world):
    teacher = world["mine"]["teacher"]
    response = client_for(users["staff"]).patch(
        f"{API}teachers/{teacher.pk}/", {"school": world["theirs"]["school"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "school" in response.json()
    teacher.refresh_from_db()
    assert teacher.school == world["mine"]["school"]


@pytest.mark.django_db
def test_year_stat_put_creates_and_patch_updates(users, world, school):
    SchoolYearFactory(start_year=2024)
    client = client_for(users["principal"])
    url = f"{API}schools/{school.pk}/stats/2024/"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"computers": 5}, format="json").status_code == 404

    response = client.put(url, {"primary_students": 800, "teaching_area": "4000", "computers": 70}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["primary_students"], body["start_year"], body["labs"]) == (800, 2024, 0)
    stat = SchoolYearStat.objects.get(school=school, school_year__start_year=2024)
    assert audit_rows(stat).get().action == AuditLog.Action.CREATE

    response = client.patch(url, {"computers": 90}, format="json")
    assert response.status_code == 200
    assert (response.json()["computers"], response.json()["primary_students"]) == (90, 800)
    # PUT replaces the year: what is left out returns to its default.
    response = client.put(url, {"primary_students": 810}, format="json")
    assert (response.json()["computers"], response.json()["primary_students"]) == (0, 810)
    assert audit_rows(stat).count() == 3
    # The stored verdict is recomputed by the service, never taken from the request.
    verdict = response.json()["meets_resource_standard"]
    assert verdict is False  # no teachers: the teacher indicators are far below the thresholds
    assert client.patch(url, {"meets_resource_standard": True}, format="json").json()["meets_resource_standard"] is False
    assert client.get(f"{API}schools/{school.pk}/stats/2030/").status_code == 404


# ---- query counts ------------------------------------------------------------------


def _add_schools(district, n, prefix):
    """n schools with statistics and one teacher each, inserted in bulk."""
    year = SchoolYearFactory(start_year=2025)
    TermFactory(school_year=year)
    schools = School.objects.bulk_create([
        School(code=f"{prefix}{i:08d}", name=f"学校{prefix}-{i}", stage="primary", location="urban", district=district)
        for i in range(n)
    ])
    SchoolYearStat.objects.bulk_create([SchoolYearStat(school=s, school_year=year, primary_students=500) for s in schools])
    Teacher.objects.bulk_create([
        Teacher(district=district, school=s, staff_number=f"{prefix}{i:06d}", name=f"教师{i}", gender="F",
                section="primary", subject="语文", education="bachelor", birth_date=datetime.date(1990, 1, 1))
        for i, s in enumerate(schools)
    ])
    SchoolClassFactory(school=schools[0], term=TermFactory(school_year=year))


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.json()["count"]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["schools", "teachers"])
def test_list_query_count_is_flat(users, district, endpoint, django_assert_num_queries):
    client = client_for(users["staff"])
    _add_schools(district, 10, "31")
    small, count_small = _count_queries(client, f"{API}{endpoint}/")
    _add_schools(district, 190, "33")
    large, count_large = _count_queries(client, f"{API}{endpoint}/")
    extra = 1 if endpoint == "schools" else 0  # the fixture's own school has no teacher
    assert (count_small, count_large) == (10 + extra, 200 + extra)
    assert large == small
    # schools:  session, user, scope districts, school year, term, COUNT, page
    # teachers: session, user, scope districts, COUNT, page
    with django_assert_num_queries(7 if endpoint == "schools" else 5):
        client.get(f"{API}{endpoint}/")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["classes", "training-records", "rotations", "school-year-stats", "groups"])
def test_other_lists_do_not_query_per_row(users, world, school, endpoint):
    client = client_for(users["staff"])
    before, _count = _count_queries(client, f"{API}{endpoint}/")
    for i in range(5):
        teacher = TeacherFactory(school=school)
        SchoolClassFactory(school=school, term=world["term"], grade=2, number=i + 1, head_teacher=teacher)
        TrainingRecordFactory(teacher=teacher)
        RotationFactory(teacher=teacher, to_school=world["theirs"]["school"])
        SchoolYearStatFactory(school=school, school_year=SchoolYearFactory(start_year=2010 + i))
        EducationGroupFactory(district=school.district, lead_school=school)
    after, count = _count_queries(client, f"{API}{endpoint}/")
    assert count == 6
    assert after == before
