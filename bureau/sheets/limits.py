"""What the import reads of one uploaded file, and the error a file at fault raises.

The limits (settings IMPORT_MAX_*) bound the memory and time a file can cost: a small
.xlsx can unpack to gigabytes. Each message says what is wrong with the file and what to
do, and nothing about how the portal reads it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from bureau.errors import DomainError

# Excel's own limit on the characters of a cell: a file beyond it was not written by a spreadsheet.
MAX_CELL_CHARS = 32_767


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (wrong type, empty, missing columns…)."""


# The text a file may hold, on average per cell it may hold: names and codes are short, so
# this is generous for real data and bounds what a crafted file can make the server keep.
TEXT_PER_CELL = 16


@dataclass(frozen=True)
class Limits:
    """How much of a file the import reads (settings IMPORT_MAX_*): data rows and cells
    kept, bytes unpacked from an .xlsx, its compression ratio, and the characters kept."""

    rows: int
    cells: int
    unpacked: int
    ratio: int

    @property
    def text(self):
        return self.cells * TEXT_PER_CELL

    @classmethod
    def from_settings(cls):
        return cls(
            rows=settings.IMPORT_MAX_ROWS, cells=settings.IMPORT_MAX_CELLS,
            unpacked=settings.IMPORT_MAX_UNPACKED_BYTES, ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
        )


def limit_error(which, limits):
    """The message of a file that goes beyond a limit: what is wrong and what to do."""
    if which == "rows":
        message = _("The sheet has more than %(limit)s rows of data. Split it into files of at most %(limit)s rows.")
        limit = limits.rows
    elif which == "cells":
        message = _("The sheet has more than %(limit)s cells. Delete the columns and rows that are not needed, "
                    "or split it into smaller files.")
        limit = limits.cells
    elif which == "cell":
        message = _("A cell holds more than %(limit)s characters, more than a spreadsheet cell can hold. "
                    "Correct that cell and save the file again.")
        limit = MAX_CELL_CHARS
    elif which == "text":
        message = _("The sheet holds more text than the portal reads from one file. Split it into smaller files.")
        limit = limits.text
    elif which == "ratio":
        message = _("This file unpacks to more than %(limit)s times its size, which spreadsheets never do, so it "
                    "was not read. Open it in Excel, save it again as an Excel workbook and upload that.")
        limit = limits.ratio
    else:
        message = _("This workbook holds more than %(limit)s MB of data once unpacked, more than the portal reads "
                    "from one file. Split it into smaller files.")
        limit = limits.unpacked // 1048576
    return ImportFileError(message % {"limit": f"{limit:,}"})


def unreadable_xlsx():
    return ImportFileError(
        _("This .xlsx file cannot be read. Open it in Excel and save it again as an Excel workbook.")
    )
