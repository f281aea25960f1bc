"""Issue 6, zip bomb: the worst .xlsx files we could make under the upload limit, each fed to
the import path (upload → estimate → read → validate) in a process of its own, against a
normal file of 10,000 teachers. Prints each one's outcome and the process's peak memory
(ru_maxrss). Run with `tests/benchmarks/run -k bombs` (SQLite; about two minutes).

Before the fix a 409 KB file whose shared strings unpack to 400 MB took the server from
133 MB to 920 MB, and a 1.2 MB one to 2.6 GB. Every file here is at most the upload limit
(IMPORT_MAX_UPLOAD_BYTES, 10 MB) and the limits are the defaults of bureau/settings.py.
"""

import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import zlib
from itertools import chain
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings

from schools.resources import TeacherResource
from tests.sheetfiles import MAIN, parts, xlsx

pytestmark = pytest.mark.benchmark

ROOT = Path(settings.BASE_DIR)
MB = 1048576


# ---- writing archives whose parts inflate far beyond what is stored ------------------------------


def repeated_part(head, unit, total, tail):
    """(raw deflate stream, crc32, size) of `head`, `unit` repeated to about `total` bytes, and
    `tail`, built in constant time per block: after a full flush, deflate has no history, so
    the same block of input gives the same bytes of output, which are simply repeated."""
    head, tail = head.encode(), tail.encode()
    block = unit * max(1, MB // len(unit))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    packed = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert packed == compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = max(1, total // len(block))
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    # The block compressed twice above is counted in: count + 1 blocks in the stream.
    crc = zlib.crc32(tail, zlib.crc32(block, crc))
    stream = start + packed * (count + 1) + compressor.compress(tail) + compressor.flush()
    return stream, crc, len(head) + (count + 1) * len(block) + len(tail)


def raw_zip(members):
    """A zip of [(name, raw deflate stream, crc32, declared unpacked size)], zip64 sizes."""
    out, central = bytearray(), bytearray()
    for name, stream, crc, size in members:
        name = name.encode()
        offset = len(out)
        extra = struct.pack("<HHQQ", 1, 16, size, len(stream))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                           len(name), len(extra)) + name + extra + stream
        central_extra = struct.pack("<HHQQQ", 1, 24, size, len(stream), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF,
                               0xFFFFFFFF, len(name), len(central_extra), 0, 0, 0, 0, 0xFFFFFFFF)
        central += name + central_extra
    start = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def workbook_with(part, head, unit, total, tail, declared=None):
    """A valid workbook whose part ("sheet" or "shared") is head + unit… + tail."""
    name = {"sheet": "xl/worksheets/sheet1.xml", "shared": "xl/sharedStrings.xml"}[part]
    members = []
    for other, text in parts((("工号",),)).items():
        if other != name:
            data = text.encode()
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            members.append((other, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)))
    stream, crc, size = repeated_part(head, unit, total, tail)
    members.append((name, stream, crc, declared or size))
    return raw_zip(members)


SST = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>', "</t></si></sst>")
SHEET = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>', "</sheetData></worksheet>")


def streamed_workbook(part, chunks):
    """A workbook whose part ("sheet" or "shared") is written from `chunks` of text,
    compressed for real (no trick: these compress under the ratio limit)."""
    return xlsx(**{part: (chunk.encode() for chunk in chunks)})


# ---- the files ------------------------------------------------------------------------------------


def teachers(n):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("教师")
    sheet.append(TeacherResource.headers())
    for i in range(n):
        sheet.append([
            f"T{i:07d}", f"教师{i}", "女" if i % 3 else "男", f"19{70 + i % 30}-0{1 + i % 9}-1{i % 9}",
            f"{3204000000 + i % 80:010d}", "小学", "语文", "本科", "小学", f"2010{i:010d}", "一级教师", "",
            "否", f"20{i % 20:02d}-09-01", "", "否", "在岗",
        ])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def runs_of_letters(size, run=128):
    """Text that compresses about 80 times: under the ratio limit, unlike a run of one letter."""
    generator = random.Random(6)
    return "".join(generator.choice("ABCDEFGHIJKLMNOP") * run for _ in range(size // run))


def sequence(template, first, last, per_chunk=100_000):
    """Chunks of `template` formatted with n = first … last."""
    for start in range(first, last + 1, per_chunk):
        yield "".join(template.format(n=n) for n in range(start, min(last + 1, start + per_chunk)))


def files():
    """[(label, bytes, mode)]: the baseline first, then the attacks."""
    yield "baseline: 10,000 teachers, validate", teachers(10_000), "validate"
    yield "baseline: 10,000 teachers, validate + import", teachers(10_000), "import"
    yield "the row limit: 50,000 teachers, validate", teachers(50_000), "validate"
    # The files: one string of 400 MB / 1.2 GB in the shared strings.
    yield "issue: shared strings, one string of 400 MB", workbook_with("shared", SST[0], b"A", 400 * MB, SST[1]), ""
    yield "issue: shared strings, one string of 1.2 GB", workbook_with("shared", SST[0], b"A", 1200 * MB, SST[1]), ""
    # As large as deflate allows under the upload limit: one letter about 1,000 : 1, tiny
    # strings about 400 : 1.
    yield "shared strings, one string of 9.5 GB", workbook_with("shared", SST[0], b"A", 9500 * MB, SST[1]), ""
    yield "shared strings, 3.6 GB of tiny strings", workbook_with(
        "shared", SST[0], b"</t></si><si><t>AB", 3600 * MB, SST[1]), ""
    # The same, its directory lying: 99 MB declared, so the ratio and total look innocent.
    yield "…the same, declaring 99 MB (a lying header)", workbook_with(
        "shared", SST[0], b"</t></si><si><t>AB", 3600 * MB, SST[1], declared=99 * MB), ""
    # Unique strings compress only ~9 : 1, under every archive limit: the reader's own limits.
    yield "shared strings, 3.6 million unique strings", streamed_workbook(
        "shared", [SST[0] + "</t></si>"] + list(sequence("<si><t>{n:07d}</t></si>", 1, 3_600_000)) + ["</sst>"]), ""
    # Huge cells: 32,767 characters each (Excel's maximum), text compressing ~80 : 1.
    cell = runs_of_letters(32_640)
    yield "sheet of huge cells (32,640 characters each, 99 MB)", workbook_with(
        "sheet", SHEET[0], f"<row><c t=\"inlineStr\"><is><t>{cell}</t></is></c></row>".encode(), 99 * MB,
        SHEET[1]), ""
    yield "sheet of 1,048,576 rows (Excel's maximum)", streamed_workbook(
        "sheet", [SHEET[0]] + list(sequence('<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>', 1, 1_048_576))
        + [SHEET[1]]), ""
    yield "sheet of 1,048,576 empty rows", streamed_workbook(
        "sheet", [SHEET[0] + '<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c></row>']
        + list(sequence('<row r="{n}"/>', 2, 1_048_576)) + [SHEET[1]]), ""
    yield "sheet nested 300,000 elements deep", streamed_workbook(
        "sheet", [SHEET[0], '<row r="1"><c r="A1" t="inlineStr"><is>' + "<r>" * 300_000]), ""
    # The largest table the limits accept: 49,999 rows × 40 distinct numbers (2,000,000 cells).
    header = '<row r="1">' + "".join(f'<c t="inlineStr"><is><t>列{i}</t></is></c>' for i in range(40)) + "</row>"
    numbers = ("<row>" + "".join(f"<c><v>{n * 40 + i}.5</v></c>" for i in range(40)) + "</row>" for n in range(49_999))
    yield "the cell limit: 49,999 rows × 40 numbers", streamed_workbook(
        "sheet", chain([SHEET[0], header], numbers, [SHEET[1]])), ""


# ---- running each in its own process -------------------------------------------------------------


def probe(env, *args):
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.upload_probe", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=900,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode or not lines:
        return {"outcome": f"crashed ({result.returncode}): {result.stderr.strip()[-300:]}", "peak_mb": 0,
                "idle_mb": 0, "seconds": 0}
    return json.loads(lines[-1])


def test_upload_bombs(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "IMPORT_"))}
    template = tmp_path / "template.sqlite3"
    env.update(
        PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="bureau.settings", DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + "x" * 60, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"), IMPORT_ASYNC_ROW_THRESHOLD=str(10**9),
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    assert probe(env, "setup")["outcome"] == "ready"
    shutil.copy(tmp_path / "db.sqlite3", template)

    print(f"\n\nUploads through the import path, one process each (SQLite; limits: {settings.IMPORT_MAX_ROWS:,} rows, "
          f"{settings.IMPORT_MAX_CELLS:,} cells, {settings.IMPORT_MAX_UNPACKED_BYTES // MB} MB unpacked, ratio "
          f"{settings.IMPORT_MAX_COMPRESSION_RATIO})")
    print(f"  {'file':<52} {'packed':>9} {'peak':>8} {'vs base':>8} {'VmHWM':>7} {'time':>7}  outcome")
    baseline = None
    for label, data, mode in files():
        assert len(data) <= settings.IMPORT_MAX_UPLOAD_BYTES, (label, len(data))
        path = tmp_path / "upload.xlsx"
        path.write_bytes(data)
        shutil.copy(template, tmp_path / "db.sqlite3")
        result = probe(env, mode or "validate", str(path))
        baseline = baseline or result["peak_mb"]
        print(f"  {label:<52} {len(data) / MB:7.2f}MB {result['peak_mb']:6,d}MB {result['peak_mb'] - baseline:+7,d}MB "
              f"{result.get('hwm_mb', 0):5,d}MB {result['seconds']:6.1f}s  {result['outcome'][:110]}")
        assert not result["outcome"].startswith("crashed"), result
