"""Two connections at once on PostgreSQL (row locks): two staff on one complaint, and a
double-clicked submit whose two requests arrive together."""

import datetime
import threading
import uuid

import pytest
from django.db import connection

from bureau.models import StatusChange
from bureau.workflow import ConcurrentMove
from complaints import services
from complaints.models import Complaint
from tests.complaints.factories import handler_for, lodge, parent

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def run_together(*functions):
    """Start each function in its own thread (its own connection) at the same moment."""
    start = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def runner(i, function):
        try:
            start.wait(5)
            results[i] = function()
        except Exception as exc:  # noqa: BLE001 - the test reads what each got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    return results


def test_two_staff_at_once_one_success_and_one_clear_error(school, district):
    first, second = handler_for(district), handler_for(district)
    complaint = lodge(school=school, by=parent(username="p_concurrent"))
    seen_by_first = Complaint.objects.get(pk=complaint.pk)
    seen_by_second = Complaint.objects.get(pk=complaint.pk)
    results = run_together(
        lambda: services.complaint_accept(complaint=seen_by_first, by=first, expected="submitted"),
        lambda: services.complaint_reject(complaint=seen_by_second, by=second, reason="重复投诉",
                                          expected="submitted"),
    )
    moved = [r for r in results if isinstance(r, Complaint)]
    refused = [r for r in results if isinstance(r, ConcurrentMove)]
    assert len(moved) == 1 and len(refused) == 1, results
    complaint.refresh_from_db()
    assert complaint.status == moved[0].status
    assert StatusChange.objects.filter(object_id=str(complaint.pk)).count() == 1


def test_a_double_click_arriving_together_makes_one_complaint(school):
    who = parent(username="p_double")
    token = uuid.uuid4()

    def submit():
        return services.complaint_submit(school=school, by=who, token=token, category="homework",
                                         description="作业太多", happened_on=datetime.date(2026, 9, 1))

    results = run_together(submit, submit)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _c, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert Complaint.objects.count() == 1
