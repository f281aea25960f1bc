"""The scope engine on the policies the next apps need, each on a throwaway model (tests/scopeapp).

Expectations are written out per user here, never read back from the engine: a record is
visible to exactly the users listed, and `reaches()` (the no-query check predicates use)
agrees with `visible_to()` for every user and record.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from bureau import scope
from bureau.models import Role
from bureau.selectors import audit_for_object
from bureau.services import model_update
from tests.factories import (
    DistrictFactory,
    InspectorZoneFactory,
    SchoolFactory,
    UserFactory,
    ZoneSchoolFactory,
)
from tests.scopeapp.models import Petition, SurpriseVisit, ZoneNote


@pytest.fixture
def world(db):
    """A city with two districts; in the first, a zone with one school and a school outside it."""
    city = DistrictFactory(code="320400", name="常州市", level="city")
    first = DistrictFactory(code="320402", name="天宁区", parent=city)
    second = DistrictFactory(code="320411", name="新北区", parent=city)
    elsewhere = DistrictFactory(code="320581", name="常熟市")
    zoned = SchoolFactory(district=first, name="天宁区实验小学")
    unzoned = SchoolFactory(district=first, name="天宁区第二小学")
    second_school = SchoolFactory(district=second, name="新北区实验小学")
    far_school = SchoolFactory(district=elsewhere, name="常熟市实验小学")
    zone = InspectorZoneFactory(district=first, name="第一责任区")
    ZoneSchoolFactory(zone=zone, school=zoned)
    other_zone = InspectorZoneFactory(district=first, name="第二责任区")
    ZoneSchoolFactory(zone=other_zone, school=unzoned)
    principal = UserFactory(username="principal", role=Role.PRINCIPAL, school=zoned, district=first)
    inspector = UserFactory(username="inspector", role=Role.INSPECTOR, district=first, inspector_kind="full_time")
    zone.inspectors.add(inspector)
    users = {
        "admin": UserFactory(username="admin", role=Role.ADMIN, district=first),
        "staff": UserFactory(username="staff", role=Role.STAFF, district=first),
        "leader": UserFactory(username="leader", role=Role.LEADER, district=first),
        "inspector": inspector,
        "principal": principal,
        "deputy": UserFactory(username="deputy", role=Role.PRINCIPAL, school=zoned, district=first, named_by=principal),
        "unzoned_principal": UserFactory(username="p2", role=Role.PRINCIPAL, school=unzoned, district=first),
        "parent": UserFactory(username="parent", role=Role.PARENT),
        "other_parent": UserFactory(username="parent2", role=Role.PARENT),
        "city_staff": UserFactory(username="city", role=Role.STAFF, district=city),
        "second_staff": UserFactory(username="staff2", role=Role.STAFF, district=second),
        "far_staff": UserFactory(username="staff3", role=Role.STAFF, district=elsewhere),
        "superuser": UserFactory(username="root", role=Role.STAFF, is_superuser=True),
        "inactive_staff": UserFactory(username="gone", role=Role.STAFF, district=first, is_active=False),
    }
    return {
        "users": users, "zone": zone, "other_zone": other_zone, "first": first, "second": second,
        "zoned": zoned, "unzoned": unzoned, "second_school": second_school, "far_school": far_school,
    }


def seers(model, record, users):
    """The names of the users that see `record`, by visible_to; reaches() must agree."""
    names = set()
    for name, user in users.items():
        seen = model.objects.visible_to(user).filter(pk=record.pk).exists()
        assert scope.reaches(user, record) == seen, f"reaches() and visible_to() disagree for {name}"
        if seen:
            names.add(name)
    return names


BUREAU_OF_FIRST = {"admin", "staff", "leader", "city_staff", "superuser"}


def test_owner_only_record_a_parents_petition(world):
    users = world["users"]
    petition = Petition.objects.create(
        owner=users["parent"], district=world["first"], school=world["zoned"], complainant_name="王丽",
        complainant_mobile="13912345678", summary="周末补课",
    )
    # Not yet handed to the school: its parent and the bureau, and the inspector of its
    # school's zone; never another parent, the school, another district.
    assert seers(Petition, petition, users) == BUREAU_OF_FIRST | {"parent", "inspector"}
    assert not Petition.objects.visible_to(users["other_parent"]).exists()


def test_record_handed_to_a_school_with_fields_withheld(world):
    users = world["users"]
    petition = Petition.objects.create(
        owner=users["parent"], district=world["first"], school=world["zoned"], handed_to_school=True,
        complainant_name="王丽", complainant_mobile="13912345678", summary="周末补课",
    )
    assert seers(Petition, petition, users) == BUREAU_OF_FIRST | {"parent", "inspector", "principal", "deputy"}
    withheld = {"complainant_name", "complainant_mobile"}
    for name in ("principal", "deputy", "inspector", "parent"):
        assert scope.hidden_fields(users[name], Petition) == withheld, name
    for name in ("admin", "staff", "leader", "city_staff", "superuser"):
        assert scope.hidden_fields(users[name], Petition) == frozenset(), name
    assert scope.hidden_fields(AnonymousUser(), Petition) == withheld


def test_withheld_fields_stay_out_of_the_history(world):
    users = world["users"]
    petition = Petition.objects.create(
        owner=users["parent"], district=world["first"], school=world["zoned"], handed_to_school=True,
        complainant_name="王丽", complainant_mobile="13912345678", summary="周末补课",
    )
    model_update(instance=petition, data={"complainant_mobile": "13900000000"}, by=users["staff"])
    model_update(instance=petition, data={"summary": "周末补课（数学）", "complainant_name": "王莉"}, by=users["staff"])
    staff_lines = audit_for_object(instance=petition, user=users["staff"])
    assert [sorted(label for label, _old, _new in e.labelled_changes) for e in staff_lines] == [
        ["complainant name", "summary"], ["complainant mobile"],
    ]
    # The principal sees that the summary changed, not the name beside it, and not even that
    # the mobile number changed.
    principal_lines = audit_for_object(instance=petition, user=users["principal"])
    assert [e.labelled_changes for e in principal_lines] == [[("summary", "周末补课", "周末补课（数学）")]]
    rendered = str([(e.action_label, e.note, e.labelled_changes) for e in principal_lines])
    assert "王" not in rendered and "139" not in rendered


def test_school_sees_a_record_only_after_a_state(world):
    users = world["users"]
    unannounced = SurpriseVisit.objects.create(school=world["zoned"], kind=SurpriseVisit.Kind.UNANNOUNCED)
    routine = SurpriseVisit.objects.create(school=world["zoned"], kind=SurpriseVisit.Kind.ROUTINE)
    assert seers(SurpriseVisit, unannounced, users) == BUREAU_OF_FIRST | {"inspector"}
    assert seers(SurpriseVisit, routine, users) == BUREAU_OF_FIRST | {"inspector", "principal", "deputy"}
    SurpriseVisit.objects.filter(pk=unannounced.pk).update(status=SurpriseVisit.Status.FILED)
    unannounced.refresh_from_db()
    assert seers(SurpriseVisit, unannounced, users) == BUREAU_OF_FIRST | {"inspector", "principal", "deputy"}


def test_inspectors_through_their_zones(world):
    users = world["users"]
    in_zone = SurpriseVisit.objects.create(school=world["zoned"], kind=SurpriseVisit.Kind.ROUTINE)
    outside_zone = SurpriseVisit.objects.create(school=world["unzoned"], kind=SurpriseVisit.Kind.ROUTINE)
    assert "inspector" in seers(SurpriseVisit, in_zone, users)
    assert seers(SurpriseVisit, outside_zone, users) == BUREAU_OF_FIRST | {"unzoned_principal"}
    note = ZoneNote.objects.create(zone=world["zone"], text="十一月主题")
    other_note = ZoneNote.objects.create(zone=world["other_zone"], text="十一月主题")
    assert seers(ZoneNote, note, users) == BUREAU_OF_FIRST | {"inspector"}
    assert seers(ZoneNote, other_note, users) == BUREAU_OF_FIRST


def test_a_city_account_through_its_child_districts(world):
    users = world["users"]
    second = SurpriseVisit.objects.create(school=world["second_school"], kind=SurpriseVisit.Kind.ROUTINE)
    far = SurpriseVisit.objects.create(school=world["far_school"], kind=SurpriseVisit.Kind.ROUTINE)
    assert seers(SurpriseVisit, second, users) == {"city_staff", "second_staff", "superuser"}
    assert seers(SurpriseVisit, far, users) == {"far_staff", "superuser"}


def test_a_deputy_sees_what_its_principal_sees(world):
    users = world["users"]
    for kind in SurpriseVisit.Kind.values:
        SurpriseVisit.objects.create(school=world["zoned"], kind=kind)
        SurpriseVisit.objects.create(school=world["unzoned"], kind=kind)
    principal = set(SurpriseVisit.objects.visible_to(users["principal"]).values_list("pk", flat=True))
    deputy = set(SurpriseVisit.objects.visible_to(users["deputy"]).values_list("pk", flat=True))
    assert principal == deputy and len(principal) == 1


def test_nobody_inactive_or_anonymous_sees_anything(world):
    users = world["users"]
    SurpriseVisit.objects.create(school=world["zoned"], kind=SurpriseVisit.Kind.ROUTINE)
    assert not SurpriseVisit.objects.visible_to(users["inactive_staff"]).exists()
    assert not SurpriseVisit.objects.visible_to(AnonymousUser()).exists()
    assert not SurpriseVisit.objects.visible_to(None).exists()


def test_a_zone_path_through_many_rows_gives_each_row_once(world):
    # A zone with two schools and a principal of one: the principal's zone once, not twice.
    from inspections.models import InspectorZone

    ZoneSchoolFactory(zone=world["zone"], school=SchoolFactory(district=world["first"]))
    assert list(InspectorZone.objects.visible_to(world["users"]["principal"])) == [world["zone"]]
    assert InspectorZone.objects.visible_to(world["users"]["staff"]).count() == 2


def test_a_scoped_model_without_a_declaration_is_named_by_the_system_check(db, monkeypatch):
    from bureau.checks import scope_declarations

    assert scope_declarations(None) == []
    monkeypatch.delitem(scope._POLICIES, ZoneNote)
    errors = scope_declarations(None)
    assert [(error.obj, error.id) for error in errors] == [(ZoneNote, "bureau.S001")]
    with pytest.raises(Exception, match="no scope declaration"):
        list(ZoneNote.objects.visible_to(UserFactory(role=Role.STAFF)))


def test_a_declaration_naming_a_missing_field_is_named_by_the_system_check(db, monkeypatch):
    from bureau.checks import scope_declarations

    monkeypatch.setitem(scope._POLICIES, ZoneNote, scope.Belongs(district="zone__district", zone="zon"))
    assert [error.obj for error in scope_declarations(None)] == [ZoneNote]


def test_one_query_per_list_whatever_the_role(world, django_assert_num_queries):
    users = world["users"]
    for school in (world["zoned"], world["unzoned"], world["second_school"]):
        SurpriseVisit.objects.create(school=school, kind=SurpriseVisit.Kind.ROUTINE)
    for name in ("inspector", "principal", "deputy"):
        with django_assert_num_queries(1):  # the rows; zones and schools are subqueries
            list(SurpriseVisit.objects.visible_to(users[name]))
    user = users["city_staff"]
    with django_assert_num_queries(2):  # the city's child districts (once per request), the rows
        list(SurpriseVisit.objects.visible_to(user))
    with django_assert_num_queries(1):  # the districts are remembered on the user
        list(SurpriseVisit.objects.visible_to(user))
