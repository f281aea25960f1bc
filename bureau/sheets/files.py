"""Uploaded spreadsheets: refuse a bad file before parsing it, then read its rows.

`check_upload` looks at the extension, the content type the browser sent, the size and the
first bytes; only then does `read_table` parse xlsx (bureau/sheets/xlsx.py: the archive
checked first, then streamed within limits) or csv (UTF-8 with or without a byte order
mark, GBK/GB18030 as Chinese Excel saves it, or UTF-16 as its "Unicode text") into rows
that keep their spreadsheet row numbers (header = row 1). Every limit a file can pass
(rows, cells, unpacked size, compression ratio, text) is refused with a message that says
what is wrong and what to do.

Cells that a spreadsheet would run as formulas are neutralised on the way out and the
quote is taken off again on the way in, so that an exported file re-imports unchanged.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from bureau.sheets.limits import ImportFileError, Limits, limit_error
from bureau.sheets.xlsx import Workbook

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


def clean_header(value):
    if value is None:
        return ""
    # Templates mark required columns with an asterisk; users keep or drop it.
    return str(value).replace("\ufeff", "").strip().rstrip("*＊").strip()


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


def finish_table(numbered_rows, limits):
    """Header from row 1; data rows keep their spreadsheet numbers; blank rows are skipped.

    `numbered_rows` yields (row number, values) and is consumed lazily, so that a file
    beyond the row or cell limit is refused as soon as the limit is passed, not after it
    has been read whole.
    """
    rows = iter(numbered_rows)
    number, header = next(rows, (1, None))
    if number != 1 or header is None or all(is_blank(cell) for cell in header):
        raise ImportFileError(_("The file is empty: the first row must hold the column headers."))
    headers = [clean_header(cell) for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    data, cells = [], len(header)
    for number, values in rows:
        if all(is_blank(cell) for cell in values):
            continue
        cells += len(values)
        if len(data) >= limits.rows:
            raise limit_error("rows", limits)
        if cells > limits.cells:
            raise limit_error("cells", limits)
        data.append((number, tuple(values)))
    return Table(headers=headers, rows=data)


def _csv_rows(text, limits):
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise ImportFileError(
            _("This CSV file cannot be read (a cell is too long, or its quotes do not match). "
              "Save it again as CSV from Excel.")
        ) from None


def read_table(data, fmt, limits=None):
    limits = limits or Limits.from_settings()
    if not data:
        raise ImportFileError(_("The file is empty."))
    if fmt == "csv":
        return finish_table(_csv_rows(decode_csv(data), limits), limits)
    # Values are those Excel computed: a formula cell gives its result, not its text.
    return finish_table(Workbook(data, limits).rows(), limits)


def estimate_rows(data, fmt, limits=None):
    """A cheap row count to choose between running inline and as a background job.

    It reads no cell: for an .xlsx it checks the archive and the workbook's structure and
    counts the first sheet's rows in its bytes (the dimension a file records may lie), up
    to one past the row limit, which the full read then enforces; a sheet much bigger than
    its rows counts as more rows (bureau/sheets/xlsx.py), so it is read in the background.
    """
    limits = limits or Limits.from_settings()
    if fmt == "csv":
        return max(0, data.count(b"\n") - 1)
    # Header and data rows, and one more: enough to say "more than the limit".
    return max(0, Workbook(data, limits).estimate_rows(stop_after=limits.rows + 2) - 1)
