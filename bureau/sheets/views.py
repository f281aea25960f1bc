"""Pages of spreadsheet import and export, for every declared kind.

Import (staff and admins): the start page lists the kinds with their templates and the
user's recent jobs; an upload becomes an ImportJob; the job page shows the preview (every
bad row, or the counts, the new and changed rows page by page and a confirm button), then
the progress and the outcome.
Export (every role that reads school data): the user's records as xlsx or csv.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bureau.errors import DomainError
from bureau.models import ImportJob
from bureau.permissions import DATA_KEEPERS, SCHOOL_READERS, get_visible_or_404, roles_required
from bureau.selectors import audit_for_object
from bureau.sheets import jobs
from bureau.sheets import preview as previews
from bureau.sheets.exports import errors_file, export_file, template_file
from bureau.sheets.files import CONTENT_TYPES, FORMATS
from bureau.sheets.registry import kind_label, kinds, resource_for

# The preview lists this many errors on the page; the full list is a download.
ERRORS_SHOWN = 500
# A job shows the rows its import would write (or wrote) once it is validated.
PREVIEW_STATES = (
    ImportJob.Status.VALIDATED, ImportJob.Status.CONFIRMED, ImportJob.Status.IMPORTING, ImportJob.Status.DONE,
)


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of data"))
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("An .xlsx or .csv file (UTF-8 or GBK) with the template's column headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, resource.verbose_name) for kind, resource in kinds().items()]


def _kinds():
    return [
        {
            "kind": kind,
            "name": resource.verbose_name,
            "headers": resource.headers(),
            "required": [resource.fields[name].column_name for name in resource.required_fields()],
        }
        for kind, resource in kinds().items()
    ]


def _attachment(data, name, fmt):
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def _check_kind(kind, fmt):
    if kind not in kinds() or fmt not in FORMATS:
        raise Http404


def _start_page(request, form, status=200):
    return render(
        request, "sheets/import_start.html",
        {
            "form": form, "kinds": _kinds(), "jobs": jobs.import_jobs_recent(user=request.user),
            "max_mb": settings.IMPORT_MAX_UPLOAD_BYTES / 1048576,
        },
        status=status,
    )


@roles_required(*DATA_KEEPERS)
@require_GET
def import_start(request):
    return _start_page(request, ImportUploadForm(initial={"kind": request.GET.get("kind")}))


@roles_required(*DATA_KEEPERS)
@require_POST
def import_upload(request):
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = jobs.import_job_create(
                kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user,
                language=getattr(request, "LANGUAGE_CODE", None),
            )
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("sheets:import_job", pk=job.pk)
    return _start_page(request, form, status=400)


def _job_for(request, pk, *, light=False):
    queryset = ImportJob.objects.select_related("created_by", "confirmed_by")
    if light:
        # The status poll, every second while a step runs: not the errors and the preview.
        queryset = queryset.defer("errors", "notes", "preview")
    return get_visible_or_404(queryset, request.user, pk=pk)


def _status(job):
    return jobs.import_job_state(job)


def _preview(request, job):
    """The page of the job's preview the request asks for, as the user may read it."""
    stored = previews.stored(job) if job.status in PREVIEW_STATES else None
    if stored is None or job.kind not in kinds():
        return None
    model = resource_for(job.kind)._meta.model
    return previews.page(stored, user=request.user, model=model, number=request.GET.get("page"))


@roles_required(*DATA_KEEPERS)
@require_GET
def import_job(request, pk):
    job = _job_for(request, pk)
    return render(
        request, "sheets/import_job.html",
        {
            "job": job, "kind_label": kind_label(job.kind), "progress": _status(job),
            "errors": job.errors[:ERRORS_SHOWN], "errors_hidden": max(0, len(job.errors) - ERRORS_SHOWN),
            "notes": previews.notes(job), "preview": _preview(request, job), "Status": ImportJob.Status,
            # Who moved the job when: upload, checks, confirmation, import, retries, cancels.
            "history": audit_for_object(instance=job, user=request.user),
        },
    )


@roles_required(*DATA_KEEPERS)
@require_GET
def import_job_status(request, pk):
    return JsonResponse(_status(_job_for(request, pk, light=True)))


def _job_action(request, pk, service, success=None):
    """A button on the job page: the service, its refusal as a message, back to the page."""
    job = _job_for(request, pk)
    try:
        service(job=job, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if success:
            messages.success(request, success)
    return redirect("sheets:import_job", pk=job.pk)


@roles_required(*DATA_KEEPERS)
@require_POST
def import_job_confirm(request, pk):
    return _job_action(request, pk, jobs.import_job_confirm)


@roles_required(*DATA_KEEPERS)
@require_POST
def import_job_retry(request, pk):
    """Run again the step that a background failure stopped."""
    return _job_action(request, pk, jobs.import_job_retry)


@roles_required(*DATA_KEEPERS)
@require_POST
def import_job_cancel(request, pk):
    """Drop a job that waits for validation, confirmation or import."""
    return _job_action(request, pk, jobs.import_job_cancel, _("The import was cancelled; nothing was written."))


@roles_required(*DATA_KEEPERS)
@require_GET
def import_job_errors(request, pk):
    job = _job_for(request, pk)
    return _attachment(errors_file(job), _("errors-%(id)s.csv") % {"id": job.pk}, "csv")


@roles_required(*DATA_KEEPERS)
@require_GET
def import_template(request, kind, fmt):
    _check_kind(kind, fmt)
    data, name = template_file(kind=kind, fmt=fmt)
    return _attachment(data, name, fmt)


@roles_required(*SCHOOL_READERS)
@require_GET
def export_index(request):
    return render(request, "sheets/export_index.html", {"kinds": _kinds()})


@roles_required(*SCHOOL_READERS)
@require_GET
def export_download(request, kind, fmt):
    _check_kind(kind, fmt)
    data, name = export_file(kind=kind, fmt=fmt, user=request.user)
    return _attachment(data, name, fmt)
