"""Anonymising old complaints (beat, "complaint-anonymise"): COMPLAINT_RETENTION_DAYS after a
complaint was closed or rejected, who lodged it (account, name, mobile) and the complainant's
own words (the appeal, the rating's comment, the appeal's note in the history, the photos and
documents the complainant sent) are erased.
The complaint, its handling and its finding stay: the figures and the yearly assessment
still count it. One conditional UPDATE per batch, so a second run finds nothing to do.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bureau import jobs, refcache, uploads
from bureau.models import AuditLog, StatusChange
from bureau.services import audit_bulk
from complaints.home import DUE_CACHE
from complaints.models import Attachment, Complaint

ERASED = "（已匿名）"


@transaction.atomic
def complaints_anonymise(*, now=None):
    """Erase the complainants of the complaints past retention; how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.COMPLAINT_RETENTION_DAYS)
    due = Complaint.objects.filter(anonymised_at__isnull=True, closed_at__lt=cutoff).filter(
        Q(status=Complaint.Status.CLOSED) | Q(status=Complaint.Status.REJECTED))
    ids = list(due.select_for_update().values_list("pk", flat=True))
    if not ids:
        return 0
    done = Complaint.objects.filter(pk__in=ids, anonymised_at__isnull=True).update(
        complainant=None, complainant_name=ERASED, complainant_mobile="", appeal_reason="", rating_comment="",
        anonymised_at=now,
    )
    refcache.forget(DUE_CACHE)  # an UPDATE sends no signal
    StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id__in=[str(pk) for pk in ids],
        to_status=Complaint.Status.REOPENED,
    ).update(note="")
    # The rows go now; their stored files with the nightly sweep (a rollback keeps both).
    Attachment.objects.filter(complaint_id__in=ids, side=Attachment.Side.COMPLAINANT).delete()
    audit_bulk(actor=None, action=AuditLog.Action.UPDATE,
               instances_changes=[(c, {"complainant": ["…", ERASED]}) for c in Complaint.objects.filter(pk__in=ids)],
               note="anonymised after the retention period")
    return done


@jobs.handler("complaints.anonymise")
def _anonymise_job(run):
    complaints_anonymise()


def complaint_files_sweep(*, now=None):
    """Delete the stored files no attachment names: those of an upload whose transaction
    rolled back (a refused complaint), and those of anonymised complainants."""
    referenced = set(Attachment.objects.values_list("file", flat=True))
    return uploads.uploads_sweep(folders=(Attachment.FOLDER,), referenced=referenced, now=now)


@jobs.handler("complaints.files_sweep")
def _files_sweep_job(run):
    complaint_files_sweep()
