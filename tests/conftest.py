"""Fixed users per role, in one district with one school, plus an outsider district."""

import pytest
from django.utils import translation

from bureau.models import Role
from tests.factories import (
    DepartmentFactory,
    DistrictFactory,
    InspectorZoneFactory,
    SchoolFactory,
    UserFactory,
    ZoneSchoolFactory,
)


@pytest.fixture
def district(db):
    return DistrictFactory(code="320402", name="天宁区")


@pytest.fixture
def other_district(db):
    return DistrictFactory(code="320411", name="新北区")


@pytest.fixture
def school(district):
    return SchoolFactory(district=district, code="3132000001", name="天宁区实验小学")


@pytest.fixture
def other_school(other_district):
    return SchoolFactory(district=other_district, code="3132000999", name="新北区实验小学")


@pytest.fixture
def zone(district, school):
    zone = InspectorZoneFactory(district=district, name="第一责任区")
    ZoneSchoolFactory(zone=zone, school=school)
    return zone


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
def parent_user(db):
    return UserFactory(username="parent1", role=Role.PARENT, mobile="13800000000")


@pytest.fixture
def users(admin_user, staff_user, leader_user, inspector_user, principal_user, parent_user):
    return {
        "admin": admin_user,
        "staff": staff_user,
        "leader": leader_user,
        "inspector": inspector_user,
        "principal": principal_user,
        "parent": parent_user,
    }


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
