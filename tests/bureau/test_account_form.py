"""The new-account form (issue 6: it defaulted the role to 系统管理员): the role is an explicit
choice, each scope field says which roles use it, and the server validates whatever comes."""

import re

import pytest
from django.urls import reverse

from bureau.forms import UserForm
from bureau.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "Another-pass-2026!"


def test_no_role_is_chosen_for_the_administrator(client, admin_user, english):
    client.force_login(admin_user)
    html = client.get(reverse("accounts:user_create")).content.decode()
    select = re.search(r'<select name="role"[^>]*>(.*?)</select>', html, re.S)
    assert select and "data-role-select" in select.group(0) and "required" in select.group(0)
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select.group(1))
    assert options[0] == ("", " selected") or options[0][0] == ""
    assert not any(selected for value, selected in options if value), "no role preselected"


def test_a_missing_role_is_refused(client, admin_user, district, english):
    client.force_login(admin_user)
    response = client.post(reverse("accounts:user_create"), {
        "username": "norole", "name": "无角色", "district": district.pk, "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 200 and response.context["form"].errors["role"]
    assert not User.objects.filter(username="norole").exists()


def test_each_scope_field_says_which_roles_use_it(client, admin_user, zone):
    client.force_login(admin_user)
    html = client.get(reverse("accounts:user_create")).content.decode()
    wrappers = re.findall(r'data-roles="([^"]+)">.*?name="(\w+)"', html, re.S)
    by_field = {field: set(value.split()) for value, field in wrappers}
    assert by_field == {
        "department": {"staff"},
        "heads_department": {"staff"},
        "district": {"admin", "staff", "leader", "inspector"},
        "school": {"principal"},
        "inspector_kind": {"inspector"},
        "zones": {"inspector"},
    }
    # The account's own fields are for every role.
    assert 'data-roles' not in re.search(r'<div class="field[^"]*"[^>]*>\s*<label for="id_username"', html).group(0)


def test_an_account_with_a_department_keeps_seeing_it(admin_user, leader_user, staff_user):
    leader_user.department = staff_user.department
    leader_user.save()
    assert "leader" in UserForm(admin=admin_user, instance=leader_user).field_roles()["department"].split()
    assert UserForm(admin=admin_user, instance=staff_user).field_roles()["department"] == "staff"


def test_the_server_still_checks_each_role(client, admin_user, district, school, zone, english):
    client.force_login(admin_user)
    base = {"password1": PASSWORD, "password2": PASSWORD}
    # What a page without the script sends: every field, some for other roles.
    inspector = client.post(reverse("accounts:user_create"), {
        **base, "username": "insp9", "name": "督学九", "role": Role.INSPECTOR, "district": district.pk,
    })
    assert inspector.context["form"].errors["inspector_kind"]
    principal = client.post(reverse("accounts:user_create"), {
        **base, "username": "prin9", "name": "校长九", "role": Role.PRINCIPAL, "zones": [zone.pk],
    })
    errors = principal.context["form"].errors
    assert errors["zones"] and errors["school"]
    made = client.post(reverse("accounts:user_create"), {
        **base, "username": "prin9", "name": "校长九", "role": Role.PRINCIPAL, "school": school.pk,
        "district": district.pk, "inspector_kind": "full_time",
    })
    assert made.status_code == 302
    user = User.objects.get(username="prin9")
    # Fields of other roles are cleared by the server, whatever the page sent.
    assert (user.school, user.district, user.inspector_kind) == (school, district, "")
