"""manage.py demo_data: the orchestrator in bureau/demo.py, the accounts, determinism and the refusal.

What each app's generator makes is tested beside the app (tests/schools/test_demo.py,
tests/inspections/test_demo.py).
"""

import ast
import io
import random
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

import bureau.demo
from bureau.demo import (
    DEMO_OBJECT_ID,
    DEMO_PASSWORD,
    SCALES,
    DemoArea,
    DemoGenerator,
    demo_data_delete,
    demo_data_load,
    demo_generators,
)
from bureau.errors import DomainError
from bureau.models import AuditLog, Role, User
from schools.demo import geography
from schools.models import District, School, SchoolClass, SchoolYearStat, Teacher
from tests.demo_support import SEED, demo_loaded

pytestmark = pytest.mark.django_db

# Apps that are not installed yet but will be, and must not be imported by bureau either.
PLANNED_APPS = {"complaints", "reports"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_loaded(django_db_blocker)


# ---- the protocol, without a real load ----------------------------------------------------


def domain_apps():
    """The project's own apps but bureau (and the test apps), installed or planned."""
    installed = {
        config.name for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR) and config.name != "bureau"
        and not config.name.startswith("tests")
    }
    return installed | PLANNED_APPS


@pytest.mark.parametrize("path", ["bureau/demo.py", "bureau/management/commands/demo_data.py"])
def test_bureau_demo_imports_no_domain_app(path):
    tree = ast.parse((Path(settings.BASE_DIR) / path).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module)
    assert domain_apps() >= {"schools", "inspections"}
    wrong = sorted(name for name in imported if name.split(".")[0] in domain_apps())
    assert not wrong, f"{path} imports {wrong}"


def test_generators_are_found_in_app_order():
    found = [type(generator).__module__ for generator in demo_generators()]
    assert found == ["schools.demo.generator", "inspections.demo", "complaints.demo", "reports.demo"]
    labels = [config.label for config in apps.get_app_configs()]
    assert labels.index("schools") < labels.index("inspections") < labels.index("complaints") < labels.index("reports")


def test_schools_know_every_scale():
    assert set(geography.SCALES) == set(SCALES)


class Recorder(DemoGenerator):
    """A generator that writes only what the orchestrator needs and notes each call."""

    def __init__(self, name, calls, *, makes_geography=False):
        self.name, self.calls, self.makes_geography = name, calls, makes_geography
        self.fixed_usernames = (f"fixed_{name}",)

    def demo_district_ids(self):
        if not self.makes_geography:
            return []
        # The city and its districts, as the schools generator answers.
        return list(District.objects.filter(code__startswith="9901").order_by("code").values_list("pk", flat=True))

    def begin(self, ctx):
        self.calls.append((self.name, "begin"))
        if self.makes_geography:
            city, = ctx.write(District, [District(code="990100", name="测试市", level=District.Level.CITY)])
            districts = ctx.write(District, [
                District(code=code, name=name, level=District.Level.DISTRICT, parent=city)
                for code, name in (("990101", "甲区"), ("990102", "乙区"))
            ])
            ctx.areas.extend(DemoArea(district=d, label=f"测试市{d.name}", is_demo=i == 0) for i, d in enumerate(districts))
            ctx.district, ctx.city = districts[0], city

    def load_district(self, ctx, area):
        self.calls.append((self.name, "load", area.district.code, area.rng.random()))

    def fixed_accounts(self, ctx):
        self.calls.append((self.name, "accounts"))
        user = User(username=f"fixed_{self.name}", password=ctx.password, role=Role.STAFF, district=ctx.district)
        return [bureau.demo.DemoAccount(user=user, sees=self.name)]

    def delete_district(self, district_id):
        code = District.objects.get(pk=district_id).code
        # The orchestrator deleted the district's accounts before asking the generators.
        assert not User.objects.filter(district_id=district_id).exists()
        self.calls.append((self.name, "delete", code))
        return 0

    def delete_rest(self, district_ids):
        self.calls.append((self.name, "delete rest"))
        if not self.makes_geography:
            return 0
        deleted = District.objects.filter(pk__in=district_ids, parent__isnull=False).delete()[0]
        return deleted + District.objects.filter(pk__in=district_ids).delete()[0]


def test_orchestrator_runs_the_generators_it_finds_in_app_order(monkeypatch):
    calls = []
    # Stand-ins where discovery looks for them: `generator` in each app's demo module.
    monkeypatch.setattr("schools.demo.generator", Recorder("schools", calls, makes_geography=True))
    monkeypatch.setattr("inspections.demo.generator", Recorder("inspections", calls))

    report = demo_data_load(seed=SEED, scale="district")

    # Each district's stream is seeded once and shared in app order: inspections draws after schools.
    draws = {code: random.Random(f"{SEED}:{code}") for code in ("990101", "990102")}
    assert calls == [
        ("schools", "begin"), ("inspections", "begin"),
        ("schools", "load", "990101", draws["990101"].random()),
        ("inspections", "load", "990101", draws["990101"].random()),
        ("schools", "load", "990102", draws["990102"].random()),
        ("inspections", "load", "990102", draws["990102"].random()),
        ("schools", "accounts"), ("inspections", "accounts"),
    ]
    usernames = [row[0] for row in report.accounts]
    assert {"fixed_schools", "fixed_inspections", "admin", "parent"} <= set(usernames)
    assert User.objects.filter(username="fixed_inspections", district__code="990101").exists()
    assert AuditLog.objects.filter(object_id=DEMO_OBJECT_ID, content_type__model="district").exists()

    calls.clear()
    demo_data_delete()
    assert calls == [
        ("inspections", "delete", "990100"), ("schools", "delete", "990100"),
        ("inspections", "delete", "990101"), ("schools", "delete", "990101"),
        ("inspections", "delete", "990102"), ("schools", "delete", "990102"),
        ("inspections", "delete rest"), ("schools", "delete rest"),
    ]
    assert not District.objects.exists() and not User.objects.exists() and not AuditLog.objects.exists()


# ---- the whole load ---------------------------------------------------------------------------


def test_every_role_can_log_in(demo, client):
    usernames = [row[0] for row in demo.accounts]
    # The district's accounts in the order of the roles, one line each.
    assert usernames == ["admin", "staff_basic", "staff_inspection", "staff_audit", "staff_personnel",
                         "staff_finance", "staff_pe_health_arts", "leader", "inspector01", "principal", "parent"]
    roles = set(User.objects.filter(username__in=usernames).values_list("role", flat=True))
    assert roles == set(Role)
    departments = set(User.objects.filter(username__startswith="staff_").values_list("department__code", flat=True))
    assert departments == {"basic", "inspection", "audit", "personnel", "finance", "pe_health_arts"}
    parent = User.objects.get(username="parent")
    assert parent.name and parent.mobile

    for username in sorted(usernames):
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("logout"))


def test_one_audit_row_per_model_kind(demo):
    markers = AuditLog.objects.filter(object_id=DEMO_OBJECT_ID)
    kinds = list(markers.values_list("content_type__model", flat=True))
    assert len(kinds) == len(set(kinds))
    assert {"school", "teacher", "schoolclass", "trainingrecord", "inspectorzone", "user"} <= set(kinds)
    # Besides the markers, only the demo principal's class draws (schools/demo/draws.py), made
    # through the services, which audit a draw's roster, inputs, result and transfer.
    through_services = {"classdraw", "incomingstudent", "classtransfer", "schoolclass"}
    others = AuditLog.objects.exclude(object_id=DEMO_OBJECT_ID)
    assert set(others.values_list("content_type__model", flat=True)) <= through_services


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


@pytest.mark.parametrize("username", ["admin", "principal"])
def test_refuses_to_take_over_an_existing_account(demo, username):
    # admin is bureau's own fixed account, principal the schools generator's.
    demo_data_delete()
    User.objects.create_user(username=username, password="Not-a-demo-2026!")
    with pytest.raises(DomainError, match=username):
        demo_data_load(seed=SEED, scale="district")
    assert User.objects.filter(username=username).count() == 1
    assert not School.objects.exists(), "nothing written"
