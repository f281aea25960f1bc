"""The load harness of the throughput benchmarks (bench_throughput.py: the home page and the
school list; bench_dashboard_load.py: the dashboards): gunicorn on loopback, a bounded load
from a second process, requests per second (and per core) and latency percentiles.

PostgreSQL only (a benchmark skips with a message otherwise). The demo district (80 schools,
about 1,500 classes and 4,000 teachers, `demo_data --scale district`) lives in its own
database, `bureau_load` on the server of DATABASE_URL (BENCH_LOAD_DB names another), built
once and reused while its demo marker says district scale. LOAD_SCALE=province (with
BENCH_LOAD_DB=bureau_bench, the snapshot benchmark's database) runs the same load on the
province: the same demo district, inside 19,950 schools.

The server is what production runs (gunicorn.conf.py: sync workers, DEBUG off, the
production middleware and headers), bound to 127.0.0.1 on a free port, with
WEB_CONCURRENCY workers (default 5, as in the measurement the issue quotes: 2 cores, 5
workers). It uses the Redis cache when REDIS_URL is set, as production does. The load comes
from this file run as a script in a second process: C keep-alive connections (C = 4 and 16)
each sending GET after GET for LOAD_SECONDS (default 10) after a warm-up, as a logged-in
district staff member (a session made in the database, the cookie the browser would send).
Every answer must be 200; each figure is the run of median throughput among LOAD_REPEAT
(3) runs, with the spread of the runs beside it: requests/s, requests/s per core
(os.cpu_count(), the server and the load share them) and the 50th/95th/99th percentile
latency.

Before the load, one request of each page is profiled in-process (cProfile through
django.test.Client) and its top functions by own time are printed: where the time goes.
BENCH_PROFILE=0 skips that.

A benchmark names its pages "module:function": a function returning [(name, path), ...],
called in the prepare process (it may read the database for the ids in its paths).
"""

import cProfile
import http.client
import io
import json
import os
import pstats
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path

import pytest

from tests.benchmarks.databases import database_url, ensure_database

ROOT = Path(__file__).resolve().parents[2]
BENCH_DB = os.environ.get("BENCH_LOAD_DB", "bureau_load")
SCALE = os.environ.get("LOAD_SCALE", "district")
SECONDS = float(os.environ.get("LOAD_SECONDS", "10"))
# Each figure is the median of this many runs: on a shared 2-core machine one run swings by ±20 %.
REPEAT = int(os.environ.get("LOAD_REPEAT", "3"))
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "5"))
CONCURRENCY = (4, 16)
USERNAME = "staff_basic"
SEED = 2026
# A hard ceiling, whatever LOAD_SECONDS says: the load always stops by itself.
MAX_REQUESTS_PER_RUN = 20_000


def _env(url):
    bench_url, config = database_url(url, BENCH_DB)
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "bureau.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "load-benchmark-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return env, config


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer on port {port} within {seconds} s")


def throughput(tmp_path, pages):
    """Load each page of `pages` ("module:function" returning [(name, path), ...], called in
    the prepare process, which has the database) under gunicorn; print one row per page and
    concurrency."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the load benchmark needs PostgreSQL: set DATABASE_URL=postgres://… "
                    "(it keeps the demo district in the database bureau_load)")
    env, config = _env(url)
    env["DJANGO_STATIC_ROOT"] = str(tmp_path / "static")  # collected by prepare, as the image does
    ensure_database(config, BENCH_DB)
    python = sys.executable
    # Data, the session cookie and the profiles, in a process of its own on bureau_load.
    prepared = subprocess.run([python, __file__, "prepare", pages], env=env, cwd=ROOT, capture_output=True, text=True)
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    lines = prepared.stdout.strip().splitlines()
    sys.stdout.write("".join(line + "\n" for line in lines[:-2]))
    resolved = json.loads(lines[-2].removeprefix("PAGES "))
    cookie = lines[-1].removeprefix("COOKIE ")
    port = _free_port()
    gunicorn = Path(python).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "bureau.wsgi", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--access-logfile", "/dev/null", "--max-requests", "0"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_for(port)
        print(f"\ngunicorn: {WORKERS} sync workers on 127.0.0.1:{port}; {os.cpu_count()} cores shared with the "
              f"load; each figure the median of {REPEAT} runs of {SECONDS:.0f} s after a warm-up (2 s, and an answer on every connection); as {USERNAME}.\n")
        width = max(12, *(len(name) for name, _path in resolved))
        header = f"  {'page':<{width}} {'conc.':>5} {'requests':>9} {'req/s':>7} {'req/s/core':>10} " \
                 f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}   {'req/s runs':>9}"
        print(header)
        print("  " + "-" * (len(header) - 2))
        for name, path in resolved:
            for concurrency in CONCURRENCY:
                runs = []
                for _ in range(REPEAT):
                    load = subprocess.run(
                        [python, __file__, "load", str(port), path, str(concurrency), cookie],
                        env=env, cwd=ROOT, capture_output=True, text=True, timeout=SECONDS * 3 + 60,
                    )
                    assert load.returncode == 0, load.stdout + load.stderr
                    runs.append(load.stdout.split())
                # The run of median throughput, and the spread of the throughput over the runs.
                runs.sort(key=lambda row: float(row[1]))
                count, rate, per_core, p50, p95, p99 = runs[len(runs) // 2]
                spread = f"{float(runs[0][1]):.0f}–{float(runs[-1][1]):.0f}"
                print(f"  {name:<{width}} {concurrency:>5} {count:>9} {rate:>7} {per_core:>10} {p50:>7} {p95:>7} {p99:>7}"
                      f"   {spread:>9}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


# ---- the subprocesses ----------------------------------------------------------------


def prepare(pages):
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bureau.demo import demo_data_load, demo_data_marker
    from bureau.models import User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    marker = demo_data_marker()
    if not (marker and marker["scale"] == SCALE):
        print(f"Building the {SCALE} scale demo data in {BENCH_DB}…", flush=True)
        demo_data_load(seed=SEED, scale=SCALE, reset=True, log=lambda m: None)
    module, function = pages.split(":")
    resolved = [list(page) for page in getattr(import_module(module), function)()]
    user = User.objects.get(username=USERNAME)
    # A logged-in browser's session, in the database the server reads.
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "bureau.backends.PortalBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    if os.environ.get("BENCH_PROFILE", "1") != "0":
        setup_test_environment()
        client = Client()
        client.force_login(user)
        for name, path in resolved:
            client.get(path)  # warm: templates, translations, the content types
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            response = client.get(path)
            profiler.disable()
            took = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (path, response.status_code)
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("tottime").print_stats(12)
            lines = [line for line in out.getvalue().splitlines() if line.strip()]
            print(f"\nProfile of one {name} request ({path}, {took:.0f} ms under cProfile, "
                  f"{len(response.content) / 1024:.0f} KB), top functions by own time:")
            start_at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
            for line in lines[start_at:start_at + 13]:
                print("    " + _short(line))
    print("PAGES " + json.dumps(resolved, ensure_ascii=False))
    print("COOKIE " + cookie)


def _short(line):
    # Paths of the checkout and of site-packages say nothing a reader needs.
    for prefix in (str(ROOT) + "/", sys.prefix + "/lib/python3.11/site-packages/", sys.base_prefix + "/lib/python3.11/"):
        line = line.replace(prefix, "")
    return line


def load(port, path, concurrency, cookie):
    """C threads, each one keep-alive connection: GET after GET for SECONDS; prints one row."""
    headers = {"Cookie": cookie, "Accept-Language": "zh-hans", "Host": "127.0.0.1"}
    latencies = [[] for _ in range(concurrency)]
    failures = []
    stop = threading.Event()
    counting = threading.Event()
    budget = threading.Semaphore(MAX_REQUESTS_PER_RUN)

    warmed = [threading.Event() for _ in range(concurrency)]

    def worker(index):
        # A cold worker's first answer (imports, templates, translations) can take tens of
        # seconds on a loaded machine: the timeout is for a server that stopped answering.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = latencies[index]
        while not stop.is_set() and budget.acquire(blocking=False):
            counted = counting.is_set()  # only requests begun after the warm-up count
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except OSError as error:  # a timeout: the server is saturated, say so and stop
                failures.append(type(error).__name__)
                stop.set()
                break
            took = time.perf_counter() - start
            if response.status != 200:
                failures.append(response.status)
                stop.set()
            warmed[index].set()
            if counted:
                mine.append(took)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(2)  # warm-up: every connection has had an answer, every worker its caches
    for event in warmed:
        event.wait(timeout=120)
    counting.set()
    began = time.perf_counter()
    time.sleep(SECONDS)
    stop.set()
    elapsed = time.perf_counter() - began
    for thread in threads:
        thread.join(timeout=35)
    if failures:
        print(f"answers other than 200: {sorted(set(failures))}")
        sys.exit(1)
    times = sorted(t * 1000 for mine in latencies for t in mine)
    count = len(times)
    if count < 2:
        print(f"{count} answers in {elapsed:.0f} s: too few for percentiles")
        sys.exit(1)
    rate = count / elapsed
    cuts = statistics.quantiles(times, n=100)
    print(f"{count:>9} {rate:>7.1f} {rate / os.cpu_count():>10.1f} {cuts[49]:>7.0f} {cuts[94]:>7.0f} {cuts[98]:>7.0f}")


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2])
    else:
        load(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5])
