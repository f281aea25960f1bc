"""Every dashboard table as an xlsx file: the same rows the page shows, through the portal's
one xlsx writer (bureau.sheets.exports.write_xlsx), formulas neutralised. Figures go out
unrounded: a spreadsheet rounds as its reader asks."""

import datetime

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from bureau.sheets.exports import write_xlsx
from bureau.sheets.files import neutralise_formula

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "is_finite"):  # Decimal: a number in the sheet
        return float(value)
    return neutralise_formula(str(value))


def xlsx_response(*, title, headers, rows):
    data = write_xlsx([(str(title)[:31], [str(h) for h in headers], ([_cell(c) for c in row] for row in rows), [])])
    name = f"{title}-{datetime.date.today():%Y%m%d}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
