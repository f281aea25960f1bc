"""A large spreadsheet import goes through a real Celery worker, end to end.

Uses the worker harness of tests/test_celery_worker.py: the app sends to the Redis broker,
`celery -A bureau worker` runs as a subprocess on the test database (PostgreSQL only,
`transaction=True`, each test its own queue). The worker reads its settings from the
environment, so the uploaded files' folder and the async threshold are given to it there
as well as to this process.

The job is followed on its ImportJob row (what the worker commits), never on the cache.
"""

# ruff: noqa: F811

import io
import re
import time

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from bureau.models import AuditLog, ImportJob, Job
from bureau.sheets import jobs
from bureau.tasks import job_run
from schools.models import Teacher
from schools.resources import TeacherResource

# The harness's fixtures `queue` and `worker`, imported so that pytest finds them here (and
# then named as test arguments, which ruff takes for redefinitions).
from tests.test_celery_worker import Worker, _database_url, queue, queue_length, worker  # noqa: F401

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker to send tasks through"),
    pytest.mark.django_db(transaction=True),
]

THRESHOLD = 5  # rows above which a file is validated and imported by the worker
ROWS = 40
JOB_TIMEOUT = 60  # seconds for the worker to start and finish one step of a job
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TASK = "bureau.tasks.job_run"


@pytest.fixture(autouse=True)
def worker_settings(settings, tmp_path, monkeypatch):
    """The same media folder and threshold here and in the worker subprocess (its env)."""
    _database_url()  # skips at once where a worker cannot open the test database (SQLite in memory)
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.IMPORT_ASYNC_ROW_THRESHOLD = THRESHOLD
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(media))
    monkeypatch.setenv("IMPORT_ASYNC_ROW_THRESHOLD", str(THRESHOLD))


@pytest.fixture
def second_worker(queue, tmp_path):
    w = Worker(queue, tmp_path / "worker-2.log", name=f"{queue}-2")
    yield w
    w.stop()


def teachers_xlsx(school, count=ROWS):
    """A teachers file in the import resource's own format (its Chinese headers)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(TeacherResource.headers())
    fields = [name for name, _field in TeacherResource.ordered_fields()]
    for n in range(count):
        record = {
            "staff_number": f"W{n:07d}", "name": f"教师{n}", "gender": "女", "birth_date": "1990-01-02",
            "school": school.code, "subject": "语文", "education": "本科", "status": "在岗",
        }
        sheet.append([record.get(name) for name in fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("大批教师.xlsx", buffer.getvalue(), content_type=XLSX_TYPE)


def wait_for_job(job, *waiting, workers):
    """Poll the job's row until its status leaves `waiting`; returns the fresh row."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status not in waiting:
            return job
        for w in workers:
            if w.proc is not None and w.proc.poll() is not None:
                pytest.fail(f"a worker exited with {w.proc.returncode}:\n{w.output()}")
        time.sleep(0.2)
    logs = "\n\n".join(w.output() for w in workers)
    pytest.fail(f"job {job.pk} still {job.status} after {JOB_TIMEOUT}s:\n{logs}")


def task_results(*workers):
    """What each run of the import task returned, as the workers logged it."""
    pattern = re.compile(rf"{re.escape(TASK)}\[[^\]]+\] succeeded in [\d.]+s: (\w+)")
    return sorted(result for w in workers for result in pattern.findall(w.output()))


def wait_for_results(count, *workers):
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        results = task_results(*workers)
        if len(results) >= count:
            return results
        time.sleep(0.2)
    pytest.fail(f"fewer than {count} task runs logged:\n" + "\n\n".join(w.output() for w in workers))


def imported_audit_rows():
    return AuditLog.objects.filter(action=AuditLog.Action.IMPORT).count()


def test_large_file_is_validated_and_imported_by_the_worker(worker, queue, client, staff_user, school):
    client.force_login(staff_user)

    # Upload: the job is stored and its task sent only once the transaction commits.
    with transaction.atomic():
        job = jobs.import_job_create(kind="teachers", upload=teachers_xlsx(school), by=staff_user)
        assert queue_length(queue) == 0
    assert queue_length(queue) == 1
    job.refresh_from_db()
    assert job.run_async and job.status == ImportJob.Status.PENDING
    # Until a worker takes it, the page shows a job waiting, which polls its status.
    page = client.get(reverse("sheets:import_job", args=[job.pk])).content.decode()
    assert 'data-status-url="{}"'.format(reverse("sheets:import_job_status", args=[job.pk])) in page

    # The worker validates the file.
    worker.start()
    job = wait_for_job(job, ImportJob.Status.PENDING, ImportJob.Status.VALIDATING, workers=[worker])
    assert job.status == ImportJob.Status.VALIDATED, (job.status, job.message, job.errors[:5])
    assert job.counts == {"new": ROWS, "update": 0, "unchanged": 0}
    assert (job.processed_rows, job.total_rows) == (ROWS, ROWS)
    assert Teacher.objects.count() == 0  # the preview writes nothing

    # The staff member confirms on the page; the worker imports.
    response = client.post(reverse("sheets:import_job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job = wait_for_job(job, ImportJob.Status.CONFIRMED, ImportJob.Status.IMPORTING, workers=[worker])
    assert job.status == ImportJob.Status.DONE, (job.status, job.message, job.errors[:5])
    assert job.processed_rows == job.total_rows == ROWS
    assert job.counts == {"new": ROWS, "update": 0, "unchanged": 0}
    assert job.confirmed_by == staff_user and job.finished_at is not None

    numbers = set(Teacher.objects.filter(school=school).values_list("staff_number", flat=True))
    assert numbers == {f"W{n:07d}" for n in range(ROWS)}
    assert imported_audit_rows() == ROWS
    assert wait_for_results(2, worker) == ["True", "True"]  # one run to validate, one to import

    status = client.get(reverse("sheets:import_job_status", args=[job.pk])).json()
    assert status == {
        "status": "done", "status_label": job.get_status_display(), "running": False,
        "processed": ROWS, "total": ROWS, "percent": 100, "run": None, "can_retry": False,
    }
    runs = Job.objects.filter(key__startswith=f"import:{job.pk}:").order_by("pk")
    assert [(r.kind, r.state, r.attempts) for r in runs] == [("sheets.validate", "done", 1), ("sheets.import", "done", 1)]


def test_task_delivered_twice_imports_once(worker, second_worker, queue, staff_user, school):
    job = jobs.import_job_create(kind="teachers", upload=teachers_xlsx(school), by=staff_user)
    worker.start()
    second_worker.start()
    job = wait_for_job(job, ImportJob.Status.PENDING, ImportJob.Status.VALIDATING, workers=[worker, second_worker])
    assert job.status == ImportJob.Status.VALIDATED, (job.status, job.message, job.errors[:5])
    worker.wait_for_log(" ready.")
    second_worker.wait_for_log(" ready.")

    # Confirmed, and the task sent a second time (an at-least-once broker redelivering, a
    # double click): two idle workers take the two messages at once and race for the job.
    with transaction.atomic():
        jobs.import_job_confirm(job=job, by=staff_user)
        run = Job.objects.get(kind="sheets.import")
        transaction.on_commit(lambda: job_run.delay(run.pk))
    job = wait_for_job(job, ImportJob.Status.CONFIRMED, ImportJob.Status.IMPORTING, workers=[worker, second_worker])
    assert job.status == ImportJob.Status.DONE, (job.status, job.message, job.errors[:5])
    # Validation, the import, and the duplicate that found nothing to claim.
    assert wait_for_results(3, worker, second_worker) == ["False", "True", "True"]
    assert Teacher.objects.count() == ROWS
    assert imported_audit_rows() == ROWS

    # Run once more, here and by a worker, after the job is done: nothing happens.
    assert job_run(run.pk) is False
    job_run.delay(run.pk)
    assert wait_for_results(4, worker, second_worker) == ["False", "False", "True", "True"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.counts == {"new": ROWS, "update": 0, "unchanged": 0}
    assert job.processed_rows == job.total_rows == ROWS
    assert Teacher.objects.count() == ROWS
    assert imported_audit_rows() == ROWS
