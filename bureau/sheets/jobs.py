"""Import jobs: an upload's way through validation (the preview), confirmation and import.

A small file is validated and imported inside the request; a large one by the Celery task
`bureau.tasks.import_job_process`, with its progress in the cache. Every status change is
claimed with a conditional UPDATE on the status (`_move`), so that a task delivered twice,
or a double click on "confirm", does the work once. Uploaded files are purged nightly.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import ImportJob
from bureau.permissions import can_import
from bureau.sheets.engine import import_apply, import_validate
from bureau.sheets.files import ImportFileError, check_upload, estimate_rows, read_table
from bureau.sheets.registry import kinds

logger = logging.getLogger(__name__)

Status = ImportJob.Status
# The task that runs the next step of a job, found by name in the Celery app's registry:
# this module and the task module (bureau/tasks.py) do not import each other.
PROCESS_TASK = "bureau.tasks.import_job_process"
# A job claimed by a worker that then died is taken over after this long.
STALE_CLAIM = timedelta(minutes=30)
# Uploaded spreadsheets hold teachers' personal data: keep them only as long as someone
# may still want to look at what was imported. The job row (counts, errors) stays.
IMPORT_FILE_RETENTION_DAYS = 90


# ---- status changes: the one place that moves a job -----------------------------------------


def _move(job_id, source, target, *, claim=False, **fields):
    """Move a job from `source` to `target` if, and only if, it is in `source` now. A claim
    (a worker starting a step) also takes over a job whose claimer died long ago. True when
    this caller won the move."""
    assert target in ImportJob.TRANSITIONS[source]
    condition = models.Q(status=source)
    if claim:
        now = timezone.now()
        condition |= models.Q(status=target, claimed_at__lt=now - STALE_CLAIM)
        fields["claimed_at"] = now
    return bool(ImportJob.objects.filter(models.Q(pk=job_id) & condition).update(status=target, **fields))


def _fail(job_id, source, message):
    _move(job_id, source, Status.FAILED, message=message, finished_at=timezone.now())


# ---- progress ---------------------------------------------------------------------------


def _progress_key(job_id):
    return f"import-job-progress:{job_id}"


def job_progress(job):
    """(processed, total) of a job: the running task reports through the cache, since its
    own writes are invisible to other connections until the import commits."""
    if job.is_running:
        cached = cache.get(_progress_key(job.pk))
        if cached:
            return cached
    return job.processed_rows, job.total_rows


def _reporter(job_id, total):
    """progress(fraction) of a job → (rows processed, total rows) in the cache."""

    def report(fraction):
        cache.set(_progress_key(job_id), (round(fraction * total), total), timeout=3600)

    return report


# ---- the steps ------------------------------------------------------------------------------


def _read_job_table(job):
    with job.file.open("rb") as handle:
        data = handle.read()
    return read_table(data, job.file_format)


def _enqueue(job_id):
    from celery import current_app

    def send():
        tasks = current_app.tasks
        if PROCESS_TASK not in tasks:
            # A web process imports no task module by itself: let Celery find them, as a
            # worker does at start. The task runs in-process when Celery is eager.
            current_app.loader.import_default_modules()
        tasks[PROCESS_TASK].delay(job_id)

    # On commit: the worker must find the job (and its status) that this transaction writes.
    transaction.on_commit(send)


def import_job_create(*, kind, upload, by, language=None):
    """Store an uploaded file as a job and validate it: now if small, in a task if large."""
    if not can_import(by):
        raise DomainError(_("You may not import data."))
    if kind not in kinds():
        raise DomainError(_("Unknown kind of file."))
    fmt = check_upload(upload)
    upload.seek(0)
    data = upload.read()
    rows = estimate_rows(data, fmt)
    job = ImportJob(
        kind=kind, original_name=(upload.name or "")[-200:], file_format=fmt, created_by=by,
        district_id=by.district_id, language=language or translation.get_language() or settings.LANGUAGE_CODE,
        run_async=rows > settings.IMPORT_ASYNC_ROW_THRESHOLD, total_rows=min(rows, 2**31 - 1),
    )
    job.file.save(f"upload.{fmt}", ContentFile(data), save=False)
    job.save()
    if job.run_async:
        _enqueue(job.pk)
    else:
        import_job_validate(job_id=job.pk)
        job.refresh_from_db()
    return job


def import_job_validate(*, job_id):
    """The dry run of a job. Safe to call twice: only the caller that claims it works."""
    if not _move(job_id, Status.PENDING, Status.VALIDATING, claim=True, processed_rows=0):
        return False
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.language):
        try:
            table = _read_job_table(job)
            ImportJob.objects.filter(pk=job_id).update(total_rows=len(table.rows))
            plan = import_validate(
                kind=job.kind, table=table, by=job.created_by, progress=_reporter(job_id, len(table.rows))
            )
        except ImportFileError as exc:
            _fail(job_id, Status.VALIDATING, str(exc))
            return True
        except (OperationalError, InterfaceError):
            # A lost database connection: give the job back for the retry.
            _move(job_id, Status.VALIDATING, Status.PENDING)
            raise
        except Exception:
            logger.exception("import job %s: validation failed", job_id)
            _fail(job_id, Status.VALIDATING, _("The file could not be checked because of an internal error."))
            return True
    now = timezone.now()
    _move(
        job_id, Status.VALIDATING, Status.FAILED if plan.errors else Status.VALIDATED,
        total_rows=plan.total, processed_rows=plan.total, counts=plan.counts,
        errors=[e.as_dict() for e in plan.errors], error_count=len(plan.errors), notes=plan.notes,
        validated_at=now, finished_at=now if plan.errors else None,
    )
    return True


def import_job_confirm(*, job, by):
    """The user confirms a validated job: import it now if small, in a task if large."""
    if not can_import(by):
        raise DomainError(_("You may not import data."))
    if not _move(job.pk, Status.VALIDATED, Status.CONFIRMED, confirmed_by=by, confirmed_at=timezone.now()):
        raise DomainError(_("This file cannot be imported now: it is not waiting for confirmation."))
    if job.run_async:
        _enqueue(job.pk)
    else:
        import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    return job


def import_job_execute(*, job_id):
    """Import a confirmed job, all or nothing. Safe to call twice."""
    if not _move(job_id, Status.CONFIRMED, Status.IMPORTING, claim=True, processed_rows=0):
        return False
    job = ImportJob.objects.select_related("confirmed_by", "created_by").get(pk=job_id)
    actor = job.confirmed_by or job.created_by
    note = _("Import #%(id)s: %(name)s") % {"id": job.pk, "name": job.original_name}
    with translation.override(job.language):
        try:
            table = _read_job_table(job)
            with transaction.atomic():
                plan = import_apply(
                    kind=job.kind, table=table, by=actor, note=note, progress=_reporter(job_id, len(table.rows))
                )
                now = timezone.now()
                if plan.errors:
                    # The data changed since the preview; nothing was written.
                    _move(
                        job_id, Status.IMPORTING, Status.FAILED, counts=plan.counts, processed_rows=0,
                        errors=[e.as_dict() for e in plan.errors], error_count=len(plan.errors), finished_at=now,
                        message=_("The data changed since the preview; nothing was imported. Check the errors."),
                    )
                else:
                    # In the same transaction as the rows: "done" and the data commit together.
                    _move(
                        job_id, Status.IMPORTING, Status.DONE, counts=plan.counts, total_rows=plan.total,
                        processed_rows=plan.total, errors=[], error_count=0, finished_at=now,
                    )
        except ImportFileError as exc:
            _fail(job_id, Status.IMPORTING, str(exc))
        except IntegrityError:
            logger.warning("import job %s: integrity error, rolled back", job_id, exc_info=True)
            _fail(job_id, Status.IMPORTING, _(
                "Someone changed the same records while the file was importing; nothing was imported. "
                "Upload the file again."))
        except (OperationalError, InterfaceError):
            _move(job_id, Status.IMPORTING, Status.CONFIRMED)
            raise
        except Exception as exc:
            logger.exception("import job %s: import failed", job_id)
            message = str(exc) if isinstance(exc, DomainError) else _(
                "The import stopped because of an internal error; nothing was imported.")
            _fail(job_id, Status.IMPORTING, message)
    cache.delete(_progress_key(job_id))
    return True


def import_job_process(*, job_id):
    """What the task does: the next step the job is waiting for."""
    status = ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
    if status in (Status.PENDING, Status.VALIDATING):
        return import_job_validate(job_id=job_id)
    if status in (Status.CONFIRMED, Status.IMPORTING):
        return import_job_execute(job_id=job_id)
    return False


def import_jobs_recent(*, user, limit=10):
    return ImportJob.objects.visible_to(user).filter(created_by=user).order_by("-created_at", "-id")[:limit]


def import_files_purge(*, older_than_days=IMPORT_FILE_RETENTION_DAYS, now=None):
    """Delete the uploaded files of jobs that finished more than `older_than_days` ago."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    jobs = ImportJob.objects.filter(status__in=(Status.DONE, Status.FAILED), finished_at__lt=cutoff).exclude(file="")
    purged = 0
    for job in jobs.only("pk", "file").iterator():
        job.file.delete(save=False)
        # Conditional on the file still being there: a concurrent run deletes it once.
        purged += ImportJob.objects.filter(pk=job.pk).exclude(file="").update(file="")
    return purged
