"""The home page's due counts, cached per reach and day (bureau.refcache.cached_for): a
complaint lodged or moved shows on the next request. The suite switches the cache off; this
switches it on, outside a test transaction, as a page runs in production."""

import pytest

from complaints import deadlines
from complaints.selectors import DUE_TODAY, OPEN
from tests.complaints.factories import lodge

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("refcache_on")]


def _counts(client):
    response = client.get("/")
    assert response.status_code == 200
    return next(context for _template, context in response.context["panels"] if "counts" in context)["counts"]


def test_a_complaint_lodged_or_made_due_today_shows_at_once(client, school, complainant, handler,
                                                           django_assert_max_num_queries):
    client.force_login(handler)
    before = _counts(client)
    with django_assert_max_num_queries(20) as captured:
        assert _counts(client) == before
    assert not any("complaints_complaint" in query["sql"] for query in captured.captured_queries)
    complaint = lodge(school=school, by=complainant)
    assert _counts(client)[OPEN] == before[OPEN] + (1 if complaint.due_on else 0)
    complaint.due_on = deadlines.today()
    complaint.save(update_fields=["due_on"])
    counts = _counts(client)
    assert counts[DUE_TODAY] == before[DUE_TODAY] + 1 and counts[OPEN] == before[OPEN] + 1
