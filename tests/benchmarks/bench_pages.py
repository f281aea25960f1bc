"""School list and school detail at province scale: server time and query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bureau tests/benchmarks/run -k pages

PostgreSQL only (the test skips with a message otherwise): a province is ~100 districts,
20,000 schools, 400,000 classes and 800,000 teachers (`manage.py demo_data --scale province`).

The data lives in its own database, `bureau_bench` on the server of DATABASE_URL, not in
pytest-django's throw-away test database: building it takes about four minutes, so it is
kept and reused by later runs when it holds a province-scale demo load (the demo marker
says so); otherwise it is migrated and (re)built with --reset. `dropdb bureau_bench` forces a
rebuild. BENCH_DB names another database; BENCH_REPEAT sets the requests per figure (7).

The measuring runs in a subprocess whose DATABASE_URL points at that database (this file
run as a script), so it never touches the test database the other benchmarks use. It
requests each page through django.test.Client — the whole request through middleware,
view, selectors and template, no network — once to warm up, then BENCH_REPEAT times, and
prints the median and the queries of one request (CaptureQueriesContext), for:

* a staff account of one district (天宁区, ~210 schools at this scale),
* a staff account of a city (常州市, all its districts),
* a superuser, who sees the whole province.
"""

import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.benchmarks.databases import database_url, ensure_database

ROOT = Path(__file__).resolve().parents[2]
BENCH_DB = os.environ.get("BENCH_DB", "bureau_bench")
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
SEED = 2026
BENCH_LOCK = 320400  # pg_advisory_lock key: one page benchmark per database at a time

LIST_FILTERS = (
    ("first page", ""),
    ("stage=primary", "?stage=primary"),
    ("location=rural", "?location=rural"),
    ("below_standard", "?below_standard=on"),
    ("junior + below_standard", "?stage=junior&below_standard=on"),
    ("search 实验", "?q=实验"),
    ("page 5", "?page=5"),
)
DETAIL_TABS = ("profile", "classes", "teachers", "statistics", "history")


@pytest.mark.benchmark
def test_school_pages_at_province_scale():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the page benchmark needs PostgreSQL: set DATABASE_URL=postgres://… "
                    "(it builds a 20,000-school province in the database bureau_bench)")
    bench_url, config = database_url(url, BENCH_DB)
    ensure_database(config, BENCH_DB)
    env = {**os.environ, "DATABASE_URL": bench_url, "DJANGO_SETTINGS_MODULE": "bureau.test_settings",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, __file__], env=env, cwd=ROOT)
    assert result.returncode == 0, "the page benchmark failed: see its output above"


# ---- the subprocess ------------------------------------------------------------------


def _say(message):
    print(message, flush=True)


def _prepare():
    from django.core.management import call_command
    from django.db import connection

    from bureau.demo import demo_data_load, demo_data_marker

    # Two runs at once (two engineers, or CI and a person) would otherwise both see no
    # province, and the second one's --reset would delete what the first is building.
    # The lock is the session's: it holds until this process ends.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [BENCH_LOCK])
    call_command("migrate", verbosity=0)
    marker = demo_data_marker()
    if marker and marker["scale"] == "province":
        _say(f"Reusing the province in {BENCH_DB} (seed {marker['seed']}).")
        return
    _say(f"Building the province scale demo data in {BENCH_DB} (once; a line per district)…")
    report = demo_data_load(seed=SEED, scale="province", reset=True, log=_say)
    _say(f"Built in {report.seconds:.0f} s, peak memory {report.peak_memory_mb:.0f} MB.")


def _users():
    from bureau.models import Role, User

    superuser, _created = User.objects.get_or_create(
        username="bench_superuser", defaults={"role": Role.ADMIN, "is_superuser": True, "is_staff": True,
                                              "name": "基准测试"},
    )
    return (
        ("district staff (天宁区)", User.objects.get(username="staff_basic")),
        ("city staff (常州市)", User.objects.get(username="city_staff")),
        ("superuser (province)", superuser),
    )


def _measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: sessions, caches, the planner's first look
    if response.status_code != 200 or len(response.content) < 1024:
        raise AssertionError(f"{url} answered {response.status_code} with {len(response.content)} bytes")
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), max(times), len(queries), len(response.content)


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from bureau.demo import text_pad
    from bureau.models import User
    from schools.models import School, SchoolClass, Teacher

    setup_test_environment()
    # What production runs: reference data from the cache (the suite's settings turn it off).
    settings.REFCACHE_SECONDS = 300
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login otherwise
    _prepare()
    # The detail page of the demo district's largest school (most teachers): the worst case
    # of the classes and teachers tabs, which list everything of one school.
    district = User.objects.get(username="staff_basic").district
    school = School.objects.filter(district=district).annotate(n=Count("teachers")).order_by("-n", "code").first()
    _say(f"\nData: {School.objects.count():,} schools, {SchoolClass.objects.count():,} classes, "
         f"{Teacher.objects.count():,} teachers. Detail page: {school.name} "
         f"({school.classes.count()} classes, {school.teachers.count()} teachers).")
    _say(f"Median of {REPEAT} requests (after one warm-up) and the queries of one request.\n")
    header = f"  {'user':<24} {'page':<38} {'median ms':>10} {'max ms':>8} {'queries':>8} {'KB':>6}"
    _say(header)
    _say("  " + "-" * (len(header) - 2))
    list_url = reverse("schools:school_list")
    detail_url = reverse("schools:school_detail", args=[school.pk])
    for label, user in _users():
        client = Client()
        client.force_login(user)
        pages = [(f"school list: {name}", list_url + query) for name, query in LIST_FILTERS]
        pages += [(f"school detail: {tab}", f"{detail_url}?tab={tab}") for tab in DETAIL_TABS]
        for page, url in pages:
            median, worst, queries, size = _measure(client, url)
            _say(f"  {text_pad(label, 24)} {text_pad(page, 38)} {median:>10.1f} {worst:>8.1f} {queries:>8} "
                 f"{size / 1024:>6.0f}")
        _say("")


if __name__ == "__main__":
    main()
