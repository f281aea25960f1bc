"""Adding, closing, merging and reopening a school (issue 6: staff could add one only by import).

Services check who may (bureau staff and admins of the school's district, never its
principal or a leader), refuse what cannot be (a merge into another district, into a
closed school, into itself), keep the school's history and write an audit row each.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bureau.errors import DomainError
from bureau.models import AuditLog
from schools import services
from schools.models import School
from tests.factories import SchoolFactory, SchoolYearStatFactory, TeacherFactory

pytestmark = pytest.mark.django_db

NEW_SCHOOL = {
    "code": "3132000777", "name": "天宁区新城实验小学", "stage": "primary", "location": "urban",
    "ownership": "public", "address": "新城路1号", "principal_name": "周校长", "phone": "0519-88000001",
}


def new_school_data(district, **changes):
    return {**NEW_SCHOOL, "district": district, "group": None, "is_boarding": False, "is_village_full": False,
            **changes}


def last_audit(school):
    return AuditLog.objects.filter(object_id=str(school.pk), content_type__model="school").latest("at", "id")


# ---- services ------------------------------------------------------------------------------


def test_staff_add_a_school_to_their_district_with_an_audit_row(staff_user, district):
    school = services.school_create(data=new_school_data(district), by=staff_user)
    assert (school.status, school.district, school.code) == (School.Status.OPEN, district, "3132000777")
    entry = last_audit(school)
    assert (entry.action, entry.actor, entry.changes["name"]) == (AuditLog.Action.CREATE, staff_user, [None, "天宁区新城实验小学"])


@pytest.mark.parametrize("who", ["leader", "inspector", "principal", "other_staff"])
def test_only_the_districts_staff_add_its_schools(who, users, other_staff_user, district):
    user = other_staff_user if who == "other_staff" else users[who]
    with pytest.raises(ValidationError) as error:
        services.school_create(data=new_school_data(district), by=user)
    assert "district" in error.value.message_dict
    assert not School.objects.filter(code=NEW_SCHOOL["code"]).exists()


def test_a_code_is_checked_like_every_other_write(staff_user, district, school):
    with pytest.raises(ValidationError) as error:
        services.school_create(data=new_school_data(district, code=school.code), by=staff_user)
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.school_create(data=new_school_data(district, code="12345"), by=staff_user)


def test_closing_keeps_the_history_and_audits_the_reason(staff_user, school):
    stat = SchoolYearStatFactory(school=school)
    teacher = TeacherFactory(school=school)
    closed = services.school_close(school=school, by=staff_user, note="区教育局2026年第3号文")
    assert closed.status == School.Status.CLOSED
    entry = last_audit(school)
    assert entry.changes == {"status": ["open", "closed"]} and entry.note == "区教育局2026年第3号文"
    assert school.year_stats.get() == stat and school.teachers.get() == teacher
    with pytest.raises(DomainError):
        services.school_close(school=closed, by=staff_user)


def test_merging_points_at_the_school_that_took_it_in(staff_user, school, school_outside_zone):
    merged = services.school_merge(school=school_outside_zone, into=school, by=staff_user, note="撤并")
    assert (merged.status, merged.merged_into) == (School.Status.MERGED, school)
    assert list(school.merged_schools.all()) == [merged]
    assert last_audit(merged).changes == {"status": ["open", "merged"], "merged_into": [None, str(school)]}


def test_what_cannot_be_merged(staff_user, school, school_outside_zone, other_school, district):
    with pytest.raises(ValidationError):
        services.school_merge(school=school, into=school, by=staff_user)
    with pytest.raises(ValidationError):  # another district's school: out of reach, and not of the district
        services.school_merge(school=school, into=other_school, by=staff_user)
    closed = SchoolFactory(district=district, status=School.Status.CLOSED)
    with pytest.raises(ValidationError):
        services.school_merge(school=school, into=closed, by=staff_user)
    # The model says so too, for the API and imports.
    school.status, school.merged_into = School.Status.OPEN, school_outside_zone
    with pytest.raises(ValidationError):
        school.full_clean()


@pytest.mark.parametrize("who", ["leader", "inspector", "principal"])
def test_a_principal_or_a_reader_does_not_close_a_school(who, users, school, school_outside_zone):
    with pytest.raises(DomainError):
        services.school_close(school=school, by=users[who])
    with pytest.raises(DomainError):
        services.school_merge(school=school, into=school_outside_zone, by=users[who])
    assert School.objects.get(pk=school.pk).status == School.Status.OPEN


def test_reopening_undoes_a_merge(staff_user, school, school_outside_zone):
    merged = services.school_merge(school=school_outside_zone, into=school, by=staff_user, note="撤并")
    reopened = services.school_reopen(school=merged, by=staff_user, note="撤并决定撤回")
    assert (reopened.status, reopened.merged_into) == (School.Status.OPEN, None)
    with pytest.raises(DomainError):
        services.school_reopen(school=reopened, by=staff_user)


# ---- pages ---------------------------------------------------------------------------------


def test_staff_see_the_buttons_readers_and_principals_do_not(client, users, school, english):
    for who, sees in (("staff", True), ("admin", True), ("leader", False), ("principal", False)):
        client.force_login(users[who])
        listing = client.get(reverse("schools:school_list")).content.decode()
        detail = client.get(reverse("schools:school_detail", args=[school.pk])).content.decode()
        assert (reverse("schools:school_create") in listing) is sees, who
        assert (reverse("schools:school_status", args=[school.pk]) in detail) is sees, who


def test_adding_a_school_on_the_form(client, staff_user, district):
    client.force_login(staff_user)
    form = client.get(reverse("schools:school_create"))
    assert form.status_code == 200 and 'name="code"' in form.content.decode()
    post = {**NEW_SCHOOL, "district": district.pk}
    response = client.post(reverse("schools:school_create_save"), post)
    school = School.objects.get(code=NEW_SCHOOL["code"])
    assert response.status_code == 302 and response["Location"] == reverse("schools:school_detail", args=[school.pk])
    again = client.post(reverse("schools:school_create_save"), post)
    assert again.status_code == 200 and again.context["form"].errors["code"]


def test_merging_on_the_confirmation_page(client, staff_user, school, school_outside_zone, english):
    client.force_login(staff_user)
    url = reverse("schools:school_status", args=[school_outside_zone.pk])
    page = client.get(url).content.decode()
    assert "Nothing is deleted" in page and f'value="{school.pk}"' in page
    save = reverse("schools:school_status_save", args=[school_outside_zone.pk])
    refused = client.post(save, {"action": "merge", "note": "撤并"})
    assert refused.status_code == 200 and refused.context["form"].errors["into"]
    response = client.post(save, {"action": "merge", "into": school.pk, "note": "撤并"})
    assert response.status_code == 302
    school_outside_zone.refresh_from_db()
    assert school_outside_zone.merged_into == school
    detail = client.get(reverse("schools:school_detail", args=[school_outside_zone.pk])).content.decode()
    assert f"This school merged into {school.name}" in detail and "Reopen" in detail
    history = client.get(reverse("schools:school_detail", args=[school_outside_zone.pk]), {"tab": "history"})
    assert "撤并" in history.content.decode()


def test_the_profile_form_no_longer_changes_the_status(client, staff_user, school):
    client.force_login(staff_user)
    form = client.get(reverse("schools:school_edit", args=[school.pk]))
    assert "status" not in form.context["form"].fields
