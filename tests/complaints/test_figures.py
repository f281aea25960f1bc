"""Figures for staff and leaders: counts by category, channel, month and school; time to
accept and conclude; on-time and substantiated shares; only the user's districts."""

import pytest
from django.urls import reverse

from complaints.figures import complaint_figures
from tests.complaints.factories import handler_for, lodge, to_state

pytestmark = pytest.mark.django_db


def test_the_figures_count_what_the_user_sees(school, other_school, other_district, complainant, handler, leader_user):
    to_state("replied", school=school, complainant=complainant, handler=handler)
    to_state("accepted", school=school, complainant=complainant, handler=handler)
    lodge(school=school, by=complainant, category="illegal_fees")
    lodge(school=other_school, by=complainant)  # another district: not counted
    figures = complaint_figures(user=leader_user, year=school.complaints.first().received_at.year)
    assert figures.total == 3
    assert dict(figures.by_category) == {"作业负担过重": 2, "违规收费": 1} or dict(figures.by_category) == {
        "Excessive homework": 2, "Illegal fees": 1}
    assert figures.by_school == [(school.name, 3)]
    assert sum(n for _m, n in figures.by_month) == 3
    assert (figures.accepted, figures.concluded) == (2, 1)
    assert figures.accepted_on_time == 100.0 and figures.concluded_on_time == 100.0
    assert figures.substantiated == 100.0
    assert complaint_figures(user=handler_for(other_district), year=figures.year).total == 1


def test_the_page_for_staff_and_leaders(client, school, complainant, handler, principal_user):
    lodge(school=school, by=complainant)
    client.force_login(handler)
    assert client.get(reverse("complaints:figures")).status_code == 200
    client.force_login(principal_user)
    assert client.get(reverse("complaints:figures")).status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_the_figures_cost_the_same_for_2_and_20(client, school, complainant, handler, count, settings,
                                               django_assert_num_queries):
    settings.COMPLAINT_SUBMIT_PER_DAY = 100
    for _n in range(count):
        lodge(school=school, by=complainant)
    client.force_login(handler)
    client.get(reverse("complaints:figures"))
    # 1 session, 2 user with its department and district, 3 district ids, 4–7 by category,
    # channel, month and school, 8 the dates of the year's complaints, 9–10 by finding and
    # by responsibility.
    with django_assert_num_queries(10):
        client.get(reverse("complaints:figures"))
