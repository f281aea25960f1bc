import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau.models import Role
from tests.factories import InspectorZoneFactory, SchoolFactory, UserFactory, ZoneSchoolFactory


def _add_zones(district, n):
    for _ in range(n):
        zone = InspectorZoneFactory(district=district)
        for _ in range(3):
            ZoneSchoolFactory(zone=zone, school=SchoolFactory(district=district))
        zone.inspectors.add(UserFactory(role=Role.INSPECTOR, district=district))


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/inspections/zones/", "/accounts/departments/"])
def test_admin_lists_query_count_is_flat(client, admin_user, district, url):
    client.force_login(admin_user)
    _add_zones(district, 2)
    _response, few = _queries(client, url)
    _add_zones(district, 20)
    response, many = _queries(client, url)
    # Zones: session, user, department, scope districts, zones with school counts, their
    # school links, their inspectors, the district form choices, session save. Departments:
    # session, user, department, departments, session save. Neither grows with the rows.
    assert few == many
    if url.startswith("/inspections/"):
        assert response.content.decode().count("inspections/zones/") >= 22
