"""The reviewers' home counts, cached per reach and day (bureau.refcache.cached_for): a
report submitted, a round opened or its due date passed shows on the next request. The suite
switches the cache off; this switches it on, outside a test transaction, as in production."""

import pytest

from inspections.services import selfreports as services
from tests.inspections.selfreport_factories import GOOD_PRIMARY, SelfReportFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("refcache_on")]


def _counts(client):
    response = client.get("/")
    assert response.status_code == 200
    found = [context for template, context in response.context["panels"] if "selfreports" in template]
    return found[0] if found else None


def test_the_counts_follow_a_submission_and_a_return(client, school, district, principal_user,
                                                                  staff_user, django_assert_max_num_queries):
    report = SelfReportFactory(school=school, round__district=district)
    services.selfreport_save(report=report, data=GOOD_PRIMARY, by=principal_user)
    client.force_login(staff_user)
    assert _counts(client) is None  # nothing waiting, nothing missing
    services.selfreport_submit(report=report, by=principal_user)
    assert _counts(client) == {"waiting": 1, "missing": 0}
    with django_assert_max_num_queries(20) as captured:
        assert _counts(client) == {"waiting": 1, "missing": 0}
    assert not any("inspections_selfreport" in query["sql"] for query in captured.captured_queries)

    report.refresh_from_db()
    services.selfreport_return(report=report, by=staff_user, comments="请补充体育课时")
    assert _counts(client) is None  # returned to the school: no longer waiting
