"""Issue 6: hostile and damaged uploads (zip bombs, malformed parts) are refused with a
clear message, never parsed whole and never a server error; normal files still read.

The files are small, crafted by hand (tests/sheetfiles.py) against lowered limits; the
memory each real-size bomb costs is measured by tests/benchmarks/bench_upload_bombs.py.
"""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.errors import DomainError
from bureau.models import ImportJob
from bureau.sheets import files, jobs, xlsx
from bureau.sheets.files import ImportFileError, Limits
from tests.sheetfiles import MAIN, forge_declared_size, shared_strings_xml, sheet_xml, zip_bytes
from tests.sheetfiles import parts as workbook_parts
from tests.sheetfiles import xlsx as workbook

pytestmark = pytest.mark.usefixtures("media", "english")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNREADABLE = "This .xlsx file cannot be read. Open it in Excel and save it again as an Excel workbook."
LIMITS = Limits(rows=100, cells=1000, unpacked=4 * 1048576, ratio=100)


def read(data, limits=LIMITS):
    return files.read_table(data, "xlsx", limits)


# ---- normal files still read ---------------------------------------------------------------


def test_a_workbook_written_by_openpyxl_reads_as_before():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "出生日期", "学时", "班主任", "公式"])
    sheet.append(["T1", "王老师", datetime.date(1990, 1, 2), 24.5, True, "=1+1"])
    sheet.append([None] * 6)
    sheet.append(["T2", "=HYPERLINK()", datetime.datetime(1990, 1, 2, 8, 30), 12, False, None])
    sheet["B4"].data_type = "s"  # text that looks like a formula
    sheet["H5"] = "beyond the headers"  # ignored: no heading
    buffer = io.BytesIO()
    book.save(buffer)
    table = read(buffer.getvalue())
    assert table.headers == ["工号", "姓名", "出生日期", "学时", "班主任", "公式"]
    assert table.rows == [
        (2, ("T1", "王老师", datetime.datetime(1990, 1, 2), 24.5, True)),  # a formula never computed: empty
        (4, ("T2", "=HYPERLINK()", datetime.datetime(1990, 1, 2, 8, 30), 12, False)),
    ]
    assert files.estimate_rows(buffer.getvalue(), "xlsx", LIMITS) == 4  # row elements 2 to 5


def test_shared_strings_rich_text_dates_and_booleans():
    shared = (f'<sst xmlns="{MAIN}"><si><t>工号</t></si><si><t>姓名</t></si><si><t>日期</t></si>'
              '<si><r><t>王</t></r><r><t>老师</t></r><rPh><t>wang</t></rPh></si></sst>')
    sheet = (f'<worksheet xmlns="{MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
             '<row r="2"><c r="A2" t="str"><f>A1</f><v>T1</v></c><c r="B2" t="s"><v>3</v></c>'
             '<c r="C2" s="1"><v>45901</v></c></row>'
             '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="C3" t="d"><v>2025-09-01T00:00:00</v></c></row>'
             "</sheetData></worksheet>")
    table = read(workbook(sheet=sheet, shared=shared))
    assert table.headers == ["工号", "姓名", "日期"]
    # Chinese Excel's built-in date format (31, 2025年9月1日) reads as a date.
    assert table.rows == [(2, ("T1", "王老师", datetime.datetime(2025, 9, 1))),
                          (3, (True, None, datetime.datetime(2025, 9, 1)))]


def test_an_export_reads_back(staff_user, school):
    from bureau.sheets.exports import export_file

    data, _name = export_file(kind="schools", fmt="xlsx", user=staff_user)
    table = read(data)
    assert table.rows[0][1][0] == school.code


# ---- zip bombs: refused before parsing, or as soon as a limit is passed --------------------


def _bomb(part, size, filler=b"A"):
    """A part of `size` bytes repeating `filler` (one huge string, or many strings when the
    filler closes and opens them): it compresses about a thousandfold."""
    head, tail = (f'<sst xmlns="{MAIN}"><si><t>', "</t></si></sst>") if part == "shared" else (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
        "</t></is></c></row></sheetData></worksheet>")
    chunk = filler * max(1, 65536 // len(filler))
    chunks = [head.encode()] + [chunk] * (size // len(chunk)) + [tail.encode()]
    return workbook(**{part: iter(chunks)})


def test_shared_strings_bomb_is_refused_by_its_ratio_before_anything_is_read(monkeypatch):
    data = _bomb("shared", 8 * 1048576)
    assert len(data) < 50_000
    opened = []
    monkeypatch.setattr(xlsx.Package, "chunks", lambda self, name: opened.append(name))
    for step in (read, lambda d: files.estimate_rows(d, "xlsx", LIMITS)):
        with pytest.raises(ImportFileError, match="unpacks to more than 100 times its size"):
            step(data)
    assert opened == []  # refused from the archive's directory alone


def test_unpacked_total_is_limited():
    rows = [("工号", "姓名")] + [(f"T{n:06d}", f"教师{n}号，一位认真负责的好老师") for n in range(60_000)]
    data = workbook(rows)
    with pytest.raises(ImportFileError, match="more than 4 MB of data once unpacked"):
        read(data, Limits(rows=100_000, cells=10**6, unpacked=4 * 1048576, ratio=100))


def test_a_lying_header_stops_the_read():
    """The directory says the shared strings are small (an innocent ratio) while the data
    inflates to 8 MB: the read stops at the declared size and the file is refused."""
    bomb = _bomb("shared", 8 * 1048576, filler=b"</t></si><si><t>A" * 4096)
    data = forge_declared_size(bomb, "xl/sharedStrings.xml", 600_000)
    with pytest.raises(ImportFileError) as refused:
        read(data, Limits(rows=100, cells=10**6, unpacked=LIMITS.unpacked, ratio=100))
    assert str(refused.value) == UNREADABLE


def test_more_bytes_than_declared_are_never_taken(monkeypatch):
    """Whatever the zip library does, the reader counts what comes out of a part."""
    package = xlsx.Package(workbook(), LIMITS)
    info = package.parts["xl/worksheets/sheet1.xml"]
    monkeypatch.setattr(package.archive, "open", lambda i: io.BytesIO(b"<" * (info.file_size + 1)))
    with pytest.raises(ImportFileError) as refused:
        list(package.chunks("xl/worksheets/sheet1.xml"))
    assert str(refused.value) == UNREADABLE


def test_one_huge_cell_is_refused_as_soon_as_it_passes_excels_limit():
    data = _bomb("sheet", 4 * 65536, filler=b"x")
    with pytest.raises(ImportFileError, match="A cell holds more than 32,767 characters"):
        read(data)
    shared = shared_strings_xml(["工号", "y" * 40_000])
    with pytest.raises(ImportFileError, match="more than 32,767 characters"):
        read(workbook(shared=shared))


def test_rows_and_cells_are_limited():
    rows = [("工号", "姓名")] + [(f"T{n}", "王") for n in range(5)]
    assert len(read(workbook(rows), Limits(rows=5, cells=100, unpacked=LIMITS.unpacked, ratio=100)).rows) == 5
    with pytest.raises(ImportFileError, match="more than 4 rows of data. Split it into files of at most 4 rows"):
        read(workbook(rows), Limits(rows=4, cells=100, unpacked=LIMITS.unpacked, ratio=100))
    with pytest.raises(ImportFileError, match="more than 10 cells"):
        read(workbook(rows), Limits(rows=10, cells=10, unpacked=LIMITS.unpacked, ratio=100))
    # The same limits for csv.
    csv = "工号,姓名\n" + "".join(f"T{n},王\n" for n in range(5))
    with pytest.raises(ImportFileError, match="more than 4 rows"):
        files.read_table(csv.encode(), "csv", Limits(rows=4, cells=100, unpacked=1, ratio=1))


def test_cells_beyond_the_headers_are_not_kept():
    rows = [("工号", "姓名")] + [("T1", "王", *["x"] * 500)]
    table = read(workbook(rows), Limits(rows=10, cells=10, unpacked=LIMITS.unpacked, ratio=100))
    assert table.rows == [(2, ("T1", "王"))]


def test_text_is_limited_all_cells_together():
    rows = [("工号", "姓名")] + [(f"T{n}", "很" * 300) for n in range(20)]
    with pytest.raises(ImportFileError, match="more text than the portal reads"):
        read(workbook(rows), Limits(rows=100, cells=200, unpacked=LIMITS.unpacked, ratio=100))
    strings = ["工号"] + ["字" * 1000 + str(n) for n in range(20)]
    with pytest.raises(ImportFileError, match="more text than the portal reads"):
        read(workbook(shared=shared_strings_xml(strings)), Limits(rows=100, cells=200, unpacked=LIMITS.unpacked,
                                                                   ratio=100))


def test_more_shared_strings_than_cells_are_refused():
    strings = [f"s{n}" for n in range(50)]
    with pytest.raises(ImportFileError, match="more than 20 cells"):
        read(workbook(shared=shared_strings_xml(strings)), Limits(rows=10, cells=20, unpacked=LIMITS.unpacked,
                                                                   ratio=100))


@pytest.mark.parametrize("hostile", [
    # Billion laughs: entities that expand exponentially.
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    f'<sst xmlns="{MAIN}"><si><t>&b;</t></si></sst>',
    # An external entity.
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f'<sst xmlns="{MAIN}"><si><t>&x;</t></si></sst>',
    # Nesting far deeper than any spreadsheet.
    f'<sst xmlns="{MAIN}"><si>' + "<r>" * 500 + "</r>" * 500 + "</si></sst>",
])
def test_hostile_xml_is_refused(hostile):
    with pytest.raises(ImportFileError) as refused:
        read(workbook(shared=hostile))
    assert str(refused.value) == UNREADABLE


def test_compressions_no_spreadsheet_uses_and_too_many_parts_are_refused():
    with pytest.raises(ImportFileError) as refused:
        read(zip_bytes(workbook_parts(), compression=zipfile.ZIP_BZIP2))
    assert str(refused.value) == UNREADABLE
    many = {**workbook_parts(), **{f"xl/media/{n}.bin": b"" for n in range(xlsx.MAX_PARTS)}}
    with pytest.raises(ImportFileError, match="once unpacked"):
        read(zip_bytes(many))


def test_estimate_counts_rows_in_the_bytes_and_stops_past_the_limit():
    rows = [("工号",)] + [(f"T{n}",) for n in range(300)]
    data = workbook(rows)
    assert files.estimate_rows(data, "xlsx", LIMITS) == 101  # stopped just past the 100-row limit
    assert files.estimate_rows(data, "xlsx", Limits(rows=1000, cells=10**5, unpacked=LIMITS.unpacked,
                                                    ratio=100)) == 300
    # The dimension a file records is not trusted: here it says one row.
    lying = sheet_xml(rows).replace("<sheetData>", '<dimension ref="A1:A2"/><sheetData>')
    assert files.estimate_rows(workbook(sheet=lying), "xlsx", LIMITS) == 101
    # Rows with a prefixed namespace, and a tag cut between two chunks of the stream.
    prefixed = f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>' + '<x:row r="1"/>' * 20_000 + "</x:sheetData></x:worksheet>"
    assert files.estimate_rows(workbook(sheet=prefixed), "xlsx", Limits(
        rows=10**5, cells=10**5, unpacked=LIMITS.unpacked, ratio=100)) == 19_999


# ---- malformed files: a clear message, on the page and in the background job -------------------

# Damage found from the archive's structure (on upload, before a job exists)…
STRUCTURE = {
    "broken workbook": {"workbook": "<workbook><sheets><sheet"},
    "broken relationships": {"rels": "<Relationships><Relationship Id="},
    "missing sheet": {"sheet": None},
    "missing workbook": {"workbook": None},
    "no worksheet in the workbook": {"workbook": f'<workbook xmlns="{MAIN}"><sheets/></workbook>'},
}
# …and damage found while the sheet is read (in the job, inline or in the background).
CONTENT = {
    "broken sheet XML": {"sheet": f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'},
    "broken shared strings": {"shared": f'<sst xmlns="{MAIN}"><si><t>工号</t></si><si><t>'},
    "broken styles": {"styles": "<styleSheet><cellXfs>"},
    "a shared string that does not exist": {"sheet": sheet_xml([]).replace(
        "<sheetData>", '<sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row>')},
    "a cell that is not a number": {"sheet": sheet_xml([]).replace(
        "<sheetData>", '<sheetData><row r="1"><c r="A1"><v>abc</v></c></row>')},
    "rows out of order": {"sheet": sheet_xml([]).replace(
        "<sheetData>", '<sheetData><row r="5"><c r="A5" t="b"><v>1</v></c></row><row r="2"/>')},
}
MALFORMED = {**STRUCTURE, **CONTENT}


@pytest.mark.parametrize("damage", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_parts_read_as_unreadable(damage):
    data = workbook(**damage)
    with pytest.raises(ImportFileError) as refused:
        read(data)
    assert str(refused.value) == UNREADABLE
    if damage in STRUCTURE.values():
        with pytest.raises(ImportFileError, match="cannot be read"):
            files.estimate_rows(data, "xlsx", LIMITS)
    else:
        assert files.estimate_rows(data, "xlsx", LIMITS) >= 0


def test_a_zip_that_is_not_a_workbook():
    for content in ({"readme.txt": "hello"}, {"_rels/.rels": "<Relationships/>"}, {}):
        with pytest.raises(ImportFileError) as refused:
            files.estimate_rows(zip_bytes(content), "xlsx", LIMITS)
        assert str(refused.value) == UNREADABLE


def _upload(data, name="teachers.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX_TYPE)


@pytest.mark.django_db
@pytest.mark.parametrize("damage", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_files_give_the_message_on_the_page(client, staff_user, damage):
    """Issue 6: estimate_rows answered HTTP 500. Now the upload page (structure) or the
    job page (a sheet found damaged while it is read) says what is wrong."""
    client.force_login(staff_user)
    response = client.post(reverse("sheets:import_upload"), {"kind": "teachers", "file": _upload(workbook(**damage))})
    if damage in STRUCTURE.values():
        assert response.status_code == 400
        assert UNREADABLE in response.content.decode()
        assert not ImportJob.objects.exists()
    else:
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.FAILED and job.message == UNREADABLE
        assert not job.retry_step  # the file is at fault: no "try again"
        assert UNREADABLE in client.get(response.url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("damage", CONTENT.values(), ids=CONTENT.keys())
def test_malformed_files_fail_the_background_job_with_the_message(staff_user, settings, damage,
                                                                 django_capture_on_commit_callbacks):
    settings.IMPORT_ASYNC_ROW_THRESHOLD = -1  # even these one-row files go to the background
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.import_job_create(kind="teachers", upload=_upload(workbook(**damage)), by=staff_user,
                                     language="en")
    job.refresh_from_db()
    assert job.run_async and job.status == ImportJob.Status.FAILED
    assert job.message == UNREADABLE and not job.retry_step


@pytest.mark.django_db
def test_bombs_are_refused_on_the_page(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("sheets:import_upload"), {"kind": "teachers", "file": _upload(_bomb("shared", 8 << 20))})
    assert response.status_code == 400
    assert "unpacks to more than 100 times its size" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_job_refuses_a_file_beyond_the_row_limit(staff_user, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [("工号", "姓名")] + [(f"T{n}", "王") for n in range(3)]
    job = jobs.import_job_create(kind="teachers", upload=_upload(workbook(rows)), by=staff_user, language="en")
    assert "more than 3 rows" not in job.message  # three rows are read (and then lack columns)
    rows.append(("T9", "李"))
    job = jobs.import_job_create(kind="teachers", upload=_upload(workbook(rows)), by=staff_user, language="en")
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "The sheet has more than 3 rows of data. Split it into files of at most 3 rows."


@pytest.mark.django_db
def test_csv_that_the_csv_reader_refuses(staff_user):
    data = ("工号,姓名\nT1," + "x" * 200_000 + "\n").encode()
    with pytest.raises(DomainError):
        files.read_table(data, "csv")
    job = jobs.import_job_create(kind="teachers", upload=SimpleUploadedFile("t.csv", data, content_type="text/csv"),
                                 by=staff_user, language="en")
    assert job.status == ImportJob.Status.FAILED and "This CSV file cannot be read" in job.message


def test_a_sheet_bigger_than_its_rows_counts_as_more_rows():
    """Reading costs the sheet's size: a few rows among millions of other elements still go
    to the background job, not into the request."""
    padding = "".join(f'<sheetPr codeName="{n}"/>' for n in range(80_000))  # 2 MB that are not rows
    sheet = sheet_xml([("工号",), ("T1",)]).replace("<sheetData>", padding + "<sheetData>")
    big = Limits(rows=10**5, cells=10**6, unpacked=LIMITS.unpacked, ratio=100)
    assert files.estimate_rows(workbook(sheet=sheet), "xlsx", big) == len(sheet) // xlsx.BYTES_PER_ROW - 1
    assert files.estimate_rows(workbook(sheet=sheet), "xlsx", LIMITS) == 101
