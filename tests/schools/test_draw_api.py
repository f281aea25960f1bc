"""The class draws through the API: the same steps, scope and refusals as the pages."""

import pytest
from rest_framework.test import APIClient

from bureau.models import Role
from schools.models import ClassDraw, ClassTransfer, IncomingStudent
from tests.factories import DepartmentFactory, TermFactory, UserFactory, roster_csv, roster_rows


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_principal_draws_through_the_api(school, principal_user, leader_user, other_staff_user, district,
                                           django_capture_on_commit_callbacks):
    term = TermFactory()
    client = api(principal_user)
    created = client.post("/api/v1/class-draws/", {"term": term.pk, "grade": 1}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    rows = roster_rows(60)
    rows[2] = (rows[2][0], "坏行", "?", "2020-01-01", ())
    bad = client.post(f"/api/v1/class-draws/{pk}/roster/", {"file": roster_csv(rows)}, format="multipart")
    assert bad.status_code == 400 and "性别" in bad.json()["file"][0] and not IncomingStudent.objects.exists()
    good = client.post(f"/api/v1/class-draws/{pk}/roster/", {"file": roster_csv(roster_rows(60))},
                       format="multipart")
    assert good.status_code == 200 and good.json()["student_count"] == 60
    refused = client.post(f"/api/v1/class-draws/{pk}/classes/", {"class_count": 1}, format="json")
    assert refused.status_code == 400 and "至少分 2 个班" in str(refused.json())
    assert client.post(f"/api/v1/class-draws/{pk}/classes/", {"class_count": 2}, format="json").status_code == 200
    seeded = client.post(f"/api/v1/class-draws/{pk}/publish-seed/", {"seed": "42"}, format="json")
    assert seeded.json()["status"] == "published" and len(seeded.json()["roster_hash"]) == 64
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(f"/api/v1/class-draws/{pk}/draw/")
    assert accepted.status_code == 202
    draw = ClassDraw.objects.get(pk=pk)
    assert draw.status == ClassDraw.Status.DRAWN and sum(map(len, draw.result)) == 60

    students = client.get(f"/api/v1/class-draws/{pk}/students/").json()
    assert "name" in students[0]
    leader_view = api(leader_user).get(f"/api/v1/class-draws/{pk}/students/").json()
    assert "name" not in leader_view[0] and "birth_date" not in leader_view[0]
    assert api(leader_user).post(f"/api/v1/class-draws/{pk}/draw/").status_code == 403
    assert api(other_staff_user).get(f"/api/v1/class-draws/{pk}/").status_code == 404

    student = draw.students.order_by("number").first()
    other = next(c for c in draw.school.classes.filter(term=term, grade=1) if c.pk != student.school_class_id)
    asked = client.post("/api/v1/class-transfers/", {"draw": pk, "student": student.number, "to_class": other.pk,
                                                      "reason": "就近照顾"}, format="json")
    assert asked.status_code == 201, asked.content
    transfer = asked.json()["id"]
    assert client.post(f"/api/v1/class-transfers/{transfer}/approve/").status_code == 400  # not the principal's
    staff = UserFactory(role=Role.STAFF, district=district, department=DepartmentFactory(code="basic"))
    approved = api(staff).post(f"/api/v1/class-transfers/{transfer}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert ClassTransfer.objects.get().status == ClassTransfer.Status.APPROVED


@pytest.mark.parametrize("n", [1, 5])
def test_the_list_is_flat(n, staff_user, district, django_assert_num_queries):
    from schools.draw import services
    from tests.factories import SchoolFactory

    term = TermFactory()
    for _ in range(n):
        school = SchoolFactory(district=district)
        services.draw_create(school=school, term=term, grade=1,
                             by=UserFactory(role=Role.PRINCIPAL, school=school, district=district))
    client = api(staff_user)
    # 1 the user's districts (scope), 2 the count for the page, 3 the draws with their transfer counts
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/class-draws/").json()["results"]) == n
