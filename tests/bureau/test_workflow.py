"""The workflow kit: legal, illegal, refused and concurrent moves, on a throwaway model."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import translation

from bureau.models import Role, StatusChange
from bureau.selectors import audit_for_object
from bureau.workflow import ConcurrentMove, WorkflowError, can_move, transition
from tests.factories import DistrictFactory, SchoolFactory, UserFactory
from tests.scopeapp.models import Petition

Status = Petition.Status


@pytest.fixture
def petition(db):
    district = DistrictFactory(code="320402", name="天宁区")
    parent = UserFactory(username="parent", role=Role.PARENT)
    return Petition.objects.create(
        owner=parent, district=district, school=SchoolFactory(district=district), complainant_name="王丽",
        complainant_mobile="13912345678", summary="周末补课",
    )


@pytest.fixture
def staff(petition):
    return UserFactory(username="staff", role=Role.STAFF, district=petition.district)


def test_a_legal_move_saves_the_state_and_a_status_change_row(petition, staff, django_capture_on_commit_callbacks):
    done = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        moved = transition(petition, to=Status.ACCEPTED, by=staff, note="受理", after=lambda: done.append(1))
    assert moved.status == Status.ACCEPTED
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.actor, change.note) == ("submitted", "accepted", staff, "受理")
    assert len(callbacks) == 1 and done == [1]


def test_side_effects_wait_for_the_commit_and_vanish_with_a_rollback(petition, staff):
    done = []

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        transition(petition, to=Status.ACCEPTED, by=staff, after=lambda: done.append(1))
        raise Boom
    petition.refresh_from_db()
    assert petition.status == Status.SUBMITTED
    assert not StatusChange.objects.exists() and done == []


def test_an_illegal_move_is_refused_in_chinese(petition, staff):
    transition(petition, to=Status.ACCEPTED, by=staff)
    petition.refresh_from_db()
    with translation.override("zh-hans"), pytest.raises(WorkflowError) as refused:
        transition(petition, to=Status.REJECTED, by=staff)
    assert "不能从" in str(refused.value)
    assert StatusChange.objects.count() == 1


def test_an_actor_without_the_right_is_refused(petition, staff):
    other_district = UserFactory(role=Role.STAFF, district=DistrictFactory(code="320411"))
    leader = UserFactory(role=Role.LEADER, district=petition.district)
    for user in (other_district, leader, petition.owner):
        assert not can_move(user, petition, Status.ACCEPTED)
        with pytest.raises(WorkflowError):
            transition(petition, to=Status.ACCEPTED, by=user)
    assert can_move(staff, petition, Status.ACCEPTED)
    # The portal itself (a task) may only close.
    with pytest.raises(WorkflowError):
        transition(petition, to=Status.ACCEPTED, by=None)


def test_a_move_on_a_stale_view_of_the_record_is_refused(petition, staff):
    seen_by_second_user = Petition.objects.get(pk=petition.pk)
    transition(petition, to=Status.ACCEPTED, by=staff)
    with translation.override("zh-hans"), pytest.raises(ConcurrentMove) as refused:
        transition(seen_by_second_user, to=Status.REJECTED, by=staff)
    assert "其他人" in str(refused.value) or "别人" in str(refused.value)
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED


def test_the_history_shows_status_changes_beside_the_audit_trail(petition, staff):
    transition(petition, to=Status.ACCEPTED, by=staff, note="受理")
    transition(Petition.objects.get(pk=petition.pk), to=Status.CLOSED, by=None)
    with translation.override("en"):
        lines = audit_for_object(instance=petition, user=staff)
    assert [(line.action_label, line.labelled_changes, line.note) for line in lines] == [
        ("Status changed", [("Status", "accepted", "closed")], ""),
        ("Status changed", [("Status", "submitted", "accepted")], "受理"),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_users_at_once_one_wins_and_the_other_is_told(petition, staff):
    """Two database connections move the same record at the same moment: the first takes
    the row lock, the second waits for it, then finds the record moved and says so."""
    second_staff = UserFactory(role=Role.STAFF, district=petition.district)
    first_has_lock = threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                transition(Petition.objects.get(pk=petition.pk), to=Status.ACCEPTED, by=staff)
                first_has_lock.set()
                # Hold the lock while the second user tries.
                threading.Event().wait(0.5)
            results["first"] = "moved"
        finally:
            connection.close()

    def second():
        try:
            seen = Petition.objects.get(pk=petition.pk)
            first_has_lock.wait(5)
            try:
                transition(seen, to=Status.REJECTED, by=second_staff)
                results["second"] = "moved"
            except ConcurrentMove as exc:
                results["second"] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results["first"] == "moved"
    assert results["second"] != "moved"
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    assert StatusChange.objects.filter(object_id=str(petition.pk)).count() == 1
