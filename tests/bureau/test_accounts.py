"""User management by the bureau administrator: services, scope and pages."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.authtoken.models import Token

from bureau import services
from bureau.errors import DomainError
from bureau.models import AuditLog, Department, Role, User
from inspections.models import InspectorZone, ZoneSchool
from inspections.services import zone_create, zone_set_inspectors, zone_set_schools
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    InspectorZoneFactory,
    SchoolFactory,
    UserFactory,
)

NEW_PASSWORD = "Kx8-mountain-river"
ADMIN_PAGES = [
    "/accounts/users/", "/accounts/users/new/", "/accounts/users/{pk}/", "/accounts/users/{pk}/password/",
    "/accounts/departments/", "/accounts/departments/{dept}/", "/inspections/zones/", "/inspections/zones/{zone}/",
]
ADMIN_POSTS = ["/accounts/users/{pk}/active/", "/accounts/users/{pk}/unlock/"]


def audit_of(instance):
    return AuditLog.objects.filter(object_id=str(instance.pk), content_type__model=instance._meta.model_name)


def staff_data(district, **extra):
    return {
        "username": "newstaff", "name": "王老师", "mobile": "13900000000", "email": "", "role": Role.STAFF,
        "department": DepartmentFactory(), "district": district, "school": None, "inspector_kind": "", **extra,
    }


# ---- scope ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_sees_accounts_of_its_districts_only(users, district, other_district, other_school):
    outsider = UserFactory(role=Role.STAFF, district=other_district)
    other_principal = UserFactory(role=Role.PRINCIPAL, school=other_school)
    root = UserFactory(role=Role.ADMIN, district=district, is_superuser=True)
    visible = set(User.objects.visible_to(users["admin"]))
    # The principal counts by its school; the parent has no district; superusers are out of reach.
    assert visible == {users[r] for r in ("admin", "staff", "leader", "inspector", "principal")}
    assert not {outsider, other_principal, root, users["parent"]} & visible
    for role in ("staff", "leader", "inspector", "principal", "parent"):
        assert not User.objects.visible_to(users[role]).exists(), role
    assert outsider in User.objects.visible_to(root)


@pytest.mark.django_db
def test_city_admin_manages_its_districts(district, other_district):
    from tests.factories import DistrictFactory

    city = DistrictFactory(code="320400", name="常州市", level="city")
    district.parent = city
    district.save()
    city_admin = UserFactory(role=Role.ADMIN, district=city)
    member = UserFactory(role=Role.STAFF, district=district)
    outsider = UserFactory(role=Role.STAFF, district=other_district)
    assert set(User.objects.visible_to(city_admin)) == {city_admin, member}
    assert outsider not in User.objects.visible_to(city_admin)


# ---- services ------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_create_staff_with_audit_without_password(admin_user, district):
    user = services.user_create(data=staff_data(district), password=NEW_PASSWORD, by=admin_user)
    assert user.check_password(NEW_PASSWORD)
    assert (user.role, user.district, user.department.code, user.is_active) == (Role.STAFF, district, "basic", True)
    entry = audit_of(user).get()
    assert entry.action == AuditLog.Action.CREATE and entry.actor == admin_user
    assert entry.changes["username"] == [None, "newstaff"]
    assert "password" not in entry.changes
    assert user.password not in str(entry.changes) and NEW_PASSWORD not in str(entry.changes)


@pytest.mark.django_db
@pytest.mark.parametrize(("extra", "field"), [
    ({"department": None}, "department"),
    ({"district": None}, "district"),
    ({"role": Role.PARENT}, "role"),
    ({"role": Role.PRINCIPAL, "school": None}, "school"),
    ({"role": Role.INSPECTOR}, "inspector_kind"),
    ({"username": "admin1"}, "username"),
])
def test_user_create_field_errors(admin_user, district, extra, field):
    with pytest.raises(ValidationError) as exc:
        services.user_create(data={**staff_data(district), **extra}, password=NEW_PASSWORD, by=admin_user)
    assert field in exc.value.message_dict
    assert not User.objects.filter(username="newstaff").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["short1!", "password1234", "1234567890123", "newstaff-pass"])
def test_user_create_validates_password(admin_user, district, password):
    with pytest.raises(ValidationError) as exc:
        services.user_create(data=staff_data(district), password=password, by=admin_user)
    assert "password" in exc.value.message_dict


@pytest.mark.django_db
def test_user_create_refuses_other_districts(admin_user, other_district, other_school):
    with pytest.raises(ValidationError) as exc:
        services.user_create(data=staff_data(other_district), password=NEW_PASSWORD, by=admin_user)
    assert "district" in exc.value.message_dict
    data = staff_data(None, role=Role.PRINCIPAL, school=other_school, department=None)
    with pytest.raises(ValidationError) as exc:
        services.user_create(data=data, password=NEW_PASSWORD, by=admin_user)
    assert "school" in exc.value.message_dict


@pytest.mark.django_db
def test_user_create_principal_takes_school_district(admin_user, district, school):
    data = staff_data(None, role=Role.PRINCIPAL, school=school)
    user = services.user_create(data=data, password=NEW_PASSWORD, by=admin_user)
    assert (user.school, user.district, user.department) == (school, district, None)


@pytest.mark.django_db
def test_user_create_inspector_with_zones(admin_user, district, other_district, zone):
    data = staff_data(district, role=Role.INSPECTOR, inspector_kind="part_time")
    user = services.user_create(data=data, password=NEW_PASSWORD, by=admin_user, zones=[zone])
    assert list(user.inspector_zones.all()) == [zone]
    assert user.department is None  # inspectors are not in a bureau department
    assert audit_of(user).get().changes["inspector_zones"] == [[], ["第一责任区"]]

    foreign = InspectorZoneFactory(district=other_district)
    data = staff_data(district, username="insp2", role=Role.INSPECTOR, inspector_kind="part_time")
    with pytest.raises(ValidationError) as exc:
        services.user_create(data=data, password=NEW_PASSWORD, by=admin_user, zones=[foreign])
    assert "zones" in exc.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "leader", "inspector", "principal", "parent"])
def test_only_admins_manage_accounts(users, district, role):
    with pytest.raises(DomainError):
        services.user_create(data=staff_data(district), password=NEW_PASSWORD, by=users[role])
    with pytest.raises(DomainError):
        services.user_set_active(user=users["staff"], active=False, by=users[role])


@pytest.mark.django_db
def test_user_update_role_change_clears_stale_scope(admin_user, staff_user, district, zone):
    services.user_update(
        user=staff_user, data={"role": Role.INSPECTOR, "inspector_kind": "full_time"}, by=admin_user, zones=[zone]
    )
    staff_user.refresh_from_db()
    assert (staff_user.role, staff_user.department, staff_user.inspector_kind) == (Role.INSPECTOR, None, "full_time")
    assert list(staff_user.inspector_zones.all()) == [zone]
    entry = audit_of(staff_user).get()
    assert entry.changes["role"] == ["staff", "inspector"]
    assert entry.changes["inspector_zones"] == [[], ["第一责任区"]]

    # Back to leader: zones and inspector kind go.
    services.user_update(user=staff_user, data={"role": Role.LEADER}, by=admin_user)
    staff_user.refresh_from_db()
    assert (staff_user.inspector_kind, list(staff_user.inspector_zones.all())) == ("", [])


@pytest.mark.django_db
def test_user_update_refusals(admin_user, other_district):
    outsider = UserFactory(role=Role.STAFF, district=other_district)
    with pytest.raises(DomainError):
        services.user_update(user=outsider, data={"name": "x"}, by=admin_user)
    with pytest.raises(DomainError):
        services.user_update(user=admin_user, data={"role": Role.STAFF}, by=admin_user)
    with pytest.raises(DomainError):
        services.user_update(user=admin_user, data={"is_superuser": True}, by=admin_user)
    with pytest.raises(ValidationError):
        services.user_update(user=admin_user, data={"district": other_district}, by=admin_user)


@pytest.mark.django_db
def test_user_set_active(admin_user, staff_user):
    services.user_set_active(user=staff_user, active=False, by=admin_user)
    staff_user.refresh_from_db()
    assert not staff_user.is_active
    assert audit_of(staff_user).get().changes == {"is_active": [True, False]}
    services.user_set_active(user=staff_user, active=True, by=admin_user)
    staff_user.refresh_from_db()
    assert staff_user.is_active
    with pytest.raises(DomainError):
        services.user_set_active(user=admin_user, active=False, by=admin_user)


@pytest.mark.django_db
def test_user_set_password_revokes_token(admin_user, staff_user):
    Token.objects.create(user=staff_user)
    old_hash = staff_user.password
    with pytest.raises(ValidationError):
        services.user_set_password(user=staff_user, password="123", by=admin_user)
    services.user_set_password(user=staff_user, password=NEW_PASSWORD, by=admin_user)
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)
    assert not Token.objects.filter(user=staff_user).exists()
    entry = audit_of(staff_user).get()
    assert entry.changes == {}
    assert old_hash not in str(entry.changes) and staff_user.password not in entry.note


@pytest.mark.django_db
def test_user_unlock_clears_axes_lockout(client, admin_user, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "staff1", "password": "wrong"})
    assert client.post("/login/", {"username": "staff1", "password": PASSWORD}).status_code == 429
    with translation.override("en"):  # the note is written in the acting user's language
        assert services.user_unlock(user=staff_user, by=admin_user) >= 1
    assert not AccessAttempt.objects.filter(username="staff1").exists()
    assert client.post("/login/", {"username": "staff1", "password": PASSWORD}).status_code == 302
    assert audit_of(staff_user).filter(note__contains="lockout").exists()


@pytest.mark.django_db
def test_departments(admin_user, staff_user):
    department = services.department_create(data={"code": "safety", "name": "安全科", "ordering": 9}, by=admin_user)
    services.department_update(department=department, data={"name": "安全稳定科"}, by=admin_user)
    department.refresh_from_db()
    assert department.name == "安全稳定科"
    assert audit_of(department).count() == 2
    with pytest.raises(ValidationError):
        services.department_create(data={"code": "safety2", "name": "安全稳定科"}, by=admin_user)
    with pytest.raises(DomainError):
        services.department_create(data={"code": "x", "name": "某科"}, by=staff_user)


@pytest.mark.django_db
def test_zone_services(admin_user, district, other_district, school, zone, inspector_user):
    second = zone_create(district=district, name="第二责任区", by=admin_user)
    other = SchoolFactory(district=district, code="3132100001")
    # Taking a school of the first zone moves it (one zone per school).
    zone_set_schools(zone=second, schools=[school, other], by=admin_user)
    assert ZoneSchool.objects.get(school=school).zone == second
    assert not zone.school_links.exists()
    assert audit_of(zone).get().changes == {"schools": [["天宁区实验小学"], []]}
    assert audit_of(second).filter(action="update").get().changes["schools"][1] == sorted(["天宁区实验小学", other.name])

    zone_set_inspectors(zone=second, inspectors=[inspector_user], by=admin_user)
    assert set(inspector_user.inspector_zones.all()) == {zone, second}

    with pytest.raises(ValidationError):
        zone_set_schools(zone=second, schools=[SchoolFactory(district=other_district, code="3132100002")], by=admin_user)
    with pytest.raises(ValidationError):
        zone_set_inspectors(zone=second, inspectors=[UserFactory(role=Role.STAFF, district=district)], by=admin_user)
    with pytest.raises(DomainError):
        zone_create(district=other_district, name="外区", by=admin_user)


# ---- pages ---------------------------------------------------------------------------


@pytest.fixture
def page_args(staff_user, zone):
    return {"pk": staff_user.pk, "dept": Department.objects.first().pk, "zone": zone.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_pages_only_for_admins(client, users, page_args, url):
    url = url.format(**page_args)
    client.force_login(users["admin"])
    assert client.get(url).status_code == 200
    for role in ("staff", "leader", "inspector", "principal", "parent"):
        client.force_login(users[role])
        assert client.get(url).status_code == 403, role
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_POSTS)
def test_post_actions_only_for_admins(client, users, page_args, url):
    url = url.format(**page_args)
    for role in ("staff", "leader", "inspector", "principal", "parent"):
        client.force_login(users[role])
        assert client.post(url, {"active": "0"}).status_code == 403, role
    client.force_login(users["admin"])
    assert client.get(url).status_code == 405
    assert client.post(url, {"active": "0"}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url", [u for u in ADMIN_PAGES + ADMIN_POSTS if "{pk}" in u or "{zone}" in u])
def test_other_districts_records_are_not_found(client, admin_user, other_district, url):
    outsider = UserFactory(role=Role.STAFF, district=other_district)
    foreign_zone = InspectorZoneFactory(district=other_district)
    client.force_login(admin_user)
    url = url.format(pk=outsider.pk, zone=foreign_zone.pk, dept=0)
    response = client.post(url, {"active": "0"}) if url.endswith(("active/", "unlock/")) else client.get(url)
    assert response.status_code == 404


@pytest.mark.django_db
def test_user_list_filters_and_query_count(client, users, other_district, django_assert_max_num_queries):
    UserFactory(role=Role.STAFF, district=other_district, username="outsider")
    UserFactory.create_batch(30, role=Role.LEADER, district=users["admin"].district)
    client.force_login(users["admin"])
    # session, user, scope districts, COUNT, page, locked usernames, departments (filter form),
    # SAVEPOINT + session save + RELEASE
    with django_assert_max_num_queries(11):
        response = client.get("/accounts/users/")
    body = response.content.decode()
    assert "staff1" in body and "principal1" in body and "outsider" not in body and "parent1" not in body
    response = client.get("/accounts/users/", {"role": "inspector"})
    assert [u.username for u in response.context["page_obj"]] == ["inspector1"]
    users["leader"].is_active = False
    users["leader"].save()
    response = client.get("/accounts/users/", {"active": "0"})
    assert [u.username for u in response.context["page_obj"]] == ["leader1"]


@pytest.mark.django_db
def test_create_user_page(client, admin_user, district, zone):
    client.force_login(admin_user)
    form = {
        "username": "inspector9", "name": "李督学", "mobile": "13911112222", "role": "inspector",
        "district": district.pk, "inspector_kind": "special", "zones": [zone.pk],
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    }
    response = client.post("/accounts/users/new/", form)
    created = User.objects.get(username="inspector9")
    assert response.status_code == 302 and response.url == f"/accounts/users/{created.pk}/"
    assert list(created.inspector_zones.all()) == [zone]
    client.logout()
    assert client.post("/login/", {"username": "inspector9", "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_create_user_page_shows_field_errors_in_chinese(client, admin_user, other_district):
    client.force_login(admin_user)
    form = {
        "username": "x1", "name": "某人", "role": "staff", "district": other_district.pk,
        "password1": "123", "password2": "123",
    }
    response = client.post("/accounts/users/new/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "district" in errors  # not offered: another district
    assert "选择一个有效的选项" in errors["district"][0]
    form["district"] = admin_user.district_id
    response = client.post("/accounts/users/new/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    errors = response.context["form"].errors
    assert set(errors) >= {"department", "password1"}
    assert any("密码" in e for e in errors["password1"])
    assert not User.objects.filter(username="x1").exists()


@pytest.mark.django_db
def test_edit_deactivate_password_unlock_pages(client, admin_user, staff_user):
    client.force_login(admin_user)
    url = f"/accounts/users/{staff_user.pk}/"
    form = {
        "username": "staff1", "name": "张科员", "mobile": "", "role": "staff",
        "department": staff_user.department_id, "district": staff_user.district_id,
    }
    assert client.post(url, form).status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.name == "张科员"

    assert client.post(f"{url}active/", {"active": "0"}).status_code == 302
    staff_user.refresh_from_db()
    assert not staff_user.is_active
    assert client.post(f"{url}active/", {"active": "1"}).status_code == 302

    response = client.post(f"{url}password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)
    response = client.post(f"{url}password/", {"password1": "abc", "password2": "abd"})
    assert response.status_code == 200 and "password2" in response.context["form"].errors

    AccessAttempt.objects.create(
        username="staff1", ip_address="127.0.0.1", user_agent="t", failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="", post_data="", http_accept="", path_info="/login/",
    )
    assert "staff1" in client.get("/accounts/users/").context["locked"]
    assert client.post(f"{url}unlock/").status_code == 302
    assert not AccessAttempt.objects.exists()

    history = client.get(url).context["history"]
    assert len(history) == 5  # name, deactivated, reactivated, password, unlock


@pytest.mark.django_db
def test_admin_cannot_deactivate_itself_on_the_page(client, admin_user):
    client.force_login(admin_user)
    client.post(f"/accounts/users/{admin_user.pk}/active/", {"active": "0"})
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.django_db
def test_department_pages(client, admin_user):
    client.force_login(admin_user)
    assert client.post("/accounts/departments/", {"code": "safety", "name": "安全科", "ordering": 9}).status_code == 302
    department = Department.objects.get(code="safety")
    response = client.post(f"/accounts/departments/{department.pk}/", {"code": "safety", "name": "安全稳定科", "ordering": 9})
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.name == "安全稳定科"
    duplicate = client.post("/accounts/departments/", {"code": "other", "name": "安全稳定科", "ordering": 1})
    assert duplicate.status_code == 200 and "name" in duplicate.context["form"].errors


@pytest.mark.django_db
def test_zone_pages(client, admin_user, district, school, zone, inspector_user):
    client.force_login(admin_user)
    response = client.post("/inspections/zones/", {"district": district.pk, "name": "第二责任区"})
    second = InspectorZone.objects.get(name="第二责任区")
    assert response.status_code == 302 and response.url == f"/inspections/zones/{second.pk}/"
    page = client.get(f"/inspections/zones/{second.pk}/")
    assert "第一责任区" in page.content.decode()  # the school's current zone is named
    response = client.post(
        f"/inspections/zones/{second.pk}/",
        {"name": "第二责任区", "schools": [school.pk], "inspectors": [inspector_user.pk]},
    )
    assert response.status_code == 302
    assert ZoneSchool.objects.get(school=school).zone == second
    assert inspector_user in second.inspectors.all()
    listing = client.get("/inspections/zones/")
    assert [z.school_count for z in listing.context["zones"]] == [0, 1]


@pytest.mark.django_db
def test_api_token_page(client, users):
    for role, user in users.items():
        client.force_login(user)
        assert client.get("/accounts/token/").status_code == (403 if role == "parent" else 200), role
    client.force_login(users["inspector"])
    assert client.post("/accounts/token/").status_code == 302
    first = Token.objects.get(user=users["inspector"]).key
    assert first in client.get("/accounts/token/").content.decode()
    client.post("/accounts/token/")
    assert Token.objects.get(user=users["inspector"]).key != first
