"""The kinds of periodic report: one registry, each kind a gatherer and a template.

A gatherer reads records and snapshots for one scope and period and returns plain data
(numbers, labels, lists: JSON) with no personal detail in it: no complainant, no student,
no teacher named in a complaint. That data is frozen on the report and is all its
templates read, so what is published as a bulletin is what was gathered.
"""

from dataclasses import dataclass

DISTRICT, ZONE = "district", "zone"


@dataclass(frozen=True)
class ReportKind:
    code: str
    title: str  # lazy translation
    unit: str  # periods.MONTH | QUARTER | TERM | YEAR
    scopes: tuple  # DISTRICT, ZONE
    gather: object  # callable(*, district, zone, period) -> dict
    template: str  # the body, shared by the page and the PDF
    source: str = ""  # the policy that asks for it
    sections: tuple = ()  # (anchor, lazy title) of the body's sections: the PDF's contents
    # What a principal reads of it: `school_section(data, school_id)` picks the school's own
    # part of the frozen data (None when it has none), `school_template` shows it; read from
    # the latest report of the school's district, or of its zone when school_scope is ZONE.
    school_section: object = None
    school_template: str = ""
    school_scope: str = DISTRICT
    # callable(*, period): raises DomainError when the period cannot have this report, so that
    # a request on demand is told at once instead of by a failed build minutes later
    check: object = None


_KINDS = {}


def register(kind):
    _KINDS[kind.code] = kind
    return kind


def kind_for(code):
    return _KINDS[code]


UNIT_ORDER = ("month", "quarter", "term", "year")


def kinds():
    """The kinds, monthly ones first."""
    return sorted(_KINDS.values(), key=lambda kind: (UNIT_ORDER.index(kind.unit), kind.code))


def school_kinds():
    """The kinds with a part about each school, in the order of kinds()."""
    return [kind for kind in kinds() if kind.school_section is not None]


def row_of(rows, school_id):
    """The row of `school_id` in a list of a report's rows (each with its school_id)."""
    return next((row for row in rows if row.get("school_id") == school_id), None)


def choices():
    return [(kind.code, kind.title) for kind in kinds()]


def kind_title(report):
    return kind_for(report.kind).title


def period_label(report):
    from reports.periodic import periods

    # From the report's own dates: a term's label needs no query.
    return periods.Period(kind_for(report.kind).unit, report.period_start, report.period_end).label
