"""Celery tasks. Thin: the work and its recovery live in bureau/jobs.py and the handlers.

Every background job runs through one task, `job_run`, which the job kit sends by name when
a job is queued; beat runs `jobs_sweep` every minute and enqueues the nightly jobs. A task
raises nothing the broker should redeliver: the job's row says what happened, and the sweep
takes a job back when its run stopped.
"""

from celery import shared_task

from bureau import jobs
from bureau.sheets import jobs as sheet_jobs


@shared_task(acks_late=True)
def job_run(job_id):
    """Run one background job if it is due and nobody else runs it (safe to deliver twice)."""
    return jobs.job_run(job_id=job_id)


@shared_task
def jobs_sweep():
    """Every minute (beat): take back jobs whose worker stopped; ring again for lost ones."""
    return jobs.jobs_sweep()


@shared_task
def job_enqueue_periodic(kind):
    """Beat's doorbell for a nightly job: the job itself runs (and recovers) like any other,
    at most one open per kind."""
    return jobs.job_enqueue(kind=kind, key=f"periodic:{kind}").pk


@shared_task(name="schools.tasks.import_job_process")
def import_job_process_sent_before_the_move(job_id):
    """A message of the release before the job kit: queue the step the import job waits for,
    so it runs (and recovers) as a job. Remove after a release."""
    return sheet_jobs.import_job_resume(job_id=job_id)
