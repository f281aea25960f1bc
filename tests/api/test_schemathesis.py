"""A peer reads the contract: schemathesis generates requests from the portal's own OpenAPI
schema and checks every answer against it, as staff, principal and inspector.

It runs the schemathesis command against pytest-django's live server, over demo-like records
made by factories, with a bounded number of examples per operation and a fixed seed (a
failure can be replayed), in the second, one-at-a-time phase of bin/test (marker `fuzz`).
Path ids are drawn from records the role can see most of the time, so the answers checked
are mostly real records (200s and writes refused or accepted), not only 404s.
"""

import datetime
import json
import os
import socket
import subprocess
import sys
from decimal import Decimal

import pytest
from django.test import testcases
from rest_framework.authtoken.models import Token

from bureau.models import Role
from schools.models import School, SchoolClass, SchoolYearStat, Teacher
from tests.factories import (
    DepartmentFactory,
    DistrictFactory,
    EducationGroupFactory,
    InspectorZoneFactory,
    RotationFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    SchoolYearStatFactory,
    TeacherFactory,
    TermFactory,
    TrainingRecordFactory,
    UserFactory,
    ZoneSchoolFactory,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Examples per operation, valid and invalid ones: some 270 requests and 20-30 s a role. A
# deeper run by hand: SCHEMATHESIS_MAX_EXAMPLES=100, or the coverage phase too (every
# boundary case the schema defines, some 3,500 requests and 90 s a role) with
# SCHEMATHESIS_PHASES=examples,coverage,fuzzing.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
PHASES = os.environ.get("SCHEMATHESIS_PHASES", "examples,fuzzing")
SEED = 2026
# Share of generated path ids taken from the role's own records.
REAL_ID_SHARE = 0.8


def demo_district():
    """A small district like the demo's: two school years, schools of several stages, a zone,
    classes of every size bucket, teachers with records; and another district's school."""
    district = DistrictFactory(code="320402", name="天宁区")
    years = [SchoolYearFactory(start_year=year) for year in (2024, 2025)]
    terms = [TermFactory(school_year=year, number=number) for year in years for number in (1, 2)]
    group = EducationGroupFactory(district=district, name="天宁区实验教育集团")
    schools = [
        SchoolFactory(district=district, code=f"31320000{i:02d}", name=name, stage=stage, group=group if i < 2 else None)
        for i, (name, stage) in enumerate([
            ("天宁区实验小学", "primary"), ("天宁区第一中学", "junior"), ("天宁区九年一贯制学校", "nine_year"),
            ("天宁区红梅小学", "primary"),
        ])
    ]
    zone = InspectorZoneFactory(district=district, name="第一责任区")
    for school in schools[:2]:
        ZoneSchoolFactory(zone=zone, school=school)
    for n, school in enumerate(schools):
        for year in years:
            SchoolYearStatFactory(
                school=school, school_year=year, primary_students=800 + 50 * n,
                junior_students=400 if school.stage != "primary" else 0, teaching_area=Decimal(4200 + 300 * n),
            )
        for grade, size in ((1, 38), (3, 57), (5, 67)):
            SchoolClassFactory(school=school, term=terms[-1], grade=grade, boys=size // 2, girls=size - size // 2)
        for k in range(3):
            teacher = TeacherFactory(
                school=school, backbone_level=("county", "", "city")[k], title=("senior", "first", "")[k],
                is_head_teacher=k == 0, hire_date=datetime.date(2010 + k, 9, 1),
            )
            TrainingRecordFactory(teacher=teacher, hours=Decimal("36"))
            RotationFactory(teacher=teacher, to_school=schools[(n + 1) % len(schools)])
    elsewhere = SchoolFactory(district=DistrictFactory(code="320411", name="新北区"), code="3132000999")
    SchoolYearStatFactory(school=elsewhere, school_year=years[-1])
    TeacherFactory(school=elsewhere)

    users = {
        "staff": UserFactory(username="staff1", role=Role.STAFF, district=district, department=DepartmentFactory()),
        "principal": UserFactory(username="principal1", role=Role.PRINCIPAL, school=schools[0], district=district),
        "inspector": UserFactory(username="inspector1", role=Role.INSPECTOR, district=district,
                                 inspector_kind="full_time"),
    }
    zone.inspectors.add(users["inspector"])
    return users


def ids_seen_by(user):
    """Ids of the records a role reaches, by resource, for the path parameters."""
    return {
        "schools": list(School.objects.visible_to(user).values_list("pk", flat=True)),
        "classes": list(SchoolClass.objects.visible_to(user).values_list("pk", flat=True)),
        "teachers": list(Teacher.objects.visible_to(user).values_list("pk", flat=True)),
        "school-year-stats": list(SchoolYearStat.objects.visible_to(user).values_list("pk", flat=True)),
    }


@pytest.fixture
def quick_live_server(live_server, monkeypatch):
    """The live server with TCP_NODELAY on its connections. Its handler writes the status
    line, headers and body in separate small writes; on a kept-alive connection, Nagle's
    algorithm then waits for the client's delayed ACK, some 40 ms per request, which made
    this test four times slower than the portal."""
    setup = testcases.QuietWSGIRequestHandler.setup

    def setup_without_nagle(handler):
        handler.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        setup(handler)

    monkeypatch.setattr(testcases.QuietWSGIRequestHandler, "setup", setup_without_nagle)
    return live_server


def config(ids):
    """schemathesis.toml: a dictionary of real ids per resource, bound to its `{id}`."""
    lines = ["[phases.coverage]", "unexpected-methods = []", ""]
    for resource, values in ids.items():
        lines += [f'[dictionaries."{resource}"]', f"values = {json.dumps(values)}", ""]
    lines += ['[dictionaries."years"]', "values = [2024, 2025]", ""]
    for resource in ids:
        lines += [
            "[[operations]]",
            f'include-path-regex = "^/api/v1/{resource}/{{id}}/"',
            f'parameters = {{ "path.id" = {{ dictionary = "{resource}", probability = {REAL_ID_SHARE} }}, '
            f'"path.year" = {{ dictionary = "years", probability = {REAL_ID_SHARE} }} }}',
            "",
        ]
    return "\n".join(lines)


@pytest.mark.parametrize("role", ["staff", "principal", "inspector"])
def test_the_api_keeps_its_schema(quick_live_server, tmp_path, role):
    live_server = quick_live_server
    user = demo_district()[role]
    token = Token.objects.create(user=user).key
    (tmp_path / "schemathesis.toml").write_text(config(ids_seen_by(user)))
    report = tmp_path / "report.json"
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(tmp_path / "schemathesis.toml"),
        "run", f"{live_server.url}/api/schema/?format=json", "--url", live_server.url,
        "--header", f"Authorization: Token {token}",
        "--checks", CHECKS, "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
        "--phases", PHASES, "--workers", "1", "--generation-database", "none",
        "--request-timeout", "30", "--no-color", "--report", "json", "--report-json-path", str(report),
    ]
    # In a folder of its own: schemathesis writes nothing into the repository.
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"schemathesis as {role}:\n{result.stdout[-20000:]}\n{result.stderr[-3000:]}"
    # It ran: every operation, with generated cases (a run that tests nothing exits 0 too).
    figures = json.loads(report.read_text())
    assert figures["operations"]["tested"] == figures["operations"]["total"] >= 27, figures["operations"]
    assert figures["test_cases"]["generated"] >= figures["operations"]["total"] * min(MAX_EXAMPLES, 5)
    print(f"schemathesis as {role}: {figures['operations']['tested']} operations, "
          f"{figures['test_cases']['generated']} cases, {figures['running_time']:.0f} s")
