"""What makes the snapshots stale: an import done, a visit filed, a complaint closed, a
self-report accepted, a survey campaign closed, a class draw made.

The apps that own those records know nothing of reports (dependencies flow one way), so
reports listens to their saves. Each receiver asks for the district's snapshots again
(reports.snapshots.snapshots_request), which is debounced: a burst is one job.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from bureau.models import ImportJob
from complaints.models import Complaint
from inspections.models import Campaign, SelfReport, Visit
from reports.snapshots import snapshots_request
from schools.models import ClassDraw, School


def _status_saved(kwargs, status):
    instance, fields = kwargs["instance"], kwargs.get("update_fields")
    if instance.status != status:
        return False
    return kwargs.get("created") or fields is None or "status" in fields


def _school_district(school_id):
    return School.objects.filter(pk=school_id).values_list("district_id", flat=True).first()


@receiver(post_save, sender=ImportJob, dispatch_uid="reports-import-done")
def _import_done(sender, **kwargs):
    if _status_saved(kwargs, ImportJob.Status.DONE) and kwargs["instance"].district_id:
        snapshots_request(district_id=kwargs["instance"].district_id)


@receiver(post_save, sender=Visit, dispatch_uid="reports-visit-filed")
def _visit_filed(sender, **kwargs):
    if _status_saved(kwargs, Visit.Status.FILED):
        district_id = _school_district(kwargs["instance"].school_id)
        if district_id:
            snapshots_request(district_id=district_id)


@receiver(post_save, sender=Complaint, dispatch_uid="reports-complaint-closed")
def _complaint_closed(sender, **kwargs):
    if _status_saved(kwargs, Complaint.Status.CLOSED):
        district_id = _school_district(kwargs["instance"].school_id)
        if district_id:
            snapshots_request(district_id=district_id)


def _school_changed(kwargs, status):
    if _status_saved(kwargs, status):
        district_id = _school_district(kwargs["instance"].school_id)
        if district_id:
            snapshots_request(district_id=district_id)


@receiver(post_save, sender=SelfReport, dispatch_uid="reports-selfreport-accepted")
def _selfreport_accepted(sender, **kwargs):
    _school_changed(kwargs, SelfReport.Status.ACCEPTED)


@receiver(post_save, sender=ClassDraw, dispatch_uid="reports-draw-made")
def _draw_made(sender, **kwargs):
    # The draw's between-class balance is stored in the same transaction; the job runs after it.
    _school_changed(kwargs, ClassDraw.Status.DRAWN)


@receiver(post_save, sender=Campaign, dispatch_uid="reports-campaign-closed")
def _campaign_closed(sender, **kwargs):
    if _status_saved(kwargs, Campaign.Status.CLOSED):
        snapshots_request(district_id=kwargs["instance"].district_id)
