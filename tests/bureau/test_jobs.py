"""The job kit without a worker: enqueue, claim, retry, give up, sweep, and the import job's
pages with the cache down. The same faults with a real worker process are in
tests/test_job_recovery.py."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from bureau import jobs
from bureau.models import ImportJob, Job
from bureau.sheets import jobs as sheet_jobs

Status = ImportJob.Status
calls = []


@jobs.handler("test.count", max_attempts=2, on_give_up=lambda job, reason: calls.append(("gave up", reason)))
def _count(job):
    calls.append(job.payload.get("n"))
    if job.payload.get("fail"):
        raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _clear():
    calls.clear()
    # Messages are asserted in their English source; the portal's default language is Chinese.
    with translation.override("en"):
        yield


@pytest.fixture
def rung(monkeypatch):
    """The broker's doorbell, recorded instead of sent (and whether it 'answered')."""
    sent = []
    answer = {"up": True}

    def send(job_id, kind):
        sent.append(job_id)
        return answer["up"]

    monkeypatch.setattr(jobs, "_send", send)
    return sent, answer


@pytest.mark.django_db
def test_a_job_is_stored_then_rung_on_commit_and_one_key_is_open_once(rung, django_capture_on_commit_callbacks):
    sent, _answer = rung
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = jobs.job_enqueue(kind="test.count", key="k1", payload={"n": 1})
        assert jobs.job_enqueue(kind="test.count", key="k1", payload={"n": 2}) == job
    assert len(callbacks) == 1 and sent == [job.pk]
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.sent_at is not None


@pytest.mark.django_db
def test_a_run_claims_once_and_records_the_outcome(rung):
    job = jobs.job_enqueue(kind="test.count", payload={"n": 7})
    assert jobs.job_run(job_id=job.pk) is True
    assert jobs.job_run(job_id=job.pk) is False  # delivered twice: nothing to claim
    job.refresh_from_db()
    assert (job.state, job.attempts, calls) == (Job.State.DONE, 1, [7])


@pytest.mark.django_db
def test_a_failed_run_is_given_back_then_given_up_with_a_reason(rung, settings):
    settings.JOB_RETRY_SECONDS = 30
    job = jobs.job_enqueue(kind="test.count", payload={"n": 1, "fail": True})
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.attempts == 1 and "boom" in job.last_error
    assert job.run_after > timezone.now() + datetime.timedelta(seconds=20)  # backed off
    assert jobs.job_run(job_id=job.pk) is False  # not due yet
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.attempts == 2
    assert calls[-1][0] == "gave up"


@pytest.mark.django_db
def test_the_sweep_takes_back_a_job_whose_heartbeat_stopped(rung):
    sent, _answer = rung
    job = jobs.job_enqueue(kind="test.count", payload={"n": 1})
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1, heartbeat_at=long_ago,
                                         claim="00000000-0000-0000-0000-000000000001")
    counts = jobs.jobs_sweep()
    assert counts == {"taken_back": 1, "given_up": 0, "rung": 1}
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and "stopped answering" in job.last_error
    assert sent == [job.pk]
    # The run that was taken back can no longer finish it.
    assert Job.objects.filter(pk=job.pk, claim="00000000-0000-0000-0000-000000000001").count() == 0
    assert jobs.job_run(job_id=job.pk) is True
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 2


@pytest.mark.django_db
def test_the_sweep_gives_up_after_the_last_attempt_and_tells_the_owner(rung):
    job = jobs.job_enqueue(kind="test.count", payload={"n": 1})
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=2,
                                         heartbeat_at=timezone.now() - datetime.timedelta(minutes=10))
    assert jobs.jobs_sweep()["given_up"] == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert calls and calls[-1][0] == "gave up"


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_leaves_the_job_queued_for_the_sweep(rung, django_capture_on_commit_callbacks):
    sent, answer = rung
    answer["up"] = False
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_enqueue(kind="test.count", payload={"n": 1})
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.sent_at is None
    assert jobs.jobs_sweep()["rung"] == 0  # still down: tried, not counted
    answer["up"] = True
    assert jobs.jobs_sweep()["rung"] == 1
    assert sent == [job.pk, job.pk, job.pk]
    assert jobs.jobs_sweep()["rung"] == 0  # rung a moment ago: not again until JOB_RESEND_SECONDS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sweeps at once need row locking")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_take_a_job_back_once(rung):
    job = jobs.job_enqueue(kind="test.count", payload={"n": 1})
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1,
                                         heartbeat_at=timezone.now() - datetime.timedelta(minutes=10))
    results, start = [], threading.Barrier(2)

    def sweep():
        try:
            start.wait(5)
            results.append(jobs.jobs_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sum(r["taken_back"] for r in results) == 1
    assert sum(r["rung"] for r in results) == 1


def _big_upload(staff_user, school, settings, rows=3):
    from tests.schools.test_imports import TEACHER, sheet, upload

    settings.IMPORT_ASYNC_ROW_THRESHOLD = 0
    records = [{**TEACHER, "staff_number": f"T{n:07d}"} for n in range(rows)]
    return sheet_jobs.import_job_create(kind="teachers", upload=upload(sheet("teachers", *records)), by=staff_user)


@pytest.mark.django_db
def test_an_import_step_given_up_fails_with_a_reason_and_a_retry(rung, staff_user, school, settings, media,
                                                                 django_capture_on_commit_callbacks):
    job = _big_upload(staff_user, school, settings)
    run = Job.objects.get(kind="sheets.validate")
    # Its worker died twice mid-validation, then a third time: the sweep gives up.
    ImportJob.objects.filter(pk=job.pk).update(status=Status.VALIDATING)
    Job.objects.filter(pk=run.pk).update(state=Job.State.RUNNING, attempts=run.max_attempts,
                                         heartbeat_at=timezone.now() - datetime.timedelta(minutes=10))
    jobs.jobs_sweep()
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.retry_step == "validate"
    state = sheet_jobs.import_job_state(job)
    assert state["can_retry"] and not state["running"]
    with django_capture_on_commit_callbacks(execute=True):
        sheet_jobs.import_job_retry(job=job, by=staff_user)
    retry = Job.objects.filter(kind="sheets.validate").latest("pk")
    assert retry.pk != run.pk and retry.state == Job.State.QUEUED
    jobs.job_run(job_id=retry.pk)
    job.refresh_from_db()
    assert job.status == Status.VALIDATED and job.retry_step == ""


@pytest.mark.django_db
def test_a_waiting_import_can_be_cancelled_and_its_queued_run_goes_with_it(rung, staff_user, school, settings, media):
    job = _big_upload(staff_user, school, settings)
    sheet_jobs.import_job_cancel(job=job, by=staff_user)
    job.refresh_from_db()
    assert job.status == Status.FAILED and "Cancelled" in job.message
    assert Job.objects.get(kind="sheets.validate").state == Job.State.FAILED


@pytest.mark.django_db
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": "redis://127.0.0.1:9/0"}})
def test_the_job_page_and_its_status_answer_with_the_cache_down(client, rung, staff_user, school, settings, media):
    job = _big_upload(staff_user, school, settings, rows=2)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.VALIDATING)
    client.force_login(staff_user)
    assert client.get(reverse("sheets:import_job", args=[job.pk])).status_code == 200
    status = client.get(reverse("sheets:import_job_status", args=[job.pk])).json()
    assert status["status"] == "validating" and status["processed"] == 0
    # A step reporting progress to a cache that does not answer goes on.
    jobs.progress_set("k", (1, 2))
    assert jobs.progress_get("k") is None


@pytest.mark.django_db
def test_a_confirmed_job_does_not_show_the_counts_of_its_validation(rung, staff_user, school, settings, media):
    job = _big_upload(staff_user, school, settings, rows=2)
    jobs.job_run(job_id=Job.objects.get(kind="sheets.validate").pk)
    job.refresh_from_db()
    assert job.status == Status.VALIDATED
    job = sheet_jobs.import_job_confirm(job=job, by=staff_user)
    assert sheet_jobs.job_progress(job) == (0, 2)


@pytest.mark.django_db
def test_a_stalled_run_says_so(rung, staff_user, school, settings, media):
    job = _big_upload(staff_user, school, settings, rows=2)
    run = Job.objects.get(kind="sheets.validate")
    ImportJob.objects.filter(pk=job.pk).update(status=Status.VALIDATING)
    Job.objects.filter(pk=run.pk).update(state=Job.State.RUNNING, attempts=1,
                                         heartbeat_at=timezone.now() - datetime.timedelta(minutes=5))
    job.refresh_from_db()
    assert sheet_jobs.import_job_state(job)["run"]["stalled"] is True


@jobs.handler("test.pdf", queue="pdf", soft_time_limit=30, time_limit=40)
def _render(job):
    calls.append("rendered")


@pytest.mark.django_db
def test_a_kind_with_its_own_queue_is_sent_there_with_its_time_limits(monkeypatch, django_capture_on_commit_callbacks):
    from celery import current_app

    current_app.loader.import_default_modules()
    sent = []
    task = current_app.tasks[jobs.RUN_TASK]
    monkeypatch.setattr(task, "apply_async", lambda args, **options: sent.append((args, options)))
    with django_capture_on_commit_callbacks(execute=True):
        pdf_job = jobs.job_enqueue(kind="test.pdf")
        plain_job = jobs.job_enqueue(kind="test.count")
    assert sent == [((pdf_job.pk,), {"queue": "pdf", "soft_time_limit": 30, "time_limit": 40}),
                    ((plain_job.pk,), {})]
