import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau.charts import Bar, bar_chart
from schools.selectors import class_size_distribution
from tests.factories import SchoolClassFactory, SchoolFactory, TermFactory


def _classes(school, term, sizes):
    for number, size in enumerate(sizes, start=1):
        SchoolClassFactory(school=school, term=term, grade=1, number=number, boys=size // 2, girls=size - size // 2)


@pytest.mark.django_db
def test_class_size_distribution_counts_each_national_bucket(staff_user, school, other_school):
    term = TermFactory()
    _classes(school, term, [25, 26, 45, 46, 55, 56, 65, 66, 80])
    _classes(other_school, term, [70])  # another district: not counted
    counts = dict(class_size_distribution(user=staff_user, term=term))
    assert counts == {
        "≤25": 1, "26–30": 1, "31–35": 0, "36–40": 0, "41–45": 1, "46–50": 1, "51–55": 1, "56–65": 2, "≥66": 2,
    }


def test_bar_chart_escapes_labels_and_draws_reference():
    svg = bar_chart([Bar("<b>x</b>", 3.0, "bad")], title="T & t", reference=2, reference_label="100 %")
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "T &amp; t" in svg and "stroke-dasharray" in svg and "#c53030" in svg


def _home_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


@pytest.mark.django_db
def test_home_dashboard_queries_do_not_grow_with_schools(client, staff_user, district):
    term = TermFactory()
    school = SchoolFactory(district=district)
    _classes(school, term, [40, 60])
    response, few = _home_queries(client, staff_user)
    assert "<svg" in response.content.decode()
    for _ in range(40):
        _classes(SchoolFactory(district=district), term, [30, 50, 70])
    client.logout()
    _response, many = _home_queries(client, staff_user)
    # 1 session, 2 user with its department and district (header), 3 the unread notices,
    # 4 the terms (the current one and its year), 5 the latest year with statistics, 6 scope
    # districts, 7 open schools, 8 teachers, 9 below-standard count, 10 the class-size
    # aggregate (the classes of the term are its sum), 12 the complaints due (the complaints
    # app's panel) after 11 the calendar's coming days (what "tomorrow" is in each district),
    # 13 the self-reports waiting for review (staff of 基础教育科): the same for 1 school or 41.
    assert few == many == 13
    summary = next(context for _template, context in _response.context["panels"] if "classes" in context)
    assert summary["classes"] == 2 + 40 * 3
