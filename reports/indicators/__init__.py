"""The one indicator registry (reports/indicators/base.py), filled by one module per source.

A new source adds a module here with its compute
function and `register(Indicator(...))` lines, and one import below.
"""

from decimal import Decimal

from django.db import connection

from reports.indicators import (  # noqa: F401  (they register)
    activity,
    classes,
    draws,
    facilities,
    resources,
    selfreports,
    surveys,
    teachers,
)
from reports.indicators.base import (  # noqa: F401
    ABOVE_SCHOOL,
    ALL_STAGES,
    AREA_LEVELS,
    CITY,
    CLASS,
    DISTRICT,
    GROUP_LABELS,
    LEVEL_LABELS,
    LEVELS,
    REGISTRY,
    SCHOOL,
    SELECT_COLUMNS,
    STAGE_LABELS,
    STAGES,
    ZONE,
    Indicator,
    Value,
    register,
    select_rows,
)
from reports.indicators.inputs import Inputs  # noqa: F401


def compute_all(inputs, *, progress=None, selects=True):
    """Every Value of every indicator for the area and period of `inputs`. The snapshot job
    passes selects=False and has the database write the select functions' rows itself."""
    functions = REGISTRY.computers()
    steps = len(functions) + len(REGISTRY.selects())
    values = []
    for n, function in enumerate(functions, 1):
        values.extend(function(inputs))
        if progress is not None:
            progress(n, steps)
    if selects:
        with connection.cursor() as cursor:
            for function in REGISTRY.selects():
                cursor.execute(*select_rows(function(inputs)))
                for row in cursor.fetchall():
                    indicator, level, scope_id, stage, _district, _zone, _school, value, numerator, denominator = row
                    values.append(Value(indicator, level, scope_id, stage, _decimal(value), _decimal(numerator),
                                        _decimal(denominator)))
    return values


def _decimal(number):
    """A figure read back as the job stores it: a Decimal (SQLite answers floats and ints)."""
    if number is None or isinstance(number, Decimal):
        return number
    return Decimal(number) if isinstance(number, int) else Decimal(repr(number)).quantize(STORED)


STORED = Decimal("1e-10")  # the snapshot's decimal places
