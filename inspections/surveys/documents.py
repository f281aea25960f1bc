"""What a campaign prints and exports: the A4 access sheet of each school (PDF with a QR
code) and the figures as an xlsx workbook (suppressed figures say so there too)."""

import datetime

import segno
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from bureau.pdf import render_pdf
from bureau.sheets.exports import write_xlsx
from bureau.sheets.files import neutralise_formula


def answer_url(request, participant):
    return request.build_absolute_uri(reverse("survey:answer", kwargs={"code": participant.access_code}))


def qr_svg(url):
    """The QR code of `url` as inline SVG (no raster, no network: WeasyPrint draws it sharp)."""
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno's own markup of a URL we built


def code_display(code):
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def sheets_pdf(request, campaign, participants):
    """One A4 page per school: what the school hands to its families or pins up."""
    pages = [{"participant": p, "url": answer_url(request, p), "qr": qr_svg(answer_url(request, p)),
              "code": code_display(p.access_code)} for p in participants]
    return render_pdf("inspections/survey/sheet_pdf.html", {"campaign": campaign, "pages": pages},
                      stylesheets=["css/survey_sheet.css"], request=request)


def _figure_cells(row):
    if row is None:
        return ["", "", "", ""]
    if row.suppressed:
        return [row.answers, _("too few answers"), "", ""]
    share = row.within_share
    distribution = "；".join(f"{label} {n}" for label, n in row.distribution)
    return [row.answers, float(row.mean) if row.mean is not None else "", share if share is not None else "",
            neutralise_formula(distribution)]


def figures_xlsx(campaign, figures, refused):
    headers = [_("Question"), _("School code"), _("School"), _("Answers"), _("Mean"), _("Within the rule (%)"),
               _("Distribution")]
    rows = []
    for question, district_row, school_rows in figures:
        text = neutralise_formula(question.text)
        if district_row is not None:
            rows.append([text, "", _("Whole district"), *_figure_cells(district_row)])
        for row in school_rows:
            rows.append([text, row.school.code, neutralise_formula(row.school.name), *_figure_cells(row)])
    notes = [[_("Campaign"), neutralise_formula(campaign.title)], [_("Term"), str(campaign.term)],
             [_("Refused: device answered before"), refused["duplicate"]],
             [_("Refused: too many from one network"), refused["limit"]],
             [_("Figures of fewer than 10 answers are withheld."), ""]]
    data = write_xlsx([(_("Figures"), headers, rows, {2}), (_("Campaign"), [_("Item"), _("Value")], notes, set())])
    name = f"survey-{campaign.pk}-{datetime.date.today():%Y%m%d}.xlsx"
    return data, name
