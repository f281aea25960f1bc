"""Pages of spreadsheet import and export.

Import (staff and admins): the start page lists the six kinds with their templates and
the user's recent jobs; an upload becomes an ImportJob; the job page shows the preview
(every bad row, or the counts and a confirm button), then the progress and the outcome.
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
from django.views.decorators.http import require_POST

from bureau.errors import DomainError
from bureau.permissions import DATA_KEEPERS, SCHOOL_READERS, get_visible_or_404, roles_required
from schools import imports
from schools.models import ImportJob
from schools.resources import (
    CONTENT_TYPES,
    FORMATS,
    KIND_CHOICES,
    RESOURCES,
    export_file,
    neutralise_formula,
    template_file,
    write_csv,
)

# The preview lists this many errors on the page; the full list is a download.
ERRORS_SHOWN = 500


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of data"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("An .xlsx or .csv file (UTF-8 or GBK) with the template's column headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _kinds():
    return [
        {
            "kind": kind,
            "name": resource.verbose_name,
            "headers": resource.headers(),
            "required": [resource.fields[name].column_name for name in resource.required_fields()],
        }
        for kind, resource in RESOURCES.items()
    ]


def _attachment(data, name, fmt):
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def _check_kind(kind, fmt):
    if kind not in RESOURCES or fmt not in FORMATS:
        raise Http404


def _start_page(request, form, status=200):
    return render(
        request, "schools/import_start.html",
        {
            "form": form, "kinds": _kinds(), "jobs": imports.import_jobs_recent(user=request.user),
            "max_mb": settings.IMPORT_MAX_UPLOAD_BYTES / 1048576,
        },
        status=status,
    )


@roles_required(*DATA_KEEPERS)
def import_start(request):
    return _start_page(request, ImportUploadForm(initial={"kind": request.GET.get("kind")}))


@roles_required(*DATA_KEEPERS)
@require_POST
def import_upload(request):
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = imports.import_job_create(
                kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user,
                language=getattr(request, "LANGUAGE_CODE", None),
            )
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("schools:import_job", pk=job.pk)
    return _start_page(request, form, status=400)


def _job_for(request, pk):
    return get_visible_or_404(ImportJob.objects.select_related("created_by", "confirmed_by"), request.user, pk=pk)


def _status(job):
    processed, total = imports.job_progress(job)
    percent = min(100, round(100 * processed / total)) if total else (0 if job.is_running else 100)
    return {
        "status": job.status, "status_label": job.get_status_display(), "running": job.is_running,
        "processed": processed, "total": total, "percent": percent,
    }


@roles_required(*DATA_KEEPERS)
def import_job(request, pk):
    job = _job_for(request, pk)
    return render(
        request, "schools/import_job.html",
        {
            "job": job, "progress": _status(job), "errors": job.errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(job.errors) - ERRORS_SHOWN), "Status": ImportJob.Status,
        },
    )


@roles_required(*DATA_KEEPERS)
def import_job_status(request, pk):
    return JsonResponse(_status(_job_for(request, pk)))


@roles_required(*DATA_KEEPERS)
@require_POST
def import_job_confirm(request, pk):
    job = _job_for(request, pk)
    try:
        imports.import_job_confirm(job=job, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("schools:import_job", pk=job.pk)


@roles_required(*DATA_KEEPERS)
def import_job_errors(request, pk):
    """Every error of a job as a CSV the user can sort and filter next to their file."""
    job = _job_for(request, pk)
    rows = (
        [error["row"], neutralise_formula(error["column"]), neutralise_formula(error["message"])]
        for error in job.errors
    )
    data = write_csv([_("Row"), _("Column"), _("Problem")], rows)
    return _attachment(data, _("errors-%(id)s.csv") % {"id": job.pk}, "csv")


@roles_required(*DATA_KEEPERS)
def import_template(request, kind, fmt):
    _check_kind(kind, fmt)
    data, name = template_file(kind=kind, fmt=fmt)
    return _attachment(data, name, fmt)


@roles_required(*SCHOOL_READERS)
def export_index(request):
    return render(request, "schools/export_index.html", {"kinds": _kinds()})


@roles_required(*SCHOOL_READERS)
def export_download(request, kind, fmt):
    _check_kind(kind, fmt)
    data, name = export_file(kind=kind, fmt=fmt, user=request.user)
    return _attachment(data, name, fmt)

