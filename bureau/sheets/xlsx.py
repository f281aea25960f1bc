"""Reading an uploaded .xlsx with bounded memory and time.

An .xlsx file is a zip archive of XML parts. A small upload can unpack to gigabytes (a
"zip bomb"; the shared-strings part is the classic one, since readers load it whole), and
any part can be damaged or hostile XML. So nothing here trusts the file:

* Before any part is parsed, every part's declared unpacked size and compression ratio,
  and their total, are checked against the limits (`Limits`, from the IMPORT_MAX_*
  settings); compression methods other than the two spreadsheets use are refused.
* While a part is read, the bytes that come out are counted against what the part
  declared and against the budget of the whole file, so a lying header stops the read
  too.
* Parts are parsed as streams (expat: no DTD, so no entity expansion; bounded nesting),
  and only what the import needs is kept: the first sheet's rows, within a row, a cell and
  a text limit, and the shared strings within the same text limit. A cell may not hold
  more than Excel itself allows.

openpyxl is not used for uploads: even in read-only mode it loads the whole shared-strings
table before the first row, and it cannot stop inside a cell. It still writes exports.
"""

import functools
import io
import posixpath
import re
import zipfile
import zlib
from array import array
from xml.parsers import expat

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from bureau.sheets.limits import MAX_CELL_CHARS, Limits, limit_error, unreadable_xlsx

# Excel's own limits: a file that goes beyond them was not written by a spreadsheet.
MAX_COLUMNS = 16_384
MAX_ROW_NUMBER = 1_048_576
# Real workbooks have tens of parts (a few hundred with many images) and nest their XML
# less than ten deep; far more is an attack on the reader, not a spreadsheet.
MAX_PARTS = 5_000
MAX_DEPTH = 64
# Parts smaller than this may compress as well as they like: they cannot hurt.
RATIO_FLOOR = 1 << 20
CHUNK = 64 * 1024
# A row of real data takes a few hundred bytes of sheet XML (about 900 for a teacher written
# with inline strings): a part bigger than rows × this costs more than its rows say.
BYTES_PER_ROW = 1024
# East Asian built-in date formats (ECMA-376 §18.8.30, zh-CN and ja-JP): Chinese Excel and
# WPS write dates such as 2025年9月1日 with these ids, which openpyxl does not know.
CJK_DATE_FORMATS = {27: "yyyy年m月", 28: "m月d日", 29: "m月d日", 30: "m-d-yy", 31: "yyyy年m月d日",
                    36: "yyyy年m月", 50: "yyyy年m月", 51: "m月d日", 52: "yyyy年m月", 53: "m月d日",
                    54: "m月d日", 55: "yyyy年m月", 56: "m月d日", 57: "yyyy年m月", 58: "m月d日"}
ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


# ---- the archive ----------------------------------------------------------------------------


class Package:
    """The zip archive of an .xlsx, checked before anything is read and read within budget."""

    def __init__(self, data, limits):
        self.limits = limits
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
            raise unreadable_xlsx() from None
        if len(infos) > MAX_PARTS:
            raise limit_error("unpacked", limits)
        total = 0
        for info in infos:
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                # Encrypted parts, or a compression no spreadsheet writes (bzip2 and lzma
                # also inflate without a bound per read).
                raise unreadable_xlsx()
            total += info.file_size
            if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
                raise limit_error("ratio", limits)
        if total > limits.unpacked:
            raise limit_error("unpacked", limits)
        if total > RATIO_FLOOR and total > limits.ratio * len(data):
            raise limit_error("ratio", limits)
        self.parts = {info.filename: info for info in infos}
        self.unpacked_left = limits.unpacked  # bytes that may still come out, all parts together
        self.text_left = limits.text  # characters that may still be kept, all parts together

    def chunks(self, name):
        """The unpacked bytes of a part, in chunks, counted as they come out."""
        info = self.parts.get(name)
        if info is None:
            raise unreadable_xlsx()
        declared = info.file_size
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    declared -= len(chunk)
                    self.unpacked_left -= len(chunk)
                    if declared < 0:  # more than the part said it holds: a forged header
                        raise unreadable_xlsx()
                    if self.unpacked_left < 0:
                        raise limit_error("unpacked", self.limits)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
            raise unreadable_xlsx() from None

    def keep_text(self, n):
        self.text_left -= n
        if self.text_left < 0:
            raise limit_error("text", self.limits)


# ---- streaming XML ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)  # bounded: a file may invent any number of names
def _local(name):
    # expat gives "namespace-uri local-name" (namespace_separator=" "): prefixes and the
    # strict-OOXML namespaces read alike.
    return name.rpartition(" ")[2]


def _attr(attrs, local):
    value = attrs.get(local)
    if value is None:
        value = next((v for k, v in attrs.items() if _local(k) == local), None)
    return value


class PartReader:
    """One part parsed as a stream; subclasses see elements by local name."""

    def __init__(self, package, name):
        self.package = package
        self.name = name
        self.depth = 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self.text
        # Spreadsheet parts never declare a DTD: refusing one refuses entity expansion
        # ("billion laughs") and external entities at once.
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        self._parser = parser

    def _refuse(self, *args):
        raise unreadable_xlsx()

    def _start(self, name, attrs):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise unreadable_xlsx()
        self.start(_local(name), attrs)

    def _end(self, name):
        self.depth -= 1
        self.end(_local(name))

    def start(self, name, attrs):
        pass

    def end(self, name):
        pass

    def text(self, data):
        pass

    def steps(self):
        """Feed the part chunk by chunk, yielding after each (rows can be taken meanwhile)."""
        try:
            for chunk in self.package.chunks(self.name):
                self._parser.Parse(chunk, False)
                yield
            self._parser.Parse(b"", True)
        except expat.ExpatError:
            raise unreadable_xlsx() from None
        yield

    def read(self):
        for _step in self.steps():
            pass
        return self


class Relationships(PartReader):
    """{id: (type, target part)} of a part's .rels."""

    def __init__(self, package, part):
        folder, base = posixpath.split(part)
        super().__init__(package, posixpath.join(folder, "_rels", base + ".rels"))
        self.source_folder = folder
        self.targets = {}

    def start(self, name, attrs):
        if name == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target") or ""
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join(self.source_folder, target))
            self.targets[attrs.get("Id")] = (attrs.get("Type") or "", path)

    def of_type(self, suffix):
        return [path for kind, path in self.targets.values() if kind.endswith(suffix)]


class WorkbookPart(PartReader):
    def __init__(self, package, name):
        super().__init__(package, name)
        self.sheet_ids = []  # relationship ids of the sheets, in the workbook's order
        self.date1904 = False

    def start(self, name, attrs):
        if name == "sheet":
            self.sheet_ids.append(_attr(attrs, "id"))
        elif name == "workbookPr":
            self.date1904 = (attrs.get("date1904") or "").lower() in ("1", "true")


class StylesPart(PartReader):
    """Which cell styles show a number as a date (so the cell reads as a date)."""

    def __init__(self, package, name):
        super().__init__(package, name)
        self.custom = {}
        self.cell_formats = []
        self.in_cell_xfs = False

    def start(self, name, attrs):
        if name == "numFmt":
            self.custom[attrs.get("numFmtId")] = attrs.get("formatCode")
        elif name == "cellXfs":
            self.in_cell_xfs = True
        elif name == "xf" and self.in_cell_xfs:
            self.cell_formats.append(attrs.get("numFmtId") or "0")

    def end(self, name):
        if name == "cellXfs":
            self.in_cell_xfs = False

    def date_styles(self):
        dates, durations = set(), set()
        for index, format_id in enumerate(self.cell_formats):
            code = self.custom.get(format_id)
            if code is None and format_id.isdigit():
                number = int(format_id)
                code = builtin_format_code(number) or CJK_DATE_FORMATS.get(number)
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return dates, durations


class SharedStrings(PartReader):
    """The workbook's table of strings, kept within the text limit.

    Kept compactly: the UTF-8 bytes of all strings in one buffer and where each ends, so
    that a table of millions of tiny strings costs its bytes rather than a Python object
    each. A string becomes an object when a cell names it, once, however many cells do.
    """

    def __init__(self, package, name):
        super().__init__(package, name)
        self.buffer = bytearray()
        self.ends = array("Q")
        self.made = {}  # index → the string, for the indexes cells named
        self.pieces = None
        self.length = 0
        self.in_t = False
        self.phonetic = 0

    def __getitem__(self, index):
        string = self.made.get(index)
        if string is None:
            if not 0 <= index < len(self.ends):
                raise IndexError(index)
            start = self.ends[index - 1] if index else 0
            string = self.made[index] = self.buffer[start:self.ends[index]].decode("utf-8")
        return string

    def start(self, name, attrs):
        if name == "si":
            self.pieces, self.length = [], 0
            if len(self.ends) >= self.package.limits.cells:
                raise limit_error("cells", self.package.limits)
        elif name == "t" and self.pieces is not None and not self.phonetic:
            self.in_t = True
        elif name == "rPh":  # the pronunciation guide above a cell's text: not its value
            self.phonetic += 1

    def end(self, name):
        if name == "t":
            self.in_t = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si" and self.pieces is not None:
            # As openpyxl reads it, so that a value reads the same as before.
            self.buffer += "".join(self.pieces).replace("x005F_", "").encode("utf-8")
            self.ends.append(len(self.buffer))
            self.pieces = None

    def text(self, data):
        if self.in_t:
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:
                raise limit_error("cell", self.package.limits)
            self.package.keep_text(len(data))
            self.pieces.append(data)


# ---- the first sheet ----------------------------------------------------------------------------


def _column(ref):
    match = CELL_REF.match(ref)
    if not match:
        raise unreadable_xlsx()
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - 64
    return number


class SheetRows(PartReader):
    """The rows of a sheet as (row number, values), the header's width at most.

    Values are read as Excel last computed them (a formula gives its cached value): text,
    int or float, bool, datetime for numbers in a date style; None for an empty cell.
    """

    def __init__(self, package, name, *, shared=(), date_styles=(), duration_styles=(), epoch=WINDOWS_EPOCH):
        super().__init__(package, name)
        self.shared = shared
        self.date_styles, self.duration_styles = date_styles, duration_styles
        self.epoch = epoch
        self.width = MAX_COLUMNS  # until the header row says how many columns matter
        self.done = []  # rows completed by the last chunk
        self.row_number = 0
        self.cells = None  # {column: value} of the open row
        self.column = 0
        self.cell = None  # (type, style) of the open cell, None when the cell is not kept
        self.value_pieces = self.inline_pieces = None
        self.length = 0
        self.in_v = self.in_inline = self.in_t = False
        self.phonetic = 0

    def rows(self):
        for _step in self.steps():
            yield from self.done
            self.done = []

    # -- elements

    def start(self, name, attrs):
        if name == "c":
            self._open_cell(attrs)
        elif self.cell is None:
            if name == "row":
                self._open_row(attrs)
        elif name == "v":
            self.in_v, self.value_pieces = True, []
        elif name == "is":
            self.in_inline, self.inline_pieces = True, []
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t" and self.in_inline and not self.phonetic:
            self.in_t = True

    def end(self, name):
        if name == "c":
            self._close_cell()
        elif name == "row":
            self._close_row()
        elif name == "v":
            self.in_v = False
        elif name == "is":
            self.in_inline = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "t":
            self.in_t = False

    def text(self, data):
        if self.cell is None:
            return
        if self.in_v:
            pieces = self.value_pieces
        elif self.in_t:
            pieces = self.inline_pieces
        else:
            return
        self.length += len(data)
        if self.length > MAX_CELL_CHARS:
            raise limit_error("cell", self.package.limits)
        pieces.append(data)

    # -- rows and cells

    def _open_row(self, attrs):
        number = attrs.get("r")
        if number is None:
            number = self.row_number + 1
        else:
            try:
                number = int(number)
            except ValueError:
                raise unreadable_xlsx() from None
        # Rows come in ascending order in every file a spreadsheet writes.
        if number <= self.row_number or number > MAX_ROW_NUMBER:
            raise unreadable_xlsx()
        self.row_number, self.cells, self.column = number, {}, 0

    def _open_cell(self, attrs):
        if self.cells is None:  # a cell outside a row
            raise unreadable_xlsx()
        ref = attrs.get("r")
        self.column = _column(ref) if ref else self.column + 1
        if self.column > MAX_COLUMNS:
            raise unreadable_xlsx()
        if self.column > self.width:
            self.cell = None  # beyond the header: the import ignores it, so it is not kept
            return
        style = attrs.get("s")
        self.cell = (attrs.get("t") or "n", int(style) if style and style.isdigit() else 0)
        self.value_pieces = self.inline_pieces = None
        self.length = 0

    def _close_cell(self):
        if self.cell is not None:
            value = self._value(*self.cell)
            if value is not None:
                self.cells[self.column] = value
        self.cell = None
        self.in_v = self.in_inline = self.in_t = False

    def _close_row(self):
        cells, self.cells = self.cells, None
        if not cells:
            return
        values = [None] * max(cells)
        for column, value in cells.items():
            values[column - 1] = value
        if self.width == MAX_COLUMNS:
            # The first row is the header: later rows are kept up to its last heading.
            self.width = max((i + 1 for i, v in enumerate(values) if not _blank(v)), default=0)
        self.done.append((self.row_number, tuple(values)))

    def _value(self, kind, style):
        if kind == "inlineStr":
            text = "".join(self.inline_pieces) if self.inline_pieces is not None else None
        else:
            text = "".join(self.value_pieces) if self.value_pieces else None
        if text is None:
            return None
        try:
            if kind == "s":
                return self.shared[int(text)]
            if kind in ("inlineStr", "str", "e"):
                self.package.keep_text(len(text))
                return text
            if kind == "b":
                return bool(int(text))
            if kind == "d":
                return from_ISO8601(text)
            number = float(text) if any(c in text for c in ".eE") else int(text)
        except (ValueError, IndexError, TypeError):
            raise unreadable_xlsx() from None
        if style in self.date_styles:
            try:
                return from_excel(number, self.epoch, timedelta=style in self.duration_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"  # as Excel shows a date out of range
        return number


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# ---- the workbook ---------------------------------------------------------------------------------


class Workbook:
    """The parts of an .xlsx that the import reads: its first sheet, the shared strings and
    the styles that make a number a date."""

    def __init__(self, data, limits=None):
        self.package = Package(data, limits or Limits.from_settings())
        parts = self.package.parts
        # The package's own relationships name the workbook part ("" is the package root).
        root = Relationships(self.package, "").read() if "_rels/.rels" in parts else None
        self.workbook_part = next(iter(root.of_type("/officeDocument") if root else ()), "xl/workbook.xml")
        rels = Relationships(self.package, self.workbook_part).read()
        book = WorkbookPart(self.package, self.workbook_part).read()
        sheets = filter(None, (rels.targets.get(rid) for rid in book.sheet_ids))
        worksheets = [path for kind, path in sheets if kind.endswith("/worksheet")]
        if not worksheets:
            raise unreadable_xlsx()
        self.sheet_part = worksheets[0]  # the data; templates put their notes on the second
        self.epoch = CALENDAR_MAC_1904 if book.date1904 else WINDOWS_EPOCH
        self.shared_part = next(iter(rels.of_type("/sharedStrings")), None)
        self.styles_part = next(iter(rels.of_type("/styles")), None)

    def rows(self):
        """(row number, values) of the first sheet's rows that hold a value."""
        shared = ()
        if self.shared_part and self.shared_part in self.package.parts:
            shared = SharedStrings(self.package, self.shared_part).read()
        dates = durations = frozenset()
        if self.styles_part and self.styles_part in self.package.parts:
            dates, durations = StylesPart(self.package, self.styles_part).read().date_styles()
        return SheetRows(
            self.package, self.sheet_part, shared=shared, date_styles=dates, duration_styles=durations,
            epoch=self.epoch,
        ).rows()

    def estimate_rows(self, stop_after):
        """Rows, for choosing between reading the file in the request and in the background:
        the rows the sheet holds, or more if its parts are bigger than that many rows of
        real data would be (a sheet of a few rows and millions of other elements still
        costs its size to read, and belongs in the background)."""
        parts = (self.package.parts.get(name) for name in (self.sheet_part, self.shared_part))
        cost = sum(info.file_size for info in parts if info is not None) // BYTES_PER_ROW
        return max(min(cost, stop_after), self.count_rows(stop_after))

    def count_rows(self, stop_after):
        """How many rows the first sheet has (empty ones included), at most `stop_after`: a
        scan of the bytes, without parsing the sheet or reading its strings."""
        count, tail = 0, b""
        for chunk in self.package.chunks(self.sheet_part):
            buffer = tail + chunk
            # Keep an unfinished tag for the next chunk, so that a tag cut in two counts once.
            cut = buffer.rfind(b"<")
            if cut != -1 and len(buffer) - cut < 64:
                buffer, tail = buffer[:cut], buffer[cut:]
            else:
                tail = b""
            count += len(ROW_START.findall(buffer))
            if count >= stop_after:
                return stop_after
        return min(stop_after, count + len(ROW_START.findall(tail)))

