"""Fields withheld from a role stay withheld on every surface, the change history included.

A teacher's birth date and certificate number are read by the people who keep them
(administrators, staff, the school's principal) and by nobody else: not on the teacher's
page, not in its change history, not in the school's teacher tab, not in the API, not in an
export. Every hidden field × every role that must not see it × every surface.
"""

import datetime

import pytest
from django.urls import reverse

from bureau.services import model_update
from tests.factories import TeacherFactory

# Distinctive values, so that finding them anywhere in a response means a leak.
OLD = {"birth_date": datetime.date(1979, 3, 17), "certificate_number": "20108877665544"}
NEW = {"birth_date": datetime.date(1981, 11, 23), "certificate_number": "20109988776655"}
SHOWN = {
    "birth_date": (("1979-03-17",), ("1981-11-23",)),
    "certificate_number": (("20108877665544",), ("20109988776655",)),
}
HIDDEN_FROM = ("leader", "inspector")
SEEN_BY = ("admin", "staff", "principal")


@pytest.fixture
def teacher(school, staff_user):
    teacher = TeacherFactory(school=school, **OLD)
    # Each field changed on its own, and once together with a field everyone may read.
    model_update(instance=teacher, data={"birth_date": NEW["birth_date"]}, by=staff_user)
    model_update(instance=teacher, data={"certificate_number": NEW["certificate_number"], "subject": "数学"},
                 by=staff_user)
    return teacher


def surfaces(teacher):
    return {
        "teacher page and its history": reverse("schools:teacher_detail", args=[teacher.pk]),
        "school's teacher tab": reverse("schools:school_detail", args=[teacher.school_id]) + "?tab=teachers",
        "school's history tab": reverse("schools:school_detail", args=[teacher.school_id]) + "?tab=history",
        "API detail": reverse("api:teacher-detail", args=[teacher.pk]),
        "API list": reverse("api:teacher-list"),
    }


def _texts(field):
    old, new = SHOWN[field]
    return old + new


@pytest.mark.django_db
@pytest.mark.parametrize("role", HIDDEN_FROM)
@pytest.mark.parametrize("field", sorted(OLD))
def test_a_withheld_field_is_nowhere_for_a_role_that_may_not_read_it(client, users, teacher, role, field):
    client.force_login(users[role])
    for surface, url in surfaces(teacher).items():
        response = client.get(url)
        assert response.status_code == 200, (surface, response.status_code)
        body = response.content.decode()
        for text in _texts(field):
            assert text not in body, f"{role} reads {field} ({text}) on the {surface}"
    history = client.get(surfaces(teacher)["teacher page and its history"]).context["history"]
    labels = {label for entry in history for label, _old, _new in entry.labelled_changes}
    assert labels == {"任教学科"} or labels == {"subject"}, labels


@pytest.mark.django_db
@pytest.mark.parametrize("role", SEEN_BY)
def test_the_roles_that_keep_the_record_read_it_and_its_history(client, users, teacher, role):
    client.force_login(users[role])
    body = client.get(surfaces(teacher)["teacher page and its history"]).content.decode()
    for field in OLD:
        for text in _texts(field):
            assert text in body, f"{role} should read {field} ({text}) in the history"
