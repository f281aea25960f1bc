"""Uploaded spreadsheets: refuse a bad file before parsing it, then read its rows.

`check_upload` looks at the extension, the content type the browser sent, the size and the
first bytes; only then does `read_table` parse xlsx (openpyxl, read-only) or csv (UTF-8
with or without a byte order mark, GBK/GB18030 as Chinese Excel saves it, or UTF-16 as its
"Unicode text") into rows that keep their spreadsheet row numbers (header = row 1).

Cells that a spreadsheet would run as formulas are neutralised on the way out and the
quote is taken off again on the way in, so that an exported file re-imports unchanged.
"""

import csv
import io
import logging
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from bureau.errors import DomainError

logger = logging.getLogger(__name__)

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream",
    "application/zip", "application/x-zip-compressed", "",
}
# Windows browsers send application/vnd.ms-excel for .csv when Excel is installed.
CSV_TYPES = {
    "text/csv", "text/plain", "application/csv", "text/comma-separated-values", "text/x-csv",
    "application/vnd.ms-excel", "application/octet-stream", "",
}
ZIP_MAGIC = b"PK\x03\x04"


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (wrong type, empty, missing columns…)."""


# ---- cells --------------------------------------------------------------------------

# A cell starting with one of these is run as a formula by Excel, LibreOffice or WPS
# (CSV injection, OWASP). django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT
# only strips a leading "=", so we prefix a quote ourselves, for every format.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """The one helper for exported cells: a text that a spreadsheet would run as a formula
    gets a leading single quote, so it is shown as the text it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_formula_text(value):
    """Undo `neutralise_formula` on import, so an exported file re-imports unchanged."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# ---- checking uploads -----------------------------------------------------------------


@dataclass
class Table:
    headers: list
    rows: list  # [(spreadsheet row number, tuple of cell values)]


def upload_format(name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in FORMATS else None


def check_upload(upload):
    """Refuse a file before parsing it. Returns its format ("xlsx" or "csv")."""
    fmt = upload_format(upload.name or "")
    if fmt is None:
        raise ImportFileError(_("Upload an .xlsx or .csv file (Excel: File → Save As → Excel workbook or CSV)."))
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": f"{upload.size / 1048576:.1f}", "limit": f"{limit / 1048576:.1f}"}
        )
    if upload.size == 0:
        raise ImportFileError(_("The file is empty."))
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in (XLSX_TYPES if fmt == "xlsx" else CSV_TYPES):
        raise ImportFileError(
            _("The file's type (%(type)s) does not match its .%(ext)s extension.") % {"type": content_type, "ext": fmt}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if fmt == "xlsx" and not head.startswith(ZIP_MAGIC):
        raise ImportFileError(
            _("This is not a valid .xlsx file (it is not a zip archive). Open it in Excel and save it as an "
              "Excel workbook (.xlsx), or as CSV.")
        )
    if fmt == "csv" and head.startswith(ZIP_MAGIC):
        raise ImportFileError(_("This file is an Excel workbook, not a CSV file: rename it to .xlsx."))
    return fmt


# ---- reading --------------------------------------------------------------------------


def decode_csv(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" (UTF-16, tab-separated)
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, the encodings of Chinese Excel's CSV.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK encoded; save it again as CSV UTF-8.")) from None


def clean_header(value):
    if value is None:
        return ""
    # Templates mark required columns with an asterisk; users keep or drop it.
    return str(value).replace("\ufeff", "").strip().rstrip("*＊").strip()


def finish_table(raw_rows):
    """Header from row 1; data rows keep their spreadsheet numbers; blank rows are skipped."""
    rows = iter(raw_rows)
    header = next(rows, None)
    if header is None or all(is_blank(cell) for cell in header):
        raise ImportFileError(_("The file is empty: the first row must hold the column headers."))
    headers = [clean_header(cell) for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    data = []
    for number, values in enumerate(rows, start=2):
        if all(is_blank(cell) for cell in values):
            continue
        data.append((number, tuple(values)))
    return Table(headers=headers, rows=data)


def _unreadable_xlsx():
    return ImportFileError(
        _("This .xlsx file cannot be read. Open it in Excel and save it again as an Excel workbook.")
    )


def _open_workbook(data, **kwargs):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, **kwargs)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        logger.info("unreadable xlsx: %s", exc)
        raise _unreadable_xlsx() from None


def read_table(data, fmt):
    if not data:
        raise ImportFileError(_("The file is empty."))
    if fmt == "csv":
        text = decode_csv(data)
        first_line = text.split("\n", 1)[0]
        delimiter = max((",", "\t", ";"), key=first_line.count)
        return finish_table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    # data_only: a formula cell gives the value Excel computed, not the formula text.
    book = _open_workbook(data, data_only=True)
    try:
        # The first sheet holds the data (templates put their notes on the second).
        return finish_table(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def estimate_rows(data, fmt):
    """A cheap row count to choose between running inline and as a background job."""
    if fmt == "csv":
        return max(0, data.count(b"\n") - 1)
    book = _open_workbook(data)
    try:
        sheet = book.worksheets[0]
        if not sheet.max_row:
            # No dimension recorded (files written in streaming mode): count the rows.
            sheet.calculate_dimension(force=True)
        return max(0, (sheet.max_row or 1) - 1)
    finally:
        book.close()
