"""Each rule is checked once, in the model's clean() or in the service, and every door goes
through it: the service itself, the web form (POST), the API (PATCH → 400 with the field
error) and the spreadsheet import (a row error).

The holes the platform issue found are the rules a door used to skip: another district's
education group on a school (form and service), a teacher moved to another district (the
service), a teaching section the school does not have (API and import).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from bureau.models import AuditLog, ImportJob
from schools import services
from schools.models import Rotation, School, SchoolClass, SchoolStage, Teacher
from tests.factories import EducationGroupFactory, SchoolClassFactory, SchoolFactory, TeacherFactory, TermFactory
from tests.schools.test_imports import TEACHER, errors_of, run, sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "english")]

API = "/api/v1/"
GROUP_ELSEWHERE = "The education group belongs to another district."
MOVE_ELSEWHERE = "A teacher can only move to a school of the same district."
PRINCIPAL_FIELD = "A principal may not change this field."


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def refusal(write):
    """The field errors a service raised."""
    with pytest.raises(ValidationError) as caught:
        write()
    return caught.value.message_dict


def section_message(school):
    return f"{school.name} does not teach this section; choose one of: Primary."


# ---- a school's education group belongs to the school's district ---------------------------------
# A city account sees the groups of all its districts, so only the rule stops it.


@pytest.fixture
def sibling_group(sibling_district):
    return EducationGroupFactory(district=sibling_district, name="钟楼教育集团")


def school_form(school, **changes):
    return {
        "name": school.name, "stage": school.stage, "location": school.location, "ownership": school.ownership,
        "district": school.district_id, "group": "", "address": "", "principal_name": "", "phone": "",
        "status": school.status, **changes,
    }


def test_group_of_another_district_service(city_staff_user, school, sibling_group):
    errors = refusal(lambda: services.school_update(school=school, data={"group": sibling_group}, by=city_staff_user))
    assert errors == {"group": [GROUP_ELSEWHERE]}
    mine = EducationGroupFactory(district=school.district)
    services.school_update(school=school, data={"group": mine}, by=city_staff_user)
    school.refresh_from_db()
    assert school.group == mine


def test_group_of_another_district_form(client, city_staff_user, school, sibling_group):
    client.force_login(city_staff_user)
    response = client.post(reverse("schools:school_save", args=[school.pk]), school_form(school, group=sibling_group.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["group"] == [GROUP_ELSEWHERE]
    school.refresh_from_db()
    assert school.group is None and not AuditLog.objects.exists()


def test_group_of_another_district_api(city_staff_user, school, sibling_group):
    response = api(city_staff_user).patch(f"{API}schools/{school.pk}/", {"group": sibling_group.pk}, format="json")
    assert (response.status_code, response.json()) == (400, {"group": [GROUP_ELSEWHERE]})
    school.refresh_from_db()
    assert school.group is None


def test_group_of_another_district_import(city_staff_user, school, sibling_group):
    row = {"code": school.code, "name": school.name, "stage": "小学", "location": "城区", "group": "钟楼教育集团"}
    job = run("schools", sheet("schools", row), city_staff_user)
    assert errors_of(job) == [(2, "教育集团", f"Unknown education group “钟楼教育集团” in {school.district.name}.")]
    school.refresh_from_db()
    assert school.group is None


# ---- a teacher moves only within its district -----------------------------------------------------


def test_teacher_moves_within_the_district_service(city_staff_user, school, sibling_school):
    teacher = TeacherFactory(school=school)
    errors = refusal(lambda: services.teacher_update(teacher=teacher, data={"school": sibling_school},
                                                     by=city_staff_user))
    assert errors == {"school": [MOVE_ELSEWHERE]}
    teacher.refresh_from_db()
    assert teacher.school == school
    neighbour = SchoolFactory(district=school.district)
    services.teacher_update(teacher=teacher, data={"school": neighbour}, by=city_staff_user)
    teacher.refresh_from_db()
    assert teacher.school == neighbour


def teacher_form(client, teacher, **changes):
    form = client.get(reverse("schools:teacher_edit", args=[teacher.pk])).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"school": teacher.school_id, **changes})
    return data


def test_teacher_moves_within_the_district_form(client, city_staff_user, school, sibling_school):
    teacher = TeacherFactory(school=school)
    client.force_login(city_staff_user)
    # The form offers the schools the user sees; the model refuses another district's.
    form = client.get(reverse("schools:teacher_edit", args=[teacher.pk])).context["form"]
    assert sibling_school in form.fields["school"].queryset
    response = client.post(reverse("schools:teacher_save", args=[teacher.pk]),
                           teacher_form(client, teacher, school=sibling_school.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["school"] == [MOVE_ELSEWHERE]
    teacher.refresh_from_db()
    assert teacher.school == school


def test_teacher_moves_within_the_district_api(city_staff_user, school, sibling_school):
    teacher = TeacherFactory(school=school)
    response = api(city_staff_user).patch(f"{API}teachers/{teacher.pk}/", {"school": sibling_school.pk}, format="json")
    assert (response.status_code, response.json()) == (400, {"school": [MOVE_ELSEWHERE]})
    teacher.refresh_from_db()
    assert teacher.school == school


def test_teacher_moves_within_the_district_import(city_staff_user, school, sibling_school):
    """A row's teacher is the one of its school's district (staff numbers are per district),
    so a file cannot move a teacher across districts: the row is another district's teacher."""
    teacher = TeacherFactory(school=school, staff_number=TEACHER["staff_number"])
    job = run("teachers", sheet("teachers", {**TEACHER, "school": sibling_school.code}), city_staff_user)
    assert job.status == ImportJob.Status.DONE, errors_of(job)
    assert job.counts == {"new": 1, "update": 0, "unchanged": 0}
    teacher.refresh_from_db()
    assert teacher.school == school
    assert Teacher.objects.get(district=sibling_school.district, staff_number=teacher.staff_number).school == sibling_school


# ---- the teaching section is one the school has ---------------------------------------------------


def test_section_service(staff_user, school):
    teacher = TeacherFactory(school=school, section="primary")
    errors = refusal(lambda: services.teacher_update(teacher=teacher, data={"section": "junior"}, by=staff_user))
    assert errors == {"section": [section_message(school)]}
    data = {"staff_number": "T7000001", "name": "新教师", "gender": "F", "section": "senior", "subject": "数学",
            "education": "bachelor"}
    assert refusal(lambda: services.teacher_create(school=school, data=data, by=staff_user)) == {
        "section": [section_message(school)]}
    assert not Teacher.objects.filter(staff_number="T7000001").exists()


def test_section_form(client, staff_user, school):
    teacher = TeacherFactory(school=school, section="primary")
    junior = SchoolFactory(district=school.district, stage=SchoolStage.JUNIOR, name="天宁区第一初中")
    client.force_login(staff_user)
    # The form offers the school's sections only…
    response = client.post(reverse("schools:teacher_save", args=[teacher.pk]),
                           teacher_form(client, teacher, section="junior"))
    assert "section" in response.context["form"].errors
    # …and the model refuses a section the school a teacher moves to does not have.
    response = client.post(reverse("schools:teacher_save", args=[teacher.pk]),
                           teacher_form(client, teacher, school=junior.pk, section="primary"))
    assert response.status_code == 200
    assert response.context["form"].errors["section"] == [
        "天宁区第一初中 does not teach this section; choose one of: Junior secondary."]
    teacher.refresh_from_db()
    assert (teacher.school, teacher.section) == (school, "primary")


def test_section_api(staff_user, school):
    teacher = TeacherFactory(school=school, section="primary")
    response = api(staff_user).patch(f"{API}teachers/{teacher.pk}/", {"section": "junior"}, format="json")
    assert (response.status_code, response.json()) == (400, {"section": [section_message(school)]})
    teacher.refresh_from_db()
    assert teacher.section == "primary"


def test_section_import(staff_user, school):
    job = run("teachers", sheet("teachers", TEACHER, {**TEACHER, "staff_number": "T2", "section": "初中"}), staff_user)
    assert errors_of(job) == [(3, "任教学段", section_message(school))]
    assert not Teacher.objects.exists()


# ---- a class locked after a balanced assignment keeps its grade, number and pupils -----------------


LOCKED = "Class 1(5) is locked after a balanced class assignment: its grade, number and pupils cannot be changed."


@pytest.fixture
def locked(school):
    return SchoolClassFactory(school=school, term=TermFactory(), grade=1, number=5, boys=20, girls=20, is_locked=True)


def test_locked_class_service(staff_user, school, locked):
    data = {"grade": 1, "number": 5, "boys": 21, "girls": 20}
    assert refusal(lambda: services.school_class_save(
        school=school, term=locked.term, school_class=locked, data=data, by=staff_user)) == {"boys": [LOCKED]}


def test_locked_class_form(client, staff_user, school, locked):
    client.force_login(staff_user)
    data = {"grade": "1", "number": "5", "boys": "20", "girls": "20", "equipment_value": "900"}
    response = client.post(reverse("schools:class_save", args=[locked.pk]), {**data, "girls": "25"})
    assert response.status_code == 200 and response.context["form"].errors["girls"] == [LOCKED]
    assert client.post(reverse("schools:class_save", args=[locked.pk]), data).status_code == 302
    locked.refresh_from_db()
    assert (locked.girls, locked.equipment_value) == (20, 900)


def test_locked_class_api_has_no_write(staff_user, locked):
    # Classes are read-only in the API: no door to guard there.
    response = api(staff_user).patch(f"{API}classes/{locked.pk}/", {"boys": 30}, format="json")
    assert response.status_code in (403, 405)


def test_locked_class_import(staff_user, school, locked):
    row = {"school": school.code, "term": "2025-2026-1", "grade": 1, "number": 5, "boys": 20, "girls": 20}
    job = run("classes", sheet("classes", {**row, "boys": 30}), staff_user)
    assert errors_of(job) == [(2, "男生数", LOCKED)]
    job = run("classes", sheet("classes", {**row, "equipment_value": "900"}), staff_user)
    assert job.status == ImportJob.Status.DONE and job.counts["update"] == 1
    assert SchoolClass.objects.get(pk=locked.pk).boys == 20


# ---- rotations: from the teacher's school unless said otherwise; to ≠ from; dates ----------------


def test_rotation_defaults_and_rules_service_and_import(staff_user, school):
    teacher = TeacherFactory(school=school, staff_number="T0000001")
    elsewhere = SchoolFactory(district=school.district, code="3132000777")
    start = datetime.date(2025, 9, 1)
    created = services.rotation_create(teacher=teacher, data={"to_school": elsewhere, "kind": "support",
                                                              "start_date": start}, by=staff_user)
    assert created.from_school == school
    assert "to_school" in refusal(lambda: services.rotation_create(
        teacher=teacher, data={"to_school": school, "kind": "support", "start_date": datetime.date(2026, 9, 1)},
        by=staff_user))
    rows = sheet(
        "rotations",
        {"teacher": "T0000001", "start_date": "2024-09-01", "to_school": elsewhere.code, "kind_": "交流"},
        {"teacher": "T0000001", "start_date": "2023-09-01", "to_school": school.code, "kind_": "交流"},
        {"teacher": "T0000001", "start_date": "2022-09-01", "to_school": elsewhere.code, "kind_": "交流",
         "end_date": "2022-01-01"},
    )
    job = run("rotations", rows, staff_user)
    assert [(r, c) for r, c, _m in errors_of(job)] == [(3, "接收学校标识码"), (4, "结束日期")]
    rows = sheet("rotations", {"teacher": "T0000001", "start_date": "2024-09-01", "to_school": elsewhere.code,
                               "kind_": "交流"})
    assert run("rotations", rows, staff_user).status == ImportJob.Status.DONE
    assert Rotation.objects.get(teacher=teacher, start_date=datetime.date(2024, 9, 1)).from_school == school


# ---- which school fields a principal keeps: the service refuses the others -----------------------


def test_principal_fields_api(principal_user, school, sibling_group):
    response = api(principal_user).patch(
        f"{API}schools/{school.pk}/", {"name": "改名", "group": 999999, "phone": "0519-1"}, format="json")
    assert (response.status_code, response.json()) == (400, {"name": [PRINCIPAL_FIELD], "group": [PRINCIPAL_FIELD]})
    school.refresh_from_db()
    assert (school.name, school.phone) == ("天宁区实验小学", "")


def test_principal_fields_service_and_form(client, principal_user, school):
    assert refusal(lambda: services.school_update(school=school, data={"stage": "junior"}, by=principal_user)) == {
        "stage": [PRINCIPAL_FIELD]}
    client.force_login(principal_user)
    form = client.get(reverse("schools:school_edit", args=[school.pk])).context["form"]
    assert set(form.fields) == {"address", "principal_name", "phone", "is_boarding"}
    client.post(reverse("schools:school_save", args=[school.pk]), {"address": "南大街2号", "stage": "junior"})
    assert School.objects.values_list("address", "stage").get(pk=school.pk) == ("南大街2号", "primary")
