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
import time
from pathlib import Path

import pytest

from tests.benchmarks.databases import demo_ready, run_in_database

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
    run_in_database(__file__, BENCH_DB, what="page")


# ---- the subprocess ------------------------------------------------------------------


def _say(message):
    print(message, flush=True)


def _prepare():
    demo_ready(scale="province", name=BENCH_DB, seed=SEED, lock=BENCH_LOCK, say=_say)


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
