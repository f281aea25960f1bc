import pytest

from schools.models import School, Teacher
from tests.factories import TeacherFactory


@pytest.mark.django_db
def test_school_visible_to_each_role(users, school, other_school):
    expected = {
        "admin": {school},
        "staff": {school},
        "leader": {school},
        "inspector": {school},
        "principal": {school},
        "parent": set(),
    }
    for role, user in users.items():
        assert set(School.objects.visible_to(user)) == expected[role], role


@pytest.mark.django_db
def test_teachers_follow_school_scope(users, school, other_school):
    mine = TeacherFactory(school=school)
    TeacherFactory(school=other_school)
    for role in ("admin", "staff", "leader", "inspector", "principal"):
        assert list(Teacher.objects.visible_to(users[role])) == [mine], role
    assert not Teacher.objects.visible_to(users["parent"]).exists()
