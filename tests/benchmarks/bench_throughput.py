"""The home page and the school list under load: gunicorn on loopback, a bounded load from a
second process, requests per second (and per core) and latency percentiles. The harness
(the server, the load, the profile of one request) is tests/benchmarks/load.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bureau tests/benchmarks/run -k throughput

PostgreSQL only (the test skips with a message otherwise); the demo district in its own
database, `bureau_load` (BENCH_LOAD_DB); LOAD_SECONDS, LOAD_REPEAT, WEB_CONCURRENCY and
BENCH_PROFILE as load.py says.
"""

import pytest

from tests.benchmarks import load

PAGES = (("home", "/"), ("school list", "/schools/"))


def pages():
    return PAGES


@pytest.mark.benchmark
def test_pages_throughput(tmp_path):
    load.throughput(tmp_path, f"{__name__}:pages")
