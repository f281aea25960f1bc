"""manage.py demo_data: the district it promises, its accounts, determinism and the refusal."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse

from bureau.demo import DEMO_OBJECT_ID, DEMO_PASSWORD, demo_data_delete, demo_data_load
from bureau.errors import DomainError
from bureau.models import AuditLog, Role, User
from inspections.models import InspectorZone, ZoneSchool
from schools.demo.geography import DEMO_DISTRICT_CODE
from schools.models import (
    ConductRecord,
    District,
    EducationGroup,
    Rotation,
    School,
    SchoolClass,
    SchoolStage,
    SchoolYear,
    SchoolYearStat,
    Teacher,
    Term,
    TrainingRecord,
)
from schools.selectors import current_term, school_list

pytestmark = pytest.mark.django_db

SEED = 7


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One district for the whole module, rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so the test that
    reloads the data leaves this one as it was for the next test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_data_load(seed=SEED, scale="district")
        transaction.set_rollback(True)


def about(value, target, tolerance=0.10):
    return abs(value - target) <= target * tolerance


def test_district_scale_has_the_promised_shape(demo):
    district = District.objects.get(code=DEMO_DISTRICT_CODE)
    assert district.name == "天宁区" and district.parent.name == "常州市"
    assert district.parent.level == District.Level.CITY

    schools = School.objects.filter(district=district)
    assert about(schools.count(), 80)
    stages = dict(schools.values_list("stage").annotate(n=Count("id")))
    assert stages[SchoolStage.PRIMARY] > stages[SchoolStage.JUNIOR] > stages[SchoolStage.NINE_YEAR] >= 3
    assert stages[SchoolStage.SPECIAL] == 1
    assert schools.filter(is_village_full=True, location=School.Location.RURAL).count() >= 2
    assert set(schools.values_list("location", flat=True)) == {"urban", "town", "rural"}
    assert schools.filter(ownership=School.Ownership.PRIVATE).exists()
    assert not schools.filter(address="").exists() and not schools.filter(principal_name="").exists()

    # Two groups, each with a lead school that is a member of its own group.
    groups = EducationGroup.objects.filter(district=district)
    assert groups.count() == 2
    for group in groups:
        assert group.lead_school.group_id == group.pk
        assert group.schools.count() >= 3

    # Three school years, two terms each, September–January and February–July.
    assert sorted(SchoolYear.objects.values_list("start_year", flat=True)) == [2023, 2024, 2025]
    first, second = Term.objects.filter(school_year__start_year=2025).order_by("number")
    assert (first.start_date.month, first.end_date.month, second.start_date.month, second.end_date.month) == (9, 1, 2, 7)
    assert SchoolYearStat.objects.filter(school__district=district).count() == schools.count() * 3

    term = current_term()
    assert term == second
    assert about(SchoolClass.objects.filter(term=term).count(), 1500)
    assert SchoolClass.objects.filter(term=first).count() == SchoolClass.objects.filter(term=term).count()

    teachers = Teacher.objects.filter(district=district)
    assert about(teachers.count(), 4000)
    assert TrainingRecord.objects.filter(teacher__district=district).count() >= teachers.count() * 3
    assert Rotation.objects.filter(teacher__district=district).exists()
    assert ConductRecord.objects.filter(teacher__district=district).exists()
    assert teachers.filter(certificate_type="").exists(), "a few teachers lack a certificate"
    assert teachers.exclude(backbone_level="").exists()
    assert set(teachers.values_list("subject", flat=True)) >= {"语文", "数学", "英语", "体育", "音乐", "美术", "物理"}


def test_codes_unique_and_every_school_in_one_zone(demo):
    codes = list(School.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(len(code) == 10 and code.isdigit() for code in codes)
    numbers = Teacher.objects.values("district", "staff_number").annotate(n=Count("id")).filter(n__gt=1)
    assert not numbers.exists()

    assert ZoneSchool.objects.count() == School.objects.count()
    assert not School.objects.filter(zone_link__isnull=True).exists()
    inspectors = User.objects.filter(role=Role.INSPECTOR)
    assert inspectors.exists()
    assert about(School.objects.count() / inspectors.count(), 5, tolerance=0.25)
    assert not InspectorZone.objects.filter(inspectors__isnull=True).exists()


def test_there_is_something_to_find(demo):
    term = current_term()
    sizes = SchoolClass.objects.filter(term=term).annotate(size=F("boys") + F("girls"))
    assert sizes.filter(size__gte=56).exists(), "a big class"
    assert sizes.filter(size__gte=66).exists(), "a super-big class"
    assert sizes.filter(size__gte=56).count() <= sizes.count() * 0.05, "big classes stay rare"

    current = SchoolYearStat.objects.filter(school_year__start_year=2025)
    below = current.filter(meets_resource_standard=False).count()
    meets = current.filter(meets_resource_standard=True).count()
    assert 0 < below < meets, "most schools meet the standard, some clearly do not"
    assert current.filter(school__location="rural", meets_resource_standard=False).exists()

    staff = User.objects.get(username="staff_basic")
    assert school_list(user=staff, filters={"below_standard": True}).count() >= below


def test_every_role_can_log_in(demo, client):
    usernames = {row[0] for row in demo.accounts}
    assert {"admin", "staff_basic", "staff_inspection", "staff_audit", "staff_personnel", "staff_finance",
            "staff_pe_health_arts", "leader", "inspector01", "principal", "parent"} <= usernames
    roles = set(User.objects.filter(username__in=usernames).values_list("role", flat=True))
    assert roles == set(Role)
    departments = set(User.objects.filter(username__startswith="staff_").values_list("department__code", flat=True))
    assert departments == {"basic", "inspection", "audit", "personnel", "finance", "pe_health_arts"}
    principal = User.objects.get(username="principal")
    assert principal.school.district.code == DEMO_DISTRICT_CODE
    assert principal.name == principal.school.principal_name
    parent = User.objects.get(username="parent")
    assert parent.name and parent.mobile

    for username in sorted(usernames):
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("logout"))


def test_rows_pass_model_validation(demo):
    # Bulk inserts skip full_clean(); check a sample of every kind so the generator cannot
    # write what the forms and imports would reject.
    samples = [
        *School.objects.order_by("?")[:10], *EducationGroup.objects.all(), *Teacher.objects.order_by("?")[:20],
        *SchoolClass.objects.order_by("?")[:20], *SchoolYearStat.objects.order_by("?")[:10],
        *TrainingRecord.objects.order_by("?")[:20], *Rotation.objects.order_by("?")[:10],
        *ConductRecord.objects.all()[:5], *InspectorZone.objects.all()[:3],
    ]
    for row in samples:
        row.full_clean()


def test_one_audit_row_per_model_kind(demo):
    markers = AuditLog.objects.filter(object_id=DEMO_OBJECT_ID)
    kinds = list(markers.values_list("content_type__model", flat=True))
    assert len(kinds) == len(set(kinds))
    assert {"school", "teacher", "schoolclass", "trainingrecord"} <= set(kinds)
    assert AuditLog.objects.count() == markers.count()


def snapshot():
    return {
        "schools": list(School.objects.order_by("code").values_list("code", "name", "stage", "principal_name")),
        "teachers": list(Teacher.objects.order_by("staff_number").values_list("staff_number", "name", "subject")[:300]),
        "classes": list(SchoolClass.objects.order_by("school__code", "term__start_date", "grade", "number")
                        .values_list("school__code", "grade", "number", "boys", "girls")[:500]),
        "stats": list(SchoolYearStat.objects.order_by("school__code", "school_year__start_year")
                      .values_list("school__code", "primary_students", "equipment_value", "meets_resource_standard")),
        "inspectors": list(User.objects.filter(role=Role.INSPECTOR).order_by("username").values_list("username", "name")),
    }


def test_same_seed_same_data_and_refusal_without_reset(demo):
    before = snapshot()

    with pytest.raises(CommandError, match="--reset"):
        call_command("demo_data", "--seed", str(SEED), "--scale", "district", verbosity=0)
    assert snapshot() == before, "the refused run changed nothing"

    out = io.StringIO()
    call_command("demo_data", "--seed", str(SEED), "--scale", "district", "--reset", verbosity=0, stdout=out)
    assert snapshot() == before
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for username in ("admin", "staff_basic", "leader", "inspector01", "principal", "parent"):
        assert f"  {username} " in printed, username
    assert User.objects.get(username="principal").school.name in printed
    assert School.objects.count() == len(before["schools"])  # the old rows are gone, not doubled

    call_command("demo_data", "--seed", str(SEED + 1), "--scale", "district", "--reset", verbosity=0)
    other = snapshot()
    assert other["schools"] != before["schools"] and other["teachers"] != before["teachers"]


def test_refuses_to_take_over_an_existing_account(demo):
    demo_data_delete()
    User.objects.create_user(username="admin", password="Not-a-demo-2026!")
    with pytest.raises(DomainError, match="admin"):
        demo_data_load(seed=SEED, scale="district")
    assert User.objects.filter(username="admin").count() == 1
    assert not School.objects.exists(), "nothing written"
