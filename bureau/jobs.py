"""Background jobs that recover by themselves: the row is the truth, the broker only a doorbell.

Every piece of background work (a spreadsheet's validation and import, the nightly purges,
later reminders, snapshots and reports) is a `Job` row:

- `job_enqueue` stores the row, and rings the workers (a Celery message) once the
  transaction commits. If the broker does not answer, the row stays queued and the page
  says so; nothing is lost and nobody sees a 500.
- `job_run` (what the Celery task does) claims the job with a conditional UPDATE, so one run
  at a time works on it whatever the broker delivers, and keeps a heartbeat in the row from
  a thread of its own while the handler works.
- A failed run is given back with a back-off until its attempts are used up; then the job
  fails with a reason in Chinese and its handler's `on_give_up` lets the owner offer a retry.
- `jobs_sweep`, run by beat every minute, takes back a job whose heartbeat stopped (its
  worker was killed, its pool child died, its connection hung) and rings again for a queued
  job the broker lost. Every step is a conditional UPDATE, so two sweeps at once (two beat
  processes by mistake) do each thing once.

So recovery does not wait for the broker's visibility timeout, and a job whose worker was
killed finishes or says it failed within JOB_STALE_SECONDS plus one sweep and a run.
"""

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.models import Job

logger = logging.getLogger(__name__)

State = Job.State
RUN_TASK = "bureau.tasks.job_run"


@dataclass(frozen=True)
class Handler:
    kind: str
    run: object  # callable(job) -> None; raising gives the run back for a retry
    max_attempts: int = 3
    on_give_up: object = None  # callable(job, reason): the owner records the failure
    # The Celery queue its runs go to ("" = the default queue; or a callable answering it
    # when a run is sent, so that it follows the settings) and the time limits of a run:
    # past `soft_time_limit` seconds the handler is interrupted and the run given back; past
    # `time_limit` its worker child is killed and the sweep takes the job back.
    queue: object = ""
    soft_time_limit: int | None = None
    time_limit: int | None = None


_HANDLERS = {}


def handler(kind, *, max_attempts=3, on_give_up=None, queue="", soft_time_limit=None, time_limit=None):
    """Register the decorated `(job) -> None` as the handler of a kind of job."""

    def register(function):
        _HANDLERS[kind] = Handler(kind, function, max_attempts, on_give_up, queue, soft_time_limit, time_limit)
        return function

    return register


def handler_for(kind):
    return _HANDLERS[kind]


def _seconds(name, default):
    return timedelta(seconds=getattr(settings, name, default))


# ---- enqueue and ring ---------------------------------------------------------------------


def job_enqueue(*, kind, payload=None, key="", delay=None):
    """Store a job and ring the workers once the transaction commits.

    With `key`, at most one job per key is open: enqueuing work that is already queued or
    running returns that job. `delay` (a timedelta) holds the job back that long.
    """
    spec = handler_for(kind)
    if key:
        open_job = Job.objects.filter(key=key, state__in=Job.OPEN).first()
        if open_job is not None:
            return open_job
    now = timezone.now()
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind, key=key, payload=payload or {}, max_attempts=spec.max_attempts,
                run_after=now + (delay or timedelta(0)),
            )
    except IntegrityError:
        # Another request enqueued the same key a moment ago: that job does the work.
        return Job.objects.get(key=key, state__in=Job.OPEN)
    if delay is None:
        transaction.on_commit(lambda: job_ring(job_id=job.pk))
    return job


def _send(job_id, kind):
    """Put a message on the broker, on the queue of the job's kind; False when the broker
    does not answer."""
    from celery import current_app
    from kombu.exceptions import OperationalError as BrokerError

    tasks = current_app.tasks
    if RUN_TASK not in tasks:
        # A web process imports no task module by itself: let Celery find them, as a
        # worker does at start. The task runs in-process when Celery is eager.
        current_app.loader.import_default_modules()
    spec = _HANDLERS.get(kind)
    options = {}
    if spec is not None:
        queue = spec.queue() if callable(spec.queue) else spec.queue
        options = {name: value for name, value in (
            ("queue", queue), ("soft_time_limit", spec.soft_time_limit), ("time_limit", spec.time_limit),
        ) if value}
    try:
        tasks[RUN_TASK].apply_async((job_id,), **options)
    except (BrokerError, OSError) as exc:
        logger.warning("job %s: the broker did not take the message (%s); the sweep rings again", job_id, exc)
        return False
    return True


def job_ring(*, job_id):
    """Ring the workers for one queued job. A broker that does not answer leaves the job
    marked as not sent, so the next sweep rings again as soon as the broker is back."""
    now = timezone.now()
    Job.objects.filter(pk=job_id, state=State.QUEUED).update(sent_at=now)
    kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first()
    if not _send(job_id, kind):
        Job.objects.filter(pk=job_id, state=State.QUEUED, sent_at=now).update(sent_at=None)
        return False
    return True


# ---- run ------------------------------------------------------------------------------------


class _Heartbeat:
    """While a handler works, a thread of its own writes the job's heartbeat every few
    seconds, on its own database connection: the handler's long transaction (an import is
    one) cannot hide it, and it stops with the process if the worker is killed."""

    def __init__(self, job_id, claim):
        self.job_id, self.claim = job_id, claim
        self.stop = threading.Event()
        self.thread = None

    def beat(self):
        return Job.objects.filter(pk=self.job_id, claim=self.claim).update(heartbeat_at=timezone.now())

    def _loop(self):
        interval = getattr(settings, "JOB_HEARTBEAT_SECONDS", 10)
        try:
            while not self.stop.wait(interval):
                try:
                    self.beat()
                except Exception:  # a lost connection: try again at the next beat
                    logger.warning("job %s: heartbeat not written", self.job_id, exc_info=True)
                    connection.close()
        finally:
            connection.close()

    def __enter__(self):
        # Eager Celery (the embedded demo, most tests) runs the job inside the request: no
        # worker can die apart from the web process, and SQLite would only be contended.
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self.thread = threading.Thread(target=self._loop, name=f"job-{self.job_id}-heartbeat", daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=5)


def job_run(*, job_id):
    """Run one job if this caller wins it; False when there is nothing to do (it is done,
    running elsewhere, or not due). Safe to call any number of times."""
    now = timezone.now()
    claim = uuid.uuid4()
    won = Job.objects.filter(pk=job_id, state=State.QUEUED, run_after__lte=now).update(
        state=State.RUNNING, claim=claim, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
    )
    if not won:
        return False
    job = Job.objects.get(pk=job_id)
    spec = handler_for(job.kind)
    with _Heartbeat(job_id, claim):
        try:
            spec.run(job)
        except Exception as exc:
            _run_failed(job, claim, exc)
            return True
    Job.objects.filter(pk=job_id, claim=claim).update(
        state=State.DONE, claim=None, finished_at=timezone.now(), heartbeat_at=timezone.now(),
    )
    return True


def _backoff(attempts):
    base = getattr(settings, "JOB_RETRY_SECONDS", 30)
    return timedelta(seconds=min(600, base * 2 ** max(0, attempts - 1)))


def _run_failed(job, claim, exc):
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database went away under the handler: give the job back on a fresh connection.
        connection.close()
    logger.warning("job %s (%s): attempt %s failed", job.pk, job.kind, job.attempts, exc_info=exc)
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if job.attempts < job.max_attempts:
        Job.objects.filter(pk=job.pk, claim=claim).update(
            state=State.QUEUED, claim=None, sent_at=None, run_after=timezone.now() + _backoff(job.attempts),
            last_error=error,
        )
        return
    _give_up(job, claim, _("The job failed %(n)s times and was stopped.") % {"n": job.attempts}, error)


def _give_up(job, claim, reason, error=""):
    """Fail a job for good (conditional on the run that holds it), then tell its owner."""
    failed = Job.objects.filter(pk=job.pk, state=State.RUNNING, claim=claim).update(
        state=State.FAILED, claim=None, finished_at=timezone.now(), last_error=(error or reason)[:2000],
    )
    spec = _HANDLERS.get(job.kind)
    if failed and spec is not None and spec.on_give_up is not None:
        spec.on_give_up(job, reason)
    return bool(failed)


def job_cancel(*, key, reason):
    """Stop the open job of `key` before a worker takes it (its owner was cancelled)."""
    return Job.objects.filter(key=key, state=State.QUEUED).update(
        state=State.FAILED, finished_at=timezone.now(), last_error=reason[:2000],
    )


# ---- the sweep ------------------------------------------------------------------------------


def jobs_sweep(*, now=None):
    """Take back jobs whose worker stopped, ring again for queued jobs the broker lost.

    Returns {"taken_back", "given_up", "rung"}. Every change is conditional on what the sweep
    read, so a sweep running twice at the same moment does each thing once.
    """
    now = now or timezone.now()
    stale = now - _seconds("JOB_STALE_SECONDS", 120)
    counts = {"taken_back": 0, "given_up": 0, "rung": 0}
    for job in Job.objects.filter(state=State.RUNNING, heartbeat_at__lt=stale).order_by("pk")[:200]:
        if job.attempts < job.max_attempts:
            counts["taken_back"] += Job.objects.filter(
                pk=job.pk, state=State.RUNNING, claim=job.claim, heartbeat_at=job.heartbeat_at,
            ).update(
                state=State.QUEUED, claim=None, sent_at=None, run_after=now,
                last_error=_("The worker running this job stopped answering; the job runs again."),
            )
        else:
            counts["given_up"] += _give_up(
                job, job.claim,
                _("The worker running this job stopped answering %(n)s times; the job was stopped.")
                % {"n": job.attempts},
            )
    resend = now - _seconds("JOB_RESEND_SECONDS", 120)
    not_rung = Q(sent_at__isnull=True) | Q(sent_at__lt=resend)
    due = Job.objects.filter(not_rung, state=State.QUEUED, run_after__lte=now).values_list("pk", "kind")[:500]
    for job_id, kind in due:
        # Mark first, conditionally: of two sweeps, one rings.
        if Job.objects.filter(not_rung, pk=job_id, state=State.QUEUED).update(sent_at=now):
            if _send(job_id, kind):
                counts["rung"] += 1
            else:
                Job.objects.filter(pk=job_id, state=State.QUEUED, sent_at=now).update(sent_at=None)
                break  # the broker is down: the next sweep tries again
    return counts


def job_status(job, *, now=None):
    """How a job stands, for the pages: its state, and whether it looks stalled (a running
    job without heartbeat, or a queued one no worker has taken for a while)."""
    if job is None:
        return None
    now = now or timezone.now()
    stalled = False
    if job.state == State.RUNNING and job.heartbeat_at:
        stalled = job.heartbeat_at < now - _seconds("JOB_STALE_SECONDS", 120)
    elif job.state == State.QUEUED:
        stalled = job.run_after < now - _seconds("JOB_RESEND_SECONDS", 120)
    return {
        "state": job.state, "attempts": job.attempts, "max_attempts": job.max_attempts, "stalled": stalled,
        "retrying": job.state == State.QUEUED and job.attempts > 0, "not_sent": job.sent_at is None,
    }


# ---- progress: a convenience read from the cache -------------------------------------------


def progress_set(key, value, timeout=3600):
    """Report progress through the cache. A cache (Redis) that does not answer is not the
    job's problem: progress is a convenience, the row is the truth."""
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.info("progress %s not written: the cache does not answer", key)


def progress_get(key):
    try:
        return cache.get(key)
    except Exception:
        return None


def progress_clear(key):
    try:
        cache.delete(key)
    except Exception:
        logger.info("progress %s not cleared: the cache does not answer", key)
