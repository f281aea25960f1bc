"""The dashboards under load: the district dashboard and a school dashboard, as the demo
district's staff, with gunicorn on loopback and a bounded load from a second process:
requests per second (and per core) and p50/p95/p99 (the harness: tests/benchmarks/load.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bureau tests/benchmarks/run -k dashboard_load

PostgreSQL only; the demo district in the load benchmarks' database, `bureau_load`
(BENCH_LOAD_DB), whose demo load computed its snapshots. The school is the district's
largest (most snapshot rows), the worst case of its page.
"""

import pytest

from tests.benchmarks import load


def pages():
    from django.db.models import Count
    from django.urls import reverse

    from bureau.models import User
    from reports.models import Snapshot

    district_id = User.objects.get(username=load.USERNAME).district_id
    school = (Snapshot.objects.filter(level="school", district_id=district_id).values("school_id")
              .annotate(n=Count("id")).order_by("-n", "school_id").first())
    if school is None:
        raise AssertionError("the load database holds no snapshots: run demo_data there with --reset")
    return (("district dashboard", reverse("reports:district", args=[district_id])),
            ("school dashboard", reverse("reports:school", args=[school["school_id"]])))


@pytest.mark.benchmark
def test_dashboards_throughput(tmp_path):
    load.throughput(tmp_path, f"{__name__}:pages")
