"""Evidence files: uploads checked by what they contain, stored under names the portal makes,
served only to those who may see the record they belong to.

Any app that takes files (a visit's photos, a rectification answer, a complaint's attachments)
uses this module, so the rules are the same everywhere:

* `upload_check(file)` reads the file's first bytes and, for an office document, its zip
  structure: the kind comes from the content, never from the name or the browser's
  Content-Type. Allowed: JPEG, PNG, GIF and WebP images; PDF; Word, Excel and PowerPoint
  documents (the zip-based .docx/.xlsx/.pptx, whose declared and actual unpacked size and
  compression ratio are bounded with the spreadsheet engine's reader, and the older
  .doc/.xls/.ppt compound files). Empty files and files over `UPLOAD_MAX_BYTES` are refused.
* `upload_store(file, folder=…, kind=…)` saves it as `<folder>/<year>/<month>/<random>.<ext>`:
  the uploader's file name is kept only as a label, never as a path.
* `upload_response(name=…, kind=…, label=…)` answers the file with its checked content type,
  inline for images and PDF, as a download for office documents. The app's view loads the
  record with `get_visible_or_404` first: there is no other way to a stored file (media
  files are not served by the web server).
"""

import datetime
import posixpath
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.errors import DomainError
from bureau.sheets.limits import ImportFileError, Limits
from bureau.sheets.xlsx import Package


class UploadError(DomainError):
    """A file the portal does not take: its kind, its size or its structure."""


@dataclass(frozen=True)
class FileKind:
    code: str
    label: object
    extension: str
    content_type: str

    @property
    def inline(self):
        # Images and PDF open in the browser; office documents are downloaded.
        return self.content_type.startswith("image/") or self.content_type == "application/pdf"


JPEG = FileKind("jpeg", gettext_lazy("JPEG image"), ".jpg", "image/jpeg")
PNG = FileKind("png", gettext_lazy("PNG image"), ".png", "image/png")
GIF = FileKind("gif", gettext_lazy("GIF image"), ".gif", "image/gif")
WEBP = FileKind("webp", gettext_lazy("WebP image"), ".webp", "image/webp")
PDF = FileKind("pdf", gettext_lazy("PDF document"), ".pdf", "application/pdf")
DOCX = FileKind("docx", gettext_lazy("Word document"), ".docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", gettext_lazy("Excel workbook"), ".xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileKind("pptx", gettext_lazy("PowerPoint presentation"), ".pptx",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation")
# The older binary Office files (.doc, .xls, .ppt) share one container: the kind inside is
# not told apart here, and they are served as a download of a generic office file.
OLE = FileKind("ole", gettext_lazy("Office document (97–2003)"), ".doc", "application/msword")

EVIDENCE_KINDS = (JPEG, PNG, GIF, WEBP, PDF, DOCX, XLSX, PPTX, OLE)
KINDS_BY_CODE = {kind.code: kind for kind in EVIDENCE_KINDS}

# The part that names each zip-based office kind (ECMA-376 main parts, as Office and WPS write them).
OFFICE_MAIN_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sniff(head):
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(OLE_MAGIC):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _allowed_names():
    return "、".join(str(kind.label) for kind in EVIDENCE_KINDS)


def _office_kind(data):
    """The kind of a zip-based office document, after its structure and sizes are checked."""
    limits = Limits(rows=0, cells=0, unpacked=settings.UPLOAD_MAX_UNPACKED_BYTES,
                    ratio=settings.IMPORT_MAX_COMPRESSION_RATIO)
    try:
        package = Package(data, limits)
        if "[Content_Types].xml" not in package.parts:
            raise UploadError(_("This zip file is not an office document. Allowed: %(kinds)s.") % {"kinds": _allowed_names()})
        kind = next((kind for part, kind in OFFICE_MAIN_PARTS if part in package.parts), None)
        if kind is None:
            raise UploadError(_("This zip file is not an office document. Allowed: %(kinds)s.") % {"kinds": _allowed_names()})
        # Unpack every part once, counting the bytes: a header that lies about its sizes stops here.
        for name in package.parts:
            for _chunk in package.chunks(name):
                pass
    except ImportFileError:
        raise UploadError(_(
            "This office document is damaged or unpacks to more than %(mb)s MB, so it was not taken. "
            "Open it, save it again and upload that, or upload it as a PDF."
        ) % {"mb": settings.UPLOAD_MAX_UNPACKED_BYTES // 1048576}) from None
    return kind


def upload_check(file):
    """The FileKind of an uploaded file, judged by its content; UploadError if the portal does
    not take it. The file is left at its start."""
    name = getattr(file, "name", "") or ""
    size = file.size
    if not size:
        raise UploadError(_("%(name)s is empty.") % {"name": name})
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadError(_("%(name)s is %(size)s MB; files of at most %(limit)s MB are taken.") % {
            "name": name, "size": f"{size / 1048576:.1f}", "limit": f"{settings.UPLOAD_MAX_BYTES / 1048576:g}"})
    file.seek(0)
    head = file.read(16)
    kind = _sniff(head)
    if kind == "zip":
        file.seek(0)
        kind = _office_kind(file.read())
    file.seek(0)
    if kind is None:
        raise UploadError(_("%(name)s is not a file the portal takes (whatever its name says). Allowed: %(kinds)s.")
                          % {"name": name, "kinds": _allowed_names()})
    return kind


def upload_store(file, *, folder, kind):
    """Save a checked file under a generated name in `folder`; returns the stored name."""
    today = timezone.localdate()
    name = posixpath.join(folder, f"{today:%Y}", f"{today:%m}", f"{uuid.uuid4().hex}{kind.extension}")
    return default_storage.save(name, file)


def upload_rows(*, model, files, folder, by, field=None, **owner):
    """Check and store uploaded files as `model` rows (a bureau.models.EvidenceFile) of
    `owner` (item=…, notice=…, complaint=…). Returns the rows; UploadError names a file the
    portal refuses (a ValidationError on `field` when one is named, so that a form and the
    API put it on their files field). Called inside the caller's transaction: a refusal
    stores no row (and the files sweep takes a file stored before it)."""
    made = []
    for file in files:
        try:
            kind = upload_check(file)
        except UploadError as error:
            if field is None:
                raise
            raise ValidationError({field: [str(error)]}) from None
        name = upload_store(file, folder=folder, kind=kind)
        row = model(file=name, kind=kind.code, label=upload_label(file.name), size=file.size, uploaded_by=by, **owner)
        row.full_clean()
        row.save()
        made.append(row)
    return made


def upload_label(name, limit=200):
    """The uploader's file name as a label: no folders, no control characters, bounded."""
    label = posixpath.basename(str(name).replace("\\", "/"))
    label = "".join(ch for ch in label if ch.isprintable()).strip() or _("file")
    return label[-limit:]


def upload_response(*, name, kind, label):
    """The stored file `name` as a response (the caller has checked the reader's scope)."""
    return FileResponse(default_storage.open(name, "rb"), content_type=kind.content_type,
                        as_attachment=not kind.inline, filename=label)


def upload_delete(name):
    default_storage.delete(name)


def uploads_sweep(*, folders, referenced, older_than=datetime.timedelta(days=1), now=None):
    """Delete the stored files under `folders` that no record names (`referenced`: a set of
    stored names) and that are older than `older_than`; returns how many went.

    A file is stored before its row is written, so a transaction that rolls back after the
    store (a refused filing, an error) leaves a file nobody points at. The age spares a
    file whose row is still being written.
    """
    cutoff = (now or timezone.now()) - older_than
    deleted = 0
    pending = list(folders)
    while pending:
        folder = pending.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        pending += [posixpath.join(folder, sub) for sub in subfolders]
        for file in files:
            name = posixpath.join(folder, file)
            if name in referenced or default_storage.get_modified_time(name) >= cutoff:
                continue
            default_storage.delete(name)
            deleted += 1
    return deleted


# ---- the form field ------------------------------------------------------------------------

# What a file picker offers (the server judges the content whatever the picker let through).
ACCEPT = "image/jpeg,image/png,image/gif,image/webp,application/pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"


def upload_limit_mb():
    return f"{settings.UPLOAD_MAX_BYTES / 1048576:g}"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several photos or documents in one input (`files`); cleaned to a list, empty when none
    was chosen. Kinds and sizes are the services' to check (upload_check), so that the API
    and the pages refuse the same files with the same words."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Photos or documents"))
        kwargs.setdefault("help_text", lazy(lambda: _("Images, PDF or office documents, at most %(mb)s MB each.")
                                            % {"mb": upload_limit_mb()}, str)())
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []
