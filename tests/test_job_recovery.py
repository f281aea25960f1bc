"""Faults that a background job must survive, each with a real worker process.

Every case ends with the import done exactly once (the right number of teachers and of
audit rows), or failed with a Chinese reason and a retry the user can press, within the
sweep's period. Time is compressed (tests/test_celery_worker.py FAST_JOBS: heartbeat 1 s,
stale after 4 s, resend after 3 s), and this test plays beat: it runs the sweep every half
second, as beat would every minute.

PostgreSQL and a Redis only (the worker opens the test database); the broker faults use a
Redis server of the test's own, so that stopping it disturbs nobody else.
"""

# ruff: noqa: F811

import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from bureau import jobs as background
from bureau.celery import app as celery_app
from bureau.models import AuditLog, ImportJob, Job
from bureau.sheets import jobs
from schools.models import Teacher
from schools.resources import TeacherResource
from tests.test_celery_worker import FAST_JOBS, Worker, _database_url, queue, worker  # noqa: F401

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker to send tasks through"),
    pytest.mark.django_db(transaction=True),
]

Status = ImportJob.Status
# Big enough that a step takes a few seconds on PostgreSQL, so that it can be interrupted.
ROWS = 6000
SMALL = 300  # where no step needs to be interrupted (the broker faults between steps)
# Validation is quicker than the import: twice the rows, so that a kill as soon as the run
# is seen at work lands in its middle (with 6,000 it sometimes finished first).
VALIDATE_ROWS = 2 * ROWS
DEADLINE = 90  # seconds for a job to recover and finish after a fault


@pytest.fixture(autouse=True)
def fast_jobs(settings, tmp_path, monkeypatch):
    _database_url()
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.IMPORT_ASYNC_ROW_THRESHOLD = 5
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(media))
    monkeypatch.setenv("IMPORT_ASYNC_ROW_THRESHOLD", "5")
    for name, value in FAST_JOBS.items():
        setattr(settings, name, value)


def teachers_csv(school, count=ROWS):
    headers = TeacherResource.headers()
    fields = [name for name, _field in TeacherResource.ordered_fields()]
    lines = [",".join(headers)]
    for n in range(count):
        record = {
            "staff_number": f"R{n:07d}", "name": f"教师{n}", "gender": "女", "birth_date": "1990-01-02",
            "school": school.code, "subject": "语文", "education": "本科", "status": "在岗",
        }
        lines.append(",".join(str(record.get(name) or "") for name in fields))
    return SimpleUploadedFile("教师.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def wait(condition, what, *workers, timeout=DEADLINE, sweep=True, every=0.5):
    """Poll `condition()` (running the sweep, as beat would) every `every` seconds until true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sweep:
            background.jobs_sweep()
        value = condition()
        if value:
            return value
        time.sleep(every)
    logs = "\n\n".join(w.output() for w in workers if w.log_path.exists())
    runs = list(Job.objects.values_list("kind", "state", "attempts", "last_error"))
    pytest.fail(f"not {what} after {timeout}s; jobs: {runs}\n{logs[-6000:]}")


def status_is(job, *statuses):
    def check():
        job.refresh_from_db()
        return job.status in statuses
    return check


def run_of(job, step):
    return Job.objects.get(key=jobs.step_key(job.pk, step))


def running(job, step):
    """The step's run holds the job and has been at work for a moment."""
    def check():
        run = Job.objects.filter(key=jobs.step_key(job.pk, step), state=Job.State.RUNNING).first()
        job.refresh_from_db()
        return run is not None and job.status in (Status.VALIDATING, Status.IMPORTING)
    return check


def writing_teachers():
    """Another connection is inside a transaction that has written, writing teachers: the
    import, mid-write (its rows are invisible here until it commits)."""
    def check():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND query ILIKE %s",
                ['INSERT INTO "schools_teacher"%'],
            )
            return cursor.fetchone()[0] > 0
    return check


def imported_once(school, rows=ROWS):
    assert Teacher.objects.filter(school=school).count() == rows
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT).count() == rows


def validated_then_imported(job, school, *workers, rows=ROWS):
    wait(status_is(job, Status.VALIDATED, Status.FAILED), "validated", *workers)
    assert job.status == Status.VALIDATED, (job.status, job.message)
    jobs.import_job_confirm(job=job, by=job.created_by)
    wait(status_is(job, Status.DONE, Status.FAILED), "imported", *workers)
    assert job.status == Status.DONE, (job.status, job.message)
    imported_once(school, rows)


@pytest.fixture
def prefork_worker(queue, tmp_path):
    w = Worker(queue, tmp_path / "prefork.log", pool="prefork")
    yield w
    w.stop()


def test_pool_child_killed_during_validation(prefork_worker, staff_user, school):
    """Celery requeues the message at once and the redelivered run finds the job held; the
    sweep takes it back when the heartbeat stops, and it is validated once."""
    job = jobs.import_job_create(kind="teachers", upload=teachers_csv(school, VALIDATE_ROWS), by=staff_user)
    prefork_worker.start()
    wait(running(job, "validate"), "validating", prefork_worker, sweep=False)
    children = prefork_worker.children()
    assert children, prefork_worker.output()
    subprocess.run(["kill", "-9", *map(str, children)], check=True)
    assert not status_is(job, Status.VALIDATED)(), "validation ended before the kill: nothing was interrupted"
    validated_then_imported(job, school, prefork_worker, rows=VALIDATE_ROWS)
    assert run_of(job, "validate").attempts == 2


def test_whole_worker_killed_during_import_then_a_fresh_worker(worker, queue, tmp_path, staff_user, school):
    """Nothing is written by the killed import (one transaction); the sweep takes the step
    back and a fresh worker imports once."""
    job = jobs.import_job_create(kind="teachers", upload=teachers_csv(school), by=staff_user)
    worker.start()
    wait(status_is(job, Status.VALIDATED), "validated", worker)
    jobs.import_job_confirm(job=job, by=staff_user)
    wait(running(job, "import"), "importing", worker, sweep=False)
    # Kill it mid-write: once it is seen inserting teachers, not after a fixed pause (on an
    # idle machine the whole import fitted in the second the test used to wait).
    wait(writing_teachers(), "writing teachers", worker, sweep=False, every=0.02)
    worker.kill()
    job.refresh_from_db()
    assert job.status != Status.DONE, "the import ended before the kill: nothing was interrupted"
    assert Teacher.objects.count() == 0
    fresh = Worker(queue, tmp_path / "fresh.log", name=f"{queue}-fresh")
    try:
        fresh.start()
        wait(status_is(job, Status.DONE, Status.FAILED), "imported", fresh)
        assert job.status == Status.DONE, (job.status, job.message)
        imported_once(school)
        assert run_of(job, "import").attempts == 2
    finally:
        fresh.stop()


def test_database_connection_lost_during_validation(worker, staff_user, school):
    """The run fails on a dead connection, gives the job back on a fresh one, and the next
    attempt validates it."""
    job = jobs.import_job_create(kind="teachers", upload=teachers_csv(school, VALIDATE_ROWS), by=staff_user)
    worker.start()
    wait(running(job, "validate"), "validating", worker, sweep=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    assert not status_is(job, Status.VALIDATED)(), "validation ended before the connection was cut"
    validated_then_imported(job, school, worker, rows=VALIDATE_ROWS)
    assert run_of(job, "validate").attempts >= 2


def test_every_attempt_lost_ends_failed_with_a_reason_and_a_retry(client, worker, staff_user, school):
    """A worker killed at every attempt: after the last one the job fails in Chinese and the
    user's retry runs it."""
    job = jobs.import_job_create(kind="teachers", upload=teachers_csv(school), by=staff_user)
    run = run_of(job, "validate")
    for attempt in range(1, run.max_attempts + 1):
        worker.start()
        wait(lambda attempt=attempt: Job.objects.filter(pk=run.pk, attempts=attempt, state="running").exists(),
             f"attempt {attempt} running", worker, sweep=attempt > 1)
        worker.kill()
    wait(status_is(job, Status.FAILED), "failed", worker)
    assert job.retry_step == "validate"
    with override_settings(LANGUAGE_CODE="zh-hans"):
        client.force_login(staff_user)
        page = client.get(reverse("sheets:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "重试" in page.content.decode()
    worker.start()
    client.post(reverse("sheets:import_job_retry", args=[job.pk]))
    validated_then_imported(job, school, worker)


# ---- the broker goes away: a Redis of the test's own ------------------------------------------


class PrivateRedis:
    def __init__(self, tmp_path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        pytest.fail("the test's Redis did not start")

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def broker(queue, tmp_path, settings):
    """This process and the worker talk to a Redis that the test may stop and start."""
    redis = PrivateRedis(tmp_path)
    redis.start()
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis.url
    celery_app._after_fork()  # drop the pooled connections to the shared Redis
    yield redis
    redis.stop()
    celery_app.conf.broker_url = saved
    celery_app._after_fork()


@pytest.fixture
def broker_worker(queue, tmp_path, broker):
    w = Worker(queue, tmp_path / "broker-worker.log", broker=broker.url)
    yield w
    w.stop()


def test_broker_down_at_upload_then_back(client, broker, broker_worker, staff_user, school):
    broker.stop()
    client.force_login(staff_user)
    response = client.post(reverse("sheets:import_upload"), {"kind": "teachers", "file": teachers_csv(school, SMALL)})
    assert response.status_code == 302  # stored and queued, not a 500
    job = ImportJob.objects.get()
    assert job.status == Status.PENDING
    run = run_of(job, "validate")
    assert run.state == Job.State.QUEUED and run.sent_at is None
    page = client.get(response.url)
    assert page.status_code == 200
    status = client.get(reverse("sheets:import_job_status", args=[job.pk])).json()
    assert status["run"]["not_sent"] is True
    broker.start()
    broker_worker.start()
    validated_then_imported(job, school, broker_worker, rows=SMALL)


def test_broker_down_at_confirm_then_back(client, broker, broker_worker, staff_user, school):
    job = jobs.import_job_create(kind="teachers", upload=teachers_csv(school, SMALL), by=staff_user)
    broker_worker.start()
    wait(status_is(job, Status.VALIDATED), "validated", broker_worker)
    broker_worker.stop()
    broker.stop()
    client.force_login(staff_user)
    response = client.post(reverse("sheets:import_job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Status.CONFIRMED
    # Confirming again is refused with a message, not a second import.
    client.post(reverse("sheets:import_job_confirm", args=[job.pk]))
    assert Job.objects.filter(kind="sheets.import").count() == 1
    broker.start()
    broker_worker.start()
    wait(status_is(job, Status.DONE, Status.FAILED), "imported", broker_worker)
    assert job.status == Status.DONE, job.message
    imported_once(school, SMALL)


def test_a_redis_blip_mid_import_does_not_fail_it(broker, broker_worker, staff_user, school):
    """Progress goes to the cache (the same Redis): writes that fail there are skipped."""
    job = jobs.import_job_create(kind="teachers", upload=teachers_csv(school), by=staff_user)
    broker_worker.start()
    wait(status_is(job, Status.VALIDATED), "validated", broker_worker)
    jobs.import_job_confirm(job=job, by=staff_user)
    wait(running(job, "import"), "importing", broker_worker, sweep=False)
    broker.stop()
    time.sleep(2)
    broker.start()
    wait(status_is(job, Status.DONE, Status.FAILED), "imported", broker_worker)
    assert job.status == Status.DONE, job.message
    imported_once(school)
