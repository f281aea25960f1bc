"""Background work of the schools app. Thin: each task takes ids and calls one service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from schools.imports import import_files_purge as _import_files_purge
from schools.imports import import_job_process as _import_job_process


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
    gives the claim back before the exception reaches the retry.
    """
    return _import_job_process(job_id=job_id)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def import_files_purge():
    """Nightly: delete spreadsheets of import jobs that finished long ago."""
    return _import_files_purge()
