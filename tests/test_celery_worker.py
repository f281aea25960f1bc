"""A real Celery worker, fed through the Redis broker, working on the test database.

The rest of the suite runs tasks eagerly (bureau/test_settings.py). These tests switch the
app to the broker, start `celery -A bureau worker` as a subprocess and wait for it to do
the work. A subprocess cannot see a test's open transaction, hence `transaction=True`, and
it cannot open SQLite's in-memory test database, hence the skip there: CI runs them on
PostgreSQL. Each test uses its own queue, so that parallel runs and stray workers never
take its messages.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from bureau import jobs
from bureau.celery import app as celery_app
from bureau.models import Job
from bureau.tasks import job_enqueue_periodic

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker to send tasks through"),
    pytest.mark.django_db(transaction=True),
]

WORKER_TIMEOUT = 60  # seconds for the worker to start and finish one small task


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.skip("SQLite's in-memory test database cannot be opened by a worker process")
        return f"sqlite:///{db['NAME']}"
    if connection.vendor != "postgresql":
        pytest.skip(f"no DATABASE_URL form for {connection.vendor}")
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue():
    """A queue of this test's own, with the app sending to the broker instead of eagerly."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = saved
    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        channel.queue_delete(name)
        # The Redis transport keeps the queue's auto-created exchange bindings in sets of their own.
        channel.client.delete(f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")


def queue_length(name):
    with celery_app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(queue=name).message_count


# Background-job timings, compressed for the tests: a heartbeat every second, a job without
# one for 4 seconds is taken back, a queued job not taken for 3 seconds is rung again.
FAST_JOBS = {"JOB_HEARTBEAT_SECONDS": 1, "JOB_STALE_SECONDS": 4, "JOB_RESEND_SECONDS": 3, "JOB_RETRY_SECONDS": 1}


class Worker:
    def __init__(self, queue, log_path, name=None, *, pool="solo", broker=None, env=None, also=()):
        self.queue = queue
        self.also = tuple(also)  # more queues it listens on (the PDF queue)
        self.log_path = log_path
        # Several workers may share a queue (to race for its messages): give each its own name.
        self.name = name or queue
        self.pool = pool
        self.broker = broker
        self.env = env or {}
        self.proc = None
        self.log = None

    def start(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bureau.settings",  # the real settings, as in production
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.broker or settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "worker-test-" + "k" * 50,
            # What the worker itself sends (a job's doorbell) stays on this test's queue.
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            **{name: str(value) for name, value in FAST_JOBS.items()},
            **self.env,
        }
        # "solo" runs tasks in the worker process itself; "prefork" in one pool child, which
        # a test may kill apart from the worker.
        pool = ["--pool=solo"] if self.pool == "solo" else ["--pool=prefork", "--concurrency=1"]
        cmd = [
            sys.executable, "-m", "celery", "-A", "bureau", "worker", *pool, "-Q", ",".join((self.queue, *self.also)),
            "-n", f"{self.name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel=INFO",
        ]
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd, cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )

    def children(self):
        """Process ids of the worker's pool children (prefork)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def kill(self):
        """SIGKILL the whole worker: no warm shutdown, no ack, no cleanup."""
        for pid in self.children():
            os.kill(pid, signal.SIGKILL)
        self.proc.kill()
        self.proc.wait()
        self.log.close()
        self.log = None

    def output(self):
        return Path(self.log_path).read_text(errors="replace")

    def wait_for_log(self, text):
        deadline = time.monotonic() + WORKER_TIMEOUT
        while time.monotonic() < deadline:
            out = self.output()
            if text in out:
                return out
            if self.proc.poll() is not None:
                pytest.fail(f"the worker exited with {self.proc.returncode}:\n{out}")
            time.sleep(0.2)
        pytest.fail(f"no {text!r} from the worker after {WORKER_TIMEOUT}s:\n{self.output()}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # warm shutdown: closes its database connection
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log:
            self.log.close()


@pytest.fixture
def worker(queue, tmp_path):
    w = Worker(queue, tmp_path / "worker.log")
    yield w
    # Stopped before pytest-django flushes or drops the test database it is connected to.
    w.stop()


def _session(key, *, expires_in):
    return Session.objects.create(session_key=key, session_data="", expire_date=timezone.now() + expires_in)


def test_worker_runs_the_nightly_cleanup_as_a_job(worker):
    _session("expired-1", expires_in=-timedelta(hours=1))
    _session("expired-2", expires_in=-timedelta(days=3))
    _session("live-1", expires_in=timedelta(hours=1))

    worker.start()
    # What beat sends at night: the job is stored, then run (and recovered) like any other.
    job_enqueue_periodic.delay("bureau.sessions_cleanup")

    deadline = time.monotonic() + WORKER_TIMEOUT
    while not Job.objects.filter(kind="bureau.sessions_cleanup", state=Job.State.DONE).exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the cleanup job did not finish:\n{worker.output()}")
        time.sleep(0.2)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live-1"]
    assert Job.objects.get(kind="bureau.sessions_cleanup").attempts == 1


def test_on_commit_enqueues_after_commit_only(worker, queue):
    _session("expired-1", expires_in=-timedelta(minutes=5))

    with transaction.atomic():
        jobs.job_enqueue(kind="bureau.sessions_cleanup")
        # Nothing reaches the broker while the transaction may still roll back.
        assert queue_length(queue) == 0
    assert queue_length(queue) == 1

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        jobs.job_enqueue(kind="bureau.sessions_cleanup", key="rolled-back")
        raise Rollback
    assert queue_length(queue) == 1  # the rolled-back transaction sent nothing, stored nothing
    assert Job.objects.count() == 1

    worker.start()
    worker.wait_for_log("succeeded")
    deadline = time.monotonic() + 10
    while (queue_length(queue) or Session.objects.exists()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert queue_length(queue) == 0
    assert not Session.objects.exists()
