"""Import jobs: an upload's way through validation (the preview), confirmation and import.

The ImportJob's states are a declared workflow (bureau/permissions.py) and every move goes
through bureau.workflow.transition: locked, checked, recorded in the job's history. A small
file is validated and imported inside the request; a large one by a background job
(bureau/jobs.py: claimed, heart-beating, retried, swept), one job per step, with its
progress in the cache. Uploaded files are purged nightly.

A step is re-entrant: a worker killed while validating or importing leaves the import job
in "validating" or "importing" with nothing written (the import is one transaction), and the
run that takes the step over starts it again.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bureau import jobs as background
from bureau.errors import DomainError
from bureau.models import ImportJob, Job
from bureau.permissions import can_import
from bureau.sheets.engine import import_apply, import_validate
from bureau.sheets.files import ImportFileError, check_upload, estimate_rows, read_table
from bureau.sheets.registry import kinds
from bureau.workflow import ConcurrentMove, WorkflowError, transition

logger = logging.getLogger(__name__)

Status = ImportJob.Status
VALIDATE, IMPORT = "validate", "import"
# The background job of each step, and the state the step starts from and runs in.
STEP_KIND = {VALIDATE: "sheets.validate", IMPORT: "sheets.import"}
STEP_STATES = {VALIDATE: (Status.PENDING, Status.VALIDATING), IMPORT: (Status.CONFIRMED, Status.IMPORTING)}
# Uploaded spreadsheets hold teachers' personal data: keep them only as long as someone
# may still want to look at what was imported. The job row (counts, errors) stays.
IMPORT_FILE_RETENTION_DAYS = 90


def step_key(job_id, step):
    return f"import:{job_id}:{step}"


# ---- progress: a convenience read from the cache ------------------------------------------


def _progress_key(job_id, status):
    # Per step: a confirmed job must not show the counts of its validation.
    return f"import-job-progress:{job_id}:{status}"


def job_progress(job):
    """(processed, total) of a job. A running step reports through the cache, since its own
    writes are invisible to other connections until the import commits; a step not started
    yet shows none done; with the cache down, the row's figures."""
    if job.status in (Status.PENDING, Status.CONFIRMED):
        return 0, job.total_rows
    if job.is_running:
        cached = background.progress_get(_progress_key(job.pk, job.status))
        if cached:
            return tuple(cached)
        return 0, job.total_rows
    return job.processed_rows, job.total_rows


def _reporter(job_id, status, total):
    """progress(fraction) of a step → (rows processed, total rows) in the cache."""

    def report(fraction):
        background.progress_set(_progress_key(job_id, status), (round(fraction * total), total))

    return report


# ---- moves ------------------------------------------------------------------------------------


def _move(job, to, *, by=None, note="", expected=None, **fields):
    return transition(job, to=to, by=by, note=note, expected=expected, fields=fields)


def _fail(job, message, *, retry_step="", **fields):
    """The step ends in failure; `retry_step` when the user may run it again unchanged
    (the portal failed, not the file)."""
    return _move(
        job, Status.FAILED, note=message, message=message, retry_step=retry_step, finished_at=timezone.now(), **fields
    )


def _run_step(job, step):
    """Run `step` of `job` now (small files) or as a background job (large ones)."""
    if job.run_async:
        background.job_enqueue(kind=STEP_KIND[step], key=step_key(job.pk, step), payload={"import_job": job.pk})
    elif step == VALIDATE:
        import_job_validate(job_id=job.pk, inline=True)
    else:
        import_job_execute(job_id=job.pk, inline=True)


# ---- the steps ------------------------------------------------------------------------------


def _read_job_table(job):
    with job.file.open("rb") as handle:
        data = handle.read()
    return read_table(data, job.file_format)


def import_job_create(*, kind, upload, by, language=None):
    """Store an uploaded file as a job and validate it: now if small, in a job if large."""
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
    with transaction.atomic():
        job.save()
        _run_step(job, VALIDATE)
    job.refresh_from_db()
    return job


def _start(job_id, step):
    """The import job, moved into the step's running state; None when the step is not
    waiting (done already, or cancelled): a second delivery does nothing."""
    waiting, running = STEP_STATES[step]
    job = ImportJob.objects.select_related("created_by", "confirmed_by").get(pk=job_id)
    if job.status == waiting:
        return _move(job, running)
    if job.status == running:
        return job  # taken over after a run that stopped: start the step again
    return None


def _internal_failure(job, inline, message, step):
    """An unexpected error: inside a request, the job fails at once with a retry; in the
    background, the exception goes back to the job runner, which retries and in the end
    gives up through `_given_up`."""
    if not inline:
        return False
    logger.exception("import job %s: %s failed", job.pk, step)
    _fail(job, message, retry_step=step)
    return True


def import_job_validate(*, job_id, inline=False):
    """The dry run of a job. Safe to call twice: a step that is not waiting does nothing."""
    job = _start(job_id, VALIDATE)
    if job is None:
        return False
    with translation.override(job.language):
        try:
            table = _read_job_table(job)
            ImportJob.objects.filter(pk=job_id).update(total_rows=len(table.rows))
            plan = import_validate(
                kind=job.kind, table=table, by=job.created_by,
                progress=_reporter(job_id, Status.VALIDATING, len(table.rows)),
            )
        except ImportFileError as exc:
            _fail(job, str(exc))
            return True
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            if _internal_failure(job, inline, _("The file could not be checked because of an internal error."),
                                 VALIDATE):
                return True
            raise
        now = timezone.now()
        fields = {
            "total_rows": plan.total, "processed_rows": plan.total, "counts": plan.counts,
            "errors": [e.as_dict() for e in plan.errors], "error_count": len(plan.errors), "notes": plan.notes,
            "validated_at": now, "retry_step": "", "preview": plan.preview or {}, "preview_digest": plan.digest,
        }
        if plan.errors:
            _move(job, Status.FAILED, finished_at=now, **fields)
        else:
            _move(job, Status.VALIDATED, **fields)
    background.progress_clear(_progress_key(job_id, Status.VALIDATING))
    return True


def import_job_confirm(*, job, by):
    """The user confirms a validated job: import it now if small, in a job if large."""
    if not can_import(by):
        raise DomainError(_("You may not import data."))
    with transaction.atomic():
        try:
            job = _move(job, Status.CONFIRMED, by=by, expected=Status.VALIDATED, confirmed_by=by,
                        confirmed_at=timezone.now())
        except ConcurrentMove:
            # A double click, or a second tab: the first confirmation is the one that counts.
            raise DomainError(_("This file cannot be imported now: it is not waiting for confirmation.")) from None
        if job.run_async:
            _run_step(job, IMPORT)
    if not job.run_async:
        _run_step(job, IMPORT)
    job.refresh_from_db()
    return job


def import_job_execute(*, job_id, inline=False):
    """Import a confirmed job, all or nothing. Safe to call twice."""
    job = _start(job_id, IMPORT)
    if job is None:
        return False
    actor = job.confirmed_by or job.created_by
    note = _("Import #%(id)s: %(name)s") % {"id": job.pk, "name": job.original_name}
    with translation.override(job.language):
        try:
            table = _read_job_table(job)
            with transaction.atomic():
                plan = import_apply(
                    kind=job.kind, table=table, by=actor, note=note, expected_digest=job.preview_digest,
                    progress=_reporter(job_id, Status.IMPORTING, len(table.rows)),
                )
                now = timezone.now()
                if plan.errors:
                    # The data changed since the preview; nothing was written.
                    _fail(job, _("The data changed since the preview; nothing was imported. Check the errors."),
                          counts=plan.counts, processed_rows=0, errors=[e.as_dict() for e in plan.errors],
                          error_count=len(plan.errors))
                else:
                    # In the same transaction as the rows: "done" and the data commit together.
                    _move(job, Status.DONE, counts=plan.counts, total_rows=plan.total, processed_rows=plan.total,
                          errors=[], error_count=0, finished_at=now, retry_step="")
        except ImportFileError as exc:
            _fail(job, str(exc))
        except IntegrityError:
            logger.warning("import job %s: integrity error, rolled back", job_id, exc_info=True)
            _fail(job, _("Someone changed the same records while the file was importing; nothing was imported. "
                         "Upload the file again."))
        except (OperationalError, InterfaceError):
            raise
        except DomainError as exc:
            _fail(job, str(exc))
        except Exception:
            if not _internal_failure(job, inline, _(
                    "The import stopped because of an internal error; nothing was imported."), IMPORT):
                raise
    background.progress_clear(_progress_key(job_id, Status.IMPORTING))
    return True


# ---- background runs of the steps -----------------------------------------------------------


def _given_up(run, reason):
    """The job runner stopped trying a step: the import job fails with the reason and a retry."""
    step = VALIDATE if run.kind == STEP_KIND[VALIDATE] else IMPORT
    job = ImportJob.objects.filter(pk=run.payload.get("import_job")).first()
    if job is None or job.status not in STEP_STATES[step]:
        return
    with translation.override(job.language):
        message = _("%(reason)s Nothing was imported. Press “Try again” to run it again.") % {"reason": reason}
    try:
        _fail(job, message, retry_step=step)
    except WorkflowError:
        logger.info("import job %s moved on before the give-up was recorded", job.pk)


@background.handler(STEP_KIND[VALIDATE], on_give_up=_given_up)
def _validate_in_background(run):
    import_job_validate(job_id=run.payload["import_job"])


@background.handler(STEP_KIND[IMPORT], on_give_up=_given_up)
def _import_in_background(run):
    import_job_execute(job_id=run.payload["import_job"])


def background_run(job):
    """The background job of the step an import job is in (or waits for), or None."""
    step = IMPORT if job.status in (Status.CONFIRMED, Status.IMPORTING, Status.DONE) else VALIDATE
    if job.status == Status.FAILED and job.retry_step:
        step = job.retry_step
    return Job.objects.filter(key=step_key(job.pk, step)).order_by("-pk").first()


def import_job_state(job):
    """What the job page and its status poll show: the import job's state and progress, and
    how its background run stands (queued, retrying, stalled), read from the database."""
    processed, total = job_progress(job)
    percent = min(100, round(100 * processed / total)) if total else (0 if job.is_running else 100)
    run = background_run(job) if job.run_async and job.is_running else None
    return {
        "status": job.status, "status_label": job.get_status_display(), "running": job.is_running,
        "processed": processed, "total": total, "percent": percent,
        "run": background.job_status(run), "can_retry": job.status == Status.FAILED and bool(job.retry_step),
    }


def import_job_retry(*, job, by):
    """Run again the step a background failure stopped (the file was not at fault)."""
    if not can_import(by) or not job.retry_step:
        raise DomainError(_("This file cannot be tried again; upload it again instead."))
    step = job.retry_step
    with transaction.atomic():
        job = _move(job, STEP_STATES[step][0], by=by, expected=Status.FAILED, note=_("Tried again"),
                    message="", finished_at=None)
        _run_step(job, step)
    job.refresh_from_db()
    return job


def import_job_cancel(*, job, by):
    """Drop a job that is waiting (for validation, confirmation or import): nothing is written."""
    if not can_import(by):
        raise DomainError(_("You may not import data."))
    message = _("Cancelled by %(user)s.") % {"user": by.display_name}
    with transaction.atomic():
        job = _fail(job, message) if job.status != Status.FAILED else job
        for step in (VALIDATE, IMPORT):
            background.job_cancel(key=step_key(job.pk, step), reason=message)
    return job


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


@background.handler("sheets.purge")
def _purge_in_background(run):
    import_files_purge()


def import_job_resume(*, job_id):
    """Queue the background step an import job is waiting for (a message of an older release)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not job.is_running:
        return False
    step = IMPORT if job.status in STEP_STATES[IMPORT] else VALIDATE
    with transaction.atomic():
        background.job_enqueue(kind=STEP_KIND[step], key=step_key(job.pk, step), payload={"import_job": job.pk})
    return True
