"""Background work of the portal itself and of its spreadsheet engine. Thin: each task
takes ids and calls one service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from bureau.services import sessions_clear_expired
from bureau.sheets import jobs


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def cleanup_expired_sessions():
    """Nightly (beat): delete expired sessions. Safe to run twice: the second deletes nothing."""
    return sessions_clear_expired()


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def import_job_process(self, job_id):
    """Validate or import a spreadsheet job, whichever step it waits for.

    Safe to run twice: the service claims the job with a conditional UPDATE on its status,
    so a second delivery finds nothing to claim and returns. A lost database connection
    gives the claim back before the exception reaches the retry. The jobs service sends
    this task by name (bureau.sheets.jobs.PROCESS_TASK).
    """
    return jobs.import_job_process(job_id=job_id)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def import_files_purge():
    """Nightly (beat): delete spreadsheets of import jobs that finished long ago."""
    return jobs.import_files_purge()


@shared_task(name="schools.tasks.import_job_process", autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=True, max_retries=5)
def import_job_process_sent_before_the_move(job_id):
    """The task's name before the spreadsheet engine moved to bureau: messages queued by the
    previous release still run once it is deployed. Remove after a release."""
    return jobs.import_job_process(job_id=job_id)
