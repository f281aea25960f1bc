"""The demo's term self-reports: a closed round of the term before, the current one with a mix,
and the fixed principal's draft to fill."""

import pytest
from django.utils import timezone

from inspections.models import SelfReport, SelfReportRound
from inspections.selfreport_rules import breach_codes, report_breaches
from tests.demo_support import demo_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_loaded(django_db_blocker)


def test_the_current_round_has_a_mix_and_the_principal_a_draft(demo, client):
    from bureau.models import User

    principal = User.objects.get(username="principal")
    draft = SelfReport.objects.get(school=principal.school, round__due_date__gte=timezone.localdate())
    assert (draft.status, draft.saved_at) == ("draft", None)
    current = draft.round
    statuses = set(current.reports.values_list("status", flat=True))
    assert {"draft", "submitted", "accepted", "returned"} <= statuses
    assert current.reports.exclude(breaches=[]).exists()
    assert current.reports.filter(status="returned").exclude(comments="").exists()


def test_the_closed_round_has_late_reports_and_valid_rows(demo):
    closed = SelfReportRound.objects.filter(due_date__lt=timezone.localdate()).first()
    assert closed is not None
    late = [r for r in closed.reports.select_related("round") if timezone.localdate(r.submitted_at) > r.round.due_date]
    assert late
    for report in SelfReport.objects.select_related("school", "round")[:200]:
        report.full_clean()
        assert report.breaches == breach_codes(report_breaches(report))  # as the service would store them
