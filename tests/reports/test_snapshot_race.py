"""Two snapshot jobs for the same area at the same moment (the nightly run and a refresh, or
two workers given the same job by a redelivered message), on two database connections: the
area's state row serialises them, and the snapshots are one result, not two or a mix."""

import datetime
import threading

import pytest
from django.db import connection

from reports import snapshots
from reports.models import AreaState, Snapshot
from tests import factories

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_two_jobs_at_once_write_one_result(city, district, zone, school):
    term = factories.TermFactory(school_year=factories.SchoolYearFactory(start_year=2025))
    for n in range(6):
        other = factories.SchoolFactory(district=district)
        factories.SchoolYearStatFactory(school=other, school_year=term.school_year, computers=10 * n)
        factories.SchoolClassFactory(school=other, term=term, boys=20 + n, girls=20)
    start = threading.Barrier(2)
    outcomes = []

    def compute():
        try:
            start.wait(5)
            outcomes.append(snapshots.snapshots_compute(area_id=city.pk, term=term, today=datetime.date(2025, 12, 1)))
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=compute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == 2 and all(isinstance(n, int) for n in outcomes), outcomes
    assert outcomes[0] == outcomes[1] == Snapshot.objects.count()
    # One computation's rows, not a mix: every row carries the same computed_at.
    assert Snapshot.objects.values("computed_at").distinct().count() == 1
    assert AreaState.objects.get(area=city).computed_at is not None
