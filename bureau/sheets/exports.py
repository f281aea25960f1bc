"""Exports and templates of every declared kind, as xlsx or csv.

An export holds the records the user may read (the resource's `export_queryset`, scoped
by `visible_to`), with formulas neutralised and the fields its role may not read left
empty. A template holds the headers and an example row, and in xlsx a second sheet that
explains every column. Code columns are formatted as text in xlsx, so that spreadsheets
keep their leading zeros; number columns carry a number format (thousands separators, two
decimals for money and areas), while csv stays plain so that it re-imports anywhere.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from bureau.sheets.files import neutralise_formula
from bureau.sheets.registry import resource_for


def export_rows(*, kind, user, native):
    """(headers, rows) of the user's records: the resource's export, formulas neutralised.

    `native` keeps numbers and dates as such (xlsx); otherwise every cell is text (csv).
    """
    resource = resource_for(kind)(user=user)
    dataset = resource.export(resource.export_queryset(), force_native_type=native)
    rows = ([neutralise_formula(cell) for cell in row] for row in dataset)
    return [neutralise_formula(h) for h in dataset.headers], rows


def template_rows(*, kind):
    """(headers, example row, notes rows) of a kind's template."""
    resource_class = resource_for(kind)
    required = set(resource_class.required_fields())
    example = [resource_class.example.get(name, "") for name, _field in resource_class.ordered_fields()]
    notes = []
    for name, field in resource_class.ordered_fields():
        hint = field.widget.hint() if hasattr(field.widget, "hint") else ""
        notes.append([
            field.column_name,
            _("required") if name in required else _("optional"),
            hint,
            str(resource_class.notes.get(name, "")),
        ])
    return resource_class.headers(), example, notes


def text_columns(kind):
    """1-based indexes of the columns holding codes, formatted as text in xlsx files."""
    return [
        index
        for index, (_name, field) in enumerate(resource_for(kind).ordered_fields(), 1)
        if getattr(field.widget, "text_column", False)
    ]


def number_formats(kind):
    """{1-based column index: Excel number format} of the number columns: money and areas
    with thousands separators and two decimals, counts as whole numbers (widgets say)."""
    return {
        index: field.widget.number_format
        for index, (_name, field) in enumerate(resource_for(kind).ordered_fields(), 1)
        if getattr(field.widget, "number_format", None)
    }


def _is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def write_csv(headers, rows):
    """CSV bytes as Excel on a Chinese Windows reads them: UTF-8 with a BOM, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(sheets):
    """xlsx bytes of [(title, headers, rows, text_columns[, number_formats])].

    Code columns are formatted as text for the whole column, so that a code a user types
    or pastes there keeps its leading zeros. Number columns carry their number format
    (3,496,512.00), on the column and on each number, while the cells stay numbers: the
    file sums in Excel and re-imports unchanged.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)
    for title, headers, rows, text_cols, *rest in sheets:
        formats = rest[0] if rest else {}
        sheet = book.create_sheet(title)
        for index, header in enumerate(headers, 1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = max(10, min(40, 2 * len(str(header)) + 4))
            if index in text_cols:
                dimension.number_format = "@"
            elif index in formats:
                dimension.number_format = formats[index]
        sheet.freeze_panes = "A2"
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            cells = []
            for index, value in enumerate(row, 1):
                if index in text_cols and value not in (None, ""):
                    cell = WriteOnlyCell(sheet, value=str(value))
                    cell.data_type = "s"
                    cell.number_format = "@"
                    cells.append(cell)
                elif index in formats and _is_number(value):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = formats[index]
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_file(*, kind, fmt, user):
    """(bytes, file name) of the user's records of one kind."""
    resource_class = resource_for(kind)
    headers, rows = export_rows(kind=kind, user=user, native=fmt == "xlsx")
    stamp = datetime.date.today().strftime("%Y%m%d")
    name = f"{resource_class.verbose_name}-{stamp}.{fmt}"
    if fmt == "csv":
        return write_csv(headers, rows), name
    return write_xlsx([(str(resource_class.verbose_name), headers, rows, text_columns(kind), number_formats(kind))]), name


def template_file(*, kind, fmt):
    """(bytes, file name) of the template of one kind: headers and an example row, and in
    xlsx a second sheet explaining every column."""
    resource_class = resource_for(kind)
    headers, example, notes = template_rows(kind=kind)
    name = _("template-%(kind)s.%(fmt)s") % {"kind": resource_class.verbose_name, "fmt": fmt}
    if fmt == "csv":
        return write_csv(headers, [example]), name
    note_headers = [_("Column"), _("Required"), _("Format or allowed values"), _("Notes")]
    guide = [[_("Delete the example row before importing. Code columns are formatted as text: keep them so, "
                "or the leading zeros of the codes are lost."), "", "", ""]]
    return write_xlsx([
        (str(resource_class.verbose_name), headers, [example], text_columns(kind), number_formats(kind)),
        (_("Notes"), note_headers, notes + [["", "", "", ""]] + guide, []),
    ]), name


def errors_file(job):
    """Every error of a job as CSV the user can sort and filter next to their file."""
    rows = (
        [error["row"], neutralise_formula(error["column"]), neutralise_formula(error["message"])]
        for error in job.errors
    )
    return write_csv([_("Row"), _("Column"), _("Problem")], rows)
