"""Metric snapshots at province scale: the full snapshot job against one plain SQL GROUP BY
over the same tables for the heaviest indicator, and the dashboards' server time and queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bureau tests/benchmarks/run -k snapshots

PostgreSQL only. The province-scale demo data lives in its own database (BENCH_DB, default
`bureau_bench`, as bench_pages.py builds and reuses it). The measuring runs in a subprocess
pointed at that database (this file run as a script). It prints:

* each statement of the registry over the demo city's area (常州市 with its districts), timed
  alone with the rows it yields (the select statements computed inside the database, and the
  Python compute function of the between-school CVs), each against its floor: one plain SQL
  GROUP BY per school over the tables of its heaviest indicator;
* the whole job (every statement, the delete and the writes in one transaction), against the
  floor of its heaviest statement (the aim: within 3×), against the sum of every floor, and
  against the write alone: the job's own rows copied by one INSERT … SELECT into an empty
  table with the snapshot table's indexes;
* the dashboards through django.test.Client (median of BENCH_REPEAT requests after a
  warm-up, the queries of one request): the district page as district staff, the city page
  as city staff and as a superuser (every district of the province side by side), a zone,
  a school and a class page. The query counts must be the same whatever the scope.
"""

import logging
import os
import statistics
import time
from pathlib import Path

import pytest

from tests.benchmarks.databases import run_in_database

ROOT = Path(__file__).resolve().parents[2]
BENCH_DB = os.environ.get("BENCH_DB", "bureau_bench")
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))


@pytest.mark.benchmark
def test_snapshots_at_province_scale():
    run_in_database(__file__, BENCH_DB, what="snapshot")


# ---- the subprocess ------------------------------------------------------------------

# The floor of each statement (named by its first indicator, or the compute function): one
# plain GROUP BY per school over the tables its heaviest indicator reads. The teachers'
# statement's heaviest is the training completion: the active teachers and their training
# records of the cycle (the biggest table of all, two records a teacher in the demo).
FLOORS = {
    "certified_teachers": """
        SELECT t.school_id, count(*), sum(r.hours)
        FROM schools_teacher t JOIN schools_school s ON s.id = t.school_id
        LEFT JOIN schools_trainingrecord r ON r.teacher_id = t.id AND r.date > %(since)s AND r.date <= %(as_of)s
        WHERE s.district_id = ANY(%(districts)s) AND t.status = 'active' GROUP BY t.school_id""",
    "classes": """
        SELECT c.school_id, count(*), count(*) FILTER (WHERE c.boys + c.girls >= 56)
        FROM schools_schoolclass c JOIN schools_school s ON s.id = c.school_id
        WHERE s.district_id = ANY(%(districts)s) AND c.term_id = %(term)s AND c.grade <= 9 GROUP BY c.school_id""",
    "compute_resources": """
        SELECT t.school_id, t.section, count(*) FROM schools_teacher t JOIN schools_school s ON s.id = t.school_id
        WHERE s.district_id = ANY(%(districts)s) AND t.status = 'active' GROUP BY t.school_id, t.section""",
    "oversize_schools": """
        SELECT y.school_id, sum(y.computers) FROM schools_schoolyearstat y JOIN schools_school s ON s.id = y.school_id
        WHERE s.district_id = ANY(%(districts)s) AND y.school_year_id = %(year)s GROUP BY y.school_id""",
    "visits_monthly": """
        SELECT v.school_id, count(*) FROM inspections_visit v JOIN schools_school s ON s.id = v.school_id
        WHERE s.district_id = ANY(%(districts)s) GROUP BY v.school_id""",
    "complaints": """
        SELECT c.school_id, count(*) FROM complaints_complaint c JOIN schools_school s ON s.id = c.school_id
        WHERE s.district_id = ANY(%(districts)s) GROUP BY c.school_id""",
}


def _say(message):
    print(message, flush=True)


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - start) * 1000


def _measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), max(times), len(queries)


def _statements(inputs):
    """(name, run) of every statement of the registry: a select function's (run inside the
    database, its rows fetched) and a compute function's (Python, its Values made)."""
    from django.db import connection

    from reports.indicators import REGISTRY, select_rows

    def selected(function):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(*select_rows(function(inputs)))
                return len(cursor.fetchall())
        return run

    for function in REGISTRY.selects():
        name = next(indicator.code for indicator in REGISTRY if indicator.select is function)
        yield name, selected(function)
    for function in REGISTRY.computers():
        yield function.__name__, lambda f=function: len(list(f(inputs)))


def _write_floor(districts, term):
    """ms to write the area's snapshot rows of `term` again, by one INSERT … SELECT into an
    empty table with the snapshot table's indexes (rolled back)."""
    from django.db import connection, transaction

    from reports.models import Snapshot

    table = Snapshot._meta.db_table
    columns = ", ".join(f.column for f in Snapshot._meta.concrete_fields if f.column != "id")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_snapshot_copy (LIKE {table} INCLUDING ALL)")
        start = time.perf_counter()
        cursor.execute(f"INSERT INTO bench_snapshot_copy ({columns}) SELECT {columns} FROM {table} "
                       f"WHERE district_id = ANY(%s) AND term_id = %s", [list(districts), term.pk])
        ms = (time.perf_counter() - start) * 1000
        transaction.set_rollback(True)
    return ms


def _floor(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # warm
        cursor.fetchall()
        start = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
    return (time.perf_counter() - start) * 1000


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from bureau.demo import text_pad
    from bureau.models import Role, User
    from bureau.rules import TRAINING_CYCLE_YEARS
    from reports.indicators import Inputs
    from reports.indicators.teachers import _years_before
    from reports.models import Snapshot
    from reports.snapshots import area_districts, area_id_of, snapshots_compute
    from schools.models import School, SchoolClass, Teacher
    from schools.selectors import current_term
    from tests.benchmarks.bench_pages import _prepare

    setup_test_environment()
    settings.REFCACHE_SECONDS = 300
    logging.getLogger("axes").setLevel(logging.WARNING)
    _prepare()
    staff = User.objects.get(username="staff_basic")
    area_id = area_id_of(staff.district_id)
    districts = area_districts(area_id)
    term = current_term()
    today = timezone.localdate()
    schools = School.objects.filter(district_id__in=districts)
    _say(f"\nArea: {len(districts) - 1} districts, {schools.count():,} schools, "
         f"{SchoolClass.objects.filter(school__in=schools, term=term).count():,} classes this term, "
         f"{Teacher.objects.filter(school__in=schools).count():,} teachers (province: "
         f"{School.objects.count():,} schools).")

    inputs = Inputs(tuple(districts), term, today)
    since = _years_before(inputs.as_of, TRAINING_CYCLE_YEARS)  # the statement's own cycle
    params = {"districts": districts, "term": term.pk, "year": inputs.school_year.pk if inputs.school_year else 0,
              "since": since, "as_of": inputs.as_of}
    _say(f"\n  {'statement':<24} {'rows':>9} {'ms':>9} {'floor ms':>9} {'×':>6}")
    timings, floors = {}, {}
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # as the job runs (reports/snapshots.py)
    for name, run in _statements(inputs):
        run()  # warm: the planner's first look, the pages in the buffer cache
        rows, ms = _timed(run)
        timings[name] = ms
        sql = FLOORS.get(name)
        if sql is None:  # a figure without a floor of its own here
            _say(f"  {name:<24} {rows:>9,} {ms:>9.0f} {'—':>9} {'—':>6}")
            continue
        floors[name] = _floor(sql, params)
        _say(f"  {name:<24} {rows:>9,} {ms:>9.0f} {floors[name]:>9.1f} {ms / floors[name]:>6.1f}")
    heaviest = max(floors, key=timings.get)
    snapshots_compute(area_id=area_id, term=term, today=today)  # warm
    written, job_ms = _timed(snapshots_compute, area_id=area_id, term=term, today=today)
    floor = _floor(FLOORS[heaviest], params)
    every_floor = sum(floors.values())
    write_ms = _write_floor(districts, term)
    _say(f"\n  full job: {written:,} snapshots in {job_ms:.0f} ms")
    _say(f"  the heaviest statement {heaviest} {timings[heaviest]:.0f} ms; its plain GROUP BY {floor:.1f} ms; "
         f"job / floor = {job_ms / floor:.1f}×")
    _say(f"  every statement's plain GROUP BY together: {every_floor:.1f} ms; job / their sum = "
         f"{job_ms / every_floor:.1f}×")
    _say(f"  the write alone: the job's {written:,} rows copied by one INSERT … SELECT into an empty table with "
         f"the same indexes: {write_ms:.0f} ms; job / (write + every floor) = {job_ms / (write_ms + every_floor):.1f}×")

    # The nightly run: every area of the province in turn (beat enqueues one job per area).
    from schools.models import District

    areas = list(District.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    start = time.perf_counter()
    province_rows = sum(snapshots_compute(area_id=area, term=term, today=today) for area in areas)
    province_ms = (time.perf_counter() - start) * 1000
    province_floor = _floor(FLOORS[heaviest], {**params, "districts": list(District.objects.values_list(
        "pk", flat=True))})
    _say(f"\n  nightly, the whole province: {len(areas)} areas, {province_rows:,} snapshots in "
         f"{province_ms / 1000:.1f} s; the heaviest statement's plain GROUP BY over the province "
         f"{province_floor:.0f} ms; nightly / floor = {province_ms / province_floor:.0f}×")

    # The job replaces the area's rows; PostgreSQL's autovacuum then clears the old ones (it
    # is on by default; a machine with it off would measure pages over millions of dead rows).
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Snapshot._meta.db_table}")
    superuser, _created = User.objects.get_or_create(
        username="bench_superuser", defaults={"role": Role.ADMIN, "is_superuser": True, "is_staff": True,
                                              "name": "基准测试"})
    leader = User.objects.filter(role=Role.LEADER, district_id=staff.district_id).first() or staff
    school = Snapshot.objects.filter(level="school", district_id=staff.district_id, term=term).values_list(
        "school_id", flat=True).first()
    cls = SchoolClass.objects.filter(school_id=school, term=term).first()
    zone = Snapshot.objects.filter(level="zone", district_id=staff.district_id, term=term).values_list(
        "scope_id", flat=True).first()
    pages = [
        ("district staff", leader, "district", reverse("reports:district", args=[staff.district_id])),
        ("city staff", User.objects.get(username="city_staff"), "city", reverse("reports:city")),
        ("superuser (province)", superuser, "city", reverse("reports:city")),
        ("superuser (province)", superuser, "district", reverse("reports:district", args=[staff.district_id])),
        ("district staff", leader, "zone", reverse("reports:zone", args=[zone])),
        ("district staff", leader, "school", reverse("reports:school", args=[school])),
        ("district staff", leader, "class", reverse("reports:class", args=[cls.pk])),
        ("district staff", leader, "targets", reverse("reports:targets")),
    ]
    _say(f"\n  {'user':<22} {'page':<10} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, user, name, url in pages:
        client = Client()
        client.force_login(user)
        median, worst, queries = _measure(client, url)
        _say(f"  {text_pad(label, 22)} {name:<10} {median:>10.1f} {worst:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
