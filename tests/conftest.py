"""Fixed users per role, and the places the URL walk and the scope tests need.

The world (DESIGN.md "Who uses it" and the scope rules):
- a city-level bureau, `city` (常州市), over two districts: `district` (天宁区) and
  `sibling_district` (钟楼区);
- in `district`: `school`, the only school of the inspector's zone `zone`, and
  `school_outside_zone`, a school of the same district in no zone;
- `sibling_school` in `sibling_district`, reached by the city's accounts only;
- `other_district` (新北区) with `other_school`, outside the city: nobody above reaches it
  but its own staff (`other_staff_user`).

The users of `district` are one per role (`users`), plus a deputy principal of `school`
named by its principal (`deputy_user`); `city_staff_user` works at the city.
"""

import pytest
from django.utils import translation

from bureau.models import Role
from schools.models import District
from tests.factories import (
    DepartmentFactory,
    DistrictFactory,
    InspectorZoneFactory,
    SchoolFactory,
    UserFactory,
    ZoneSchoolFactory,
)

# ---- the cache ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (one per test process, tests/test_settings): a
    test's rows are rolled back without the signals that would forget what was cached of
    them (bureau.refcache), and ids come back in the next test on SQLite."""
    from django.core.cache import cache

    cache.clear()
    yield


# ---- places ----------------------------------------------------------------------------


@pytest.fixture
def city(db):
    return DistrictFactory(code="320400", name="常州市", level=District.Level.CITY)


@pytest.fixture
def district(city):
    return DistrictFactory(code="320402", name="天宁区", parent=city)


@pytest.fixture
def sibling_district(city):
    """The city's second district: its records are the city's, not `district`'s."""
    return DistrictFactory(code="320404", name="钟楼区", parent=city)


@pytest.fixture
def other_district(db):
    # Not a child of `city`: a district no user of the city reaches.
    return DistrictFactory(code="320411", name="新北区")


@pytest.fixture
def school(district):
    return SchoolFactory(district=district, code="3132000001", name="天宁区实验小学")


@pytest.fixture
def school_outside_zone(district):
    """A school of the same district as `school`, in none of the inspector's zones."""
    return SchoolFactory(district=district, code="3132000003", name="天宁区红梅小学")


@pytest.fixture
def sibling_school(sibling_district):
    return SchoolFactory(district=sibling_district, code="3132000404", name="钟楼区实验小学")


@pytest.fixture
def other_school(other_district):
    return SchoolFactory(district=other_district, code="3132000999", name="新北区实验小学")


@pytest.fixture
def zone(district, school):
    """The inspector's zone: it holds `school` only."""
    zone = InspectorZoneFactory(district=district, name="第一责任区")
    ZoneSchoolFactory(zone=zone, school=school)
    return zone


# ---- users -------------------------------------------------------------------------------


@pytest.fixture
def admin_user(district):
    return UserFactory(username="admin1", role=Role.ADMIN, district=district)


@pytest.fixture
def staff_user(district):
    return UserFactory(username="staff1", role=Role.STAFF, district=district, department=DepartmentFactory())


@pytest.fixture
def leader_user(district):
    return UserFactory(username="leader1", role=Role.LEADER, district=district)


@pytest.fixture
def inspector_user(district, zone):
    user = UserFactory(username="inspector1", role=Role.INSPECTOR, district=district, inspector_kind="full_time")
    zone.inspectors.add(user)
    return user


@pytest.fixture
def principal_user(school):
    return UserFactory(username="principal1", role=Role.PRINCIPAL, school=school, district=school.district)


@pytest.fixture
def deputy_user(principal_user):
    """A deputy principal of `school`, named by its principal (DESIGN.md: 校长 and a deputy)."""
    return UserFactory(
        username="vice_principal1", name="李副校长", role=Role.PRINCIPAL, school=principal_user.school,
        district=principal_user.district, named_by=principal_user,
    )


@pytest.fixture
def parent_user(db):
    return UserFactory(username="parent1", role=Role.PARENT, mobile="13800000000")


@pytest.fixture
def city_staff_user(city):
    """Staff of the city-level bureau: it works on every district of the city."""
    return UserFactory(username="city_staff1", role=Role.STAFF, district=city, department=DepartmentFactory())


@pytest.fixture
def other_staff_user(other_district):
    """Staff of `other_district`: the one user who reaches `other_school`."""
    return UserFactory(username="other_staff1", role=Role.STAFF, district=other_district, department=DepartmentFactory())


@pytest.fixture
def users(admin_user, staff_user, leader_user, inspector_user, principal_user, parent_user):
    """One user per role, all of `district` (the parent has none)."""
    return {
        "admin": admin_user,
        "staff": staff_user,
        "leader": leader_user,
        "inspector": inspector_user,
        "principal": principal_user,
        "parent": parent_user,
    }


# ---- helpers ------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder of the test."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def english(client):
    # Messages are asserted in their English source; the portal's default language is Chinese.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def refcache_on(settings):
    """The cache of reference data and figures (bureau.refcache) switched on, empty, as in
    production: the suite switches it off. Use it with django_db(transaction=True), since a
    value read inside a transaction is never stored."""
    from django.core.cache import cache

    settings.REFCACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()
