"""Background work of the inspections app (bureau.jobs): the nightly sweep of stored files
that no visit item, notice, self-report or inspector card names any more."""

from bureau import jobs, uploads
from inspections.models import InspectorCard, NoticeEvidence, SelfReportFile, VisitEvidence

# Only the folders this app stores in (bureau.uploads.upload_store's `folder`): another app's
# files are its own to sweep.
FOLDERS = ("evidence/visits", "evidence/notices", "evidence/selfreports", "signs")


def inspection_files_sweep(*, now=None):
    referenced = set(VisitEvidence.objects.values_list("file", flat=True))
    referenced |= set(NoticeEvidence.objects.values_list("file", flat=True))
    referenced |= set(SelfReportFile.objects.values_list("file", flat=True))
    referenced |= set(InspectorCard.objects.exclude(photo="").values_list("photo", flat=True))
    return uploads.uploads_sweep(folders=FOLDERS, referenced=referenced, now=now)


@jobs.handler("inspections.files_sweep")
def _sweep_in_background(run):
    inspection_files_sweep()


@jobs.handler("inspections.surveys_close")
def _surveys_close(run):
    from inspections.surveys.services import campaigns_close_due

    campaigns_close_due()


# Survey figures are built as background jobs too (inspections/surveys/aggregates.py).
from inspections.surveys import aggregates as _survey_aggregates  # noqa: E402, F401
