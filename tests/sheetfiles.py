"""Hand-made .xlsx files for the tests and the benchmark of the upload reader: a minimal
valid workbook whose parts can be replaced one by one (broken, missing, hostile)."""

import io
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="教师" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
)
# Style 1 shows a number as a date with Chinese Excel's built-in format 31 (2025年9月1日).
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="31" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def column_letter(index):
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(ref, value):
    """One <c> element: text as a shared-string index is not needed here, inline is enough."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows):
    """A worksheet part of rows (lists of values), numbered from 1."""
    body = "".join(
        f'<row r="{n}">' + "".join(cell(f"{column_letter(i)}{n}", v) for i, v in enumerate(row, 1)) + "</row>"
        for n, row in enumerate(rows, 1)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'


def shared_strings_xml(strings):
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}">{items}</sst>'


def parts(rows=(("工号", "姓名"), ("T1", "王老师"))):
    """{part name: content} of a valid workbook of `rows`."""
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet_xml(rows),
        "xl/sharedStrings.xml": shared_strings_xml([]),
        "xl/styles.xml": STYLES,
    }


def xlsx(rows=(("工号", "姓名"), ("T1", "王老师")), *, compression=zipfile.ZIP_DEFLATED, **replace):
    """The bytes of a workbook of `rows`, with parts replaced by keyword (dots and slashes
    as "__" and "_": sheet=…, shared=…, workbook=…, rels=…, styles=…; None drops a part)."""
    names = {
        "sheet": "xl/worksheets/sheet1.xml", "shared": "xl/sharedStrings.xml", "workbook": "xl/workbook.xml",
        "rels": "xl/_rels/workbook.xml.rels", "root": "_rels/.rels", "styles": "xl/styles.xml",
    }
    content = parts(rows)
    for key, value in replace.items():
        if value is None:
            content.pop(names[key], None)
        else:
            content[names[key]] = value
    return zip_bytes(content, compression=compression)


def zip_bytes(content, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in content.items():
            if isinstance(data, (bytes, bytearray)):
                archive.writestr(name, bytes(data))
            elif isinstance(data, str):
                archive.writestr(name, data.encode("utf-8"))
            else:  # an iterable of byte chunks: streamed, so a huge part is never whole in memory
                with archive.open(name, "w", force_zip64=True) as part:
                    for chunk in data:
                        part.write(chunk)
    return buffer.getvalue()


def forge_declared_size(data, name, declared):
    """The archive with `name`'s unpacked size in the central directory (what readers check
    before reading) replaced by `declared`: a header that lies."""
    data = bytearray(data)
    encoded = name.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        name_length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + name_length] == encoded:
            data[at + 24:at + 28] = declared.to_bytes(4, "little")
            return bytes(data)
        at += 4
    raise LookupError(name)
