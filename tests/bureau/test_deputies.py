"""Deputy principals: a school's principal names up to MAX_DEPUTIES deputies of its school."""

import json

import pytest
from django.core.exceptions import ValidationError

from bureau import services
from bureau.errors import DomainError
from bureau.models import AuditLog, Role, User
from bureau.permissions import can_name_deputy
from schools.models import School
from tests.factories import SchoolFactory, UserFactory

NEW_PASSWORD = "Kx8-mountain-river"
PAGE = "/accounts/deputies/"


def deputy_data(username="deputy1", **extra):
    return {"username": username, "name": "李副校长", "mobile": "13900000001", "password": NEW_PASSWORD, **extra}


def active_url(deputy):
    return f"/accounts/deputies/{deputy.pk}/active/"


@pytest.fixture
def deputy(principal_user):
    return services.deputy_create(data=deputy_data(), by=principal_user)


@pytest.fixture
def other_principal(other_school):
    return UserFactory(username="principal2", role=Role.PRINCIPAL, school=other_school, district=other_school.district)


# ---- services ------------------------------------------------------------------------


@pytest.mark.django_db
def test_deputy_sees_exactly_the_principals_school_and_can_log_in(client, principal_user, school, other_school):
    SchoolFactory(district=school.district)  # a neighbour in the same district stays out of sight
    deputy = services.deputy_create(data=deputy_data(), by=principal_user)
    deputy.refresh_from_db()
    assert (deputy.role, deputy.school, deputy.district, deputy.named_by) == (
        Role.PRINCIPAL, school, school.district, principal_user,
    )
    assert deputy.is_deputy and not principal_user.is_deputy
    assert list(School.objects.visible_to(deputy)) == list(School.objects.visible_to(principal_user)) == [school]
    assert list(principal_user.deputies.all()) == [deputy]
    response = client.post("/login/", {"username": "deputy1", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == deputy


@pytest.mark.django_db
def test_deputy_create_is_audited_without_the_password(principal_user, deputy):
    row = AuditLog.objects.get(object_id=str(deputy.pk), content_type__model="user")
    assert (row.actor, row.action) == (principal_user, AuditLog.Action.CREATE)
    assert row.changes["named_by"] == [None, str(principal_user)]
    assert row.changes["role"] == [None, Role.PRINCIPAL]
    assert "password" not in row.changes
    written = json.dumps(row.changes, ensure_ascii=False) + row.note
    assert NEW_PASSWORD not in written and deputy.password not in written


@pytest.mark.django_db
def test_a_deputy_cannot_name_deputies(deputy):
    assert not can_name_deputy(deputy)
    with pytest.raises(DomainError):
        services.deputy_create(data=deputy_data("deputy9"), by=deputy)
    assert not User.objects.filter(username="deputy9").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "staff", "leader", "inspector", "parent"])
def test_only_principals_name_deputies(users, role):
    assert not can_name_deputy(users[role])
    with pytest.raises(DomainError):
        services.deputy_create(data=deputy_data(), by=users[role])


@pytest.mark.django_db
def test_an_inactive_principal_names_no_deputies(principal_user):
    principal_user.is_active = False
    assert not can_name_deputy(principal_user)
    with pytest.raises(DomainError):
        services.deputy_create(data=deputy_data(), by=principal_user)


@pytest.mark.django_db
def test_at_most_two_active_deputies(principal_user):
    assert services.MAX_DEPUTIES == 2
    first = services.deputy_create(data=deputy_data("deputy1"), by=principal_user)
    services.deputy_create(data=deputy_data("deputy2"), by=principal_user)
    with pytest.raises(DomainError, match="2"):
        services.deputy_create(data=deputy_data("deputy3"), by=principal_user)
    assert not User.objects.filter(username="deputy3").exists()
    # A deactivated deputy frees its place, and cannot come back while the place is taken.
    services.deputy_set_active(deputy=first, active=False, by=principal_user)
    services.deputy_create(data=deputy_data("deputy3"), by=principal_user)
    with pytest.raises(DomainError):
        services.deputy_set_active(deputy=first, active=True, by=principal_user)
    first.refresh_from_db()
    assert not first.is_active
    assert principal_user.deputies.filter(is_active=True).count() == 2


@pytest.mark.django_db
def test_deputy_create_reports_field_errors_together(principal_user, staff_user):
    with pytest.raises(ValidationError) as caught:
        services.deputy_create(data=deputy_data(staff_user.username, password="12345"), by=principal_user)
    assert {"username", "password"} <= set(caught.value.message_dict)
    assert not principal_user.deputies.exists()


@pytest.mark.django_db
def test_principal_deactivates_and_reactivates_its_deputy(client, principal_user, deputy):
    services.deputy_set_active(deputy=deputy, active=False, by=principal_user)
    deputy.refresh_from_db()
    assert not deputy.is_active
    assert client.post("/login/", {"username": deputy.username, "password": NEW_PASSWORD}).status_code == 200
    services.deputy_set_active(deputy=deputy, active=True, by=principal_user)
    deputy.refresh_from_db()
    assert deputy.is_active
    rows = AuditLog.objects.filter(object_id=str(deputy.pk), action=AuditLog.Action.UPDATE).order_by("id")
    assert [r.changes["is_active"] for r in rows] == [[True, False], [False, True]]
    assert {r.actor for r in rows} == {principal_user}


@pytest.mark.django_db
def test_another_schools_principal_cannot_touch_the_deputy(principal_user, deputy, other_principal, school):
    same_district_principal = UserFactory(
        role=Role.PRINCIPAL, school=SchoolFactory(district=school.district), district=school.district
    )
    for outsider in (other_principal, same_district_principal, deputy):
        with pytest.raises(DomainError):
            services.deputy_set_active(deputy=deputy, active=False, by=outsider)
    # A co-deputy of the same school is not the one who named it either.
    co_deputy = services.deputy_create(data=deputy_data("deputy2"), by=principal_user)
    with pytest.raises(DomainError):
        services.deputy_set_active(deputy=deputy, active=False, by=co_deputy)
    deputy.refresh_from_db()
    assert deputy.is_active


@pytest.mark.django_db
def test_an_administrator_of_the_district_manages_deputies(admin_user, deputy, other_district):
    services.deputy_set_active(deputy=deputy, active=False, by=admin_user)
    deputy.refresh_from_db()
    assert not deputy.is_active
    outsider_admin = UserFactory(role=Role.ADMIN, district=other_district)
    with pytest.raises(DomainError):
        services.deputy_set_active(deputy=deputy, active=True, by=outsider_admin)


@pytest.mark.django_db
def test_deputies_keep_working_when_the_principal_is_deactivated(admin_user, principal_user, deputy, school):
    # Deputies belong to the school, not to the person who named them.
    services.user_set_active(user=principal_user, active=False, by=admin_user)
    deputy.refresh_from_db()
    assert deputy.is_active
    assert list(School.objects.visible_to(deputy)) == [school]
    assert not can_name_deputy(deputy)  # but the deputy does not take over naming deputies


@pytest.mark.django_db
def test_a_deputy_given_another_role_is_no_deputy_any_more(admin_user, deputy, district):
    data = {
        "username": deputy.username, "name": deputy.name, "mobile": deputy.mobile, "email": "",
        "role": Role.LEADER, "department": None, "district": district, "school": None, "inspector_kind": "",
    }
    services.user_update(user=deputy, data=data, by=admin_user)
    deputy.refresh_from_db()
    assert deputy.named_by is None and not deputy.is_deputy
    row = AuditLog.objects.filter(object_id=str(deputy.pk)).first()
    assert row.changes["named_by"][1] is None


@pytest.mark.django_db
def test_only_principals_accounts_can_be_deputies(principal_user, staff_user):
    staff_user.named_by = principal_user
    with pytest.raises(ValidationError) as caught:
        staff_user.full_clean()
    assert "named_by" in caught.value.message_dict


# ---- pages ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_is_the_naming_principals_only(client, users, deputy):
    client.force_login(users["principal"])
    response = client.get(PAGE)
    assert response.status_code == 200
    assert f'href="{PAGE}"' in response.content.decode()  # the top bar link
    # Administrators manage accounts on the user pages; a deputy names no deputies.
    for role, user in [("deputy", deputy), *((r, users[r]) for r in ("admin", "staff", "leader", "inspector", "parent"))]:
        client.force_login(user)
        assert client.get(PAGE).status_code == 403, role
        assert client.post(active_url(deputy), {"active": "0"}).status_code == 403, role
        assert f'href="{PAGE}"' not in client.get("/").content.decode(), role
    client.logout()
    assert client.get(PAGE).status_code == 302


@pytest.mark.django_db
def test_principal_names_a_deputy_on_the_page(client, principal_user, school):
    client.force_login(principal_user)
    form = {
        "username": "deputy7", "name": "王副校长", "mobile": "13900000007",
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    }
    response = client.post(PAGE, form)
    assert response.status_code == 302 and response.url == PAGE
    deputy = User.objects.get(username="deputy7")
    assert (deputy.school, deputy.named_by) == (school, principal_user)
    assert "deputy7" in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_the_page_shows_what_the_service_refused(client, principal_user):
    client.force_login(principal_user)
    form = {"username": "deputy7", "name": "王副校长", "mobile": "13900000007", "password1": "123", "password2": "123"}
    response = client.post(PAGE, form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert any("密码" in e for e in response.context["form"].errors["password1"])
    for n in (1, 2):
        services.deputy_create(data=deputy_data(f"deputy{n}"), by=principal_user)
    form.update(password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    response = client.post(PAGE, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "already have 2 active deputies" in " ".join(response.context["form"].non_field_errors())
    assert not User.objects.filter(username="deputy7").exists()
    assert not response.context["room"]


@pytest.mark.django_db
def test_deactivate_on_the_page_and_other_schools_answer_404(client, principal_user, deputy, other_principal):
    client.force_login(principal_user)
    assert client.get(active_url(deputy)).status_code == 405
    assert client.post(active_url(deputy), {"active": "0"}).status_code == 302
    deputy.refresh_from_db()
    assert not deputy.is_active
    assert client.post(active_url(deputy), {"active": "1"}).status_code == 302
    deputy.refresh_from_db()
    assert deputy.is_active

    client.force_login(other_principal)
    assert client.post(active_url(deputy), {"active": "0"}).status_code == 404
    # Any account that is not the principal's deputy is "not found", the principal's own included.
    client.force_login(principal_user)
    assert client.post(active_url(other_principal), {"active": "0"}).status_code == 404
    assert client.post(active_url(principal_user), {"active": "0"}).status_code == 404
    deputy.refresh_from_db()
    principal_user.refresh_from_db()
    assert deputy.is_active and principal_user.is_active


@pytest.mark.django_db
def test_deputy_list_query_count(client, principal_user, other_principal, django_assert_max_num_queries):
    for n in range(2):
        services.deputy_create(data=deputy_data(f"deputy{n}"), by=principal_user)
    services.deputy_set_active(deputy=User.objects.get(username="deputy0"), active=False, by=principal_user)
    services.deputy_create(data=deputy_data("theirs"), by=other_principal)
    client.force_login(principal_user)
    # session, user, the deputies (one query: visible_to), the school in the heading
    with django_assert_max_num_queries(4):
        response = client.get(PAGE)
    assert [d.username for d in response.context["deputies"]] == ["deputy1", "deputy0"]
    assert response.context["active_count"] == 1 and response.context["room"]


@pytest.mark.django_db
def test_admin_user_list_says_whose_deputy(client, admin_user, principal_user, deputy, django_assert_max_num_queries):
    principal_user.name = "张校长"
    principal_user.save()
    client.force_login(admin_user)
    services.deputy_create(data=deputy_data("deputy2"), by=principal_user)
    # As in test_accounts: the principal who named each deputy comes in the page's one query.
    with django_assert_max_num_queries(11):
        body = client.get("/accounts/users/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert body.count("Deputy of 张校长") == 2
    page = client.get(f"/accounts/users/{deputy.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Deputy of" in page and "张校长" in page
