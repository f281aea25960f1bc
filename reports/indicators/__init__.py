"""The one indicator registry (reports/indicators/base.py), filled by one module per source.

A new source adds a module here with its compute
function and `register(Indicator(...))` lines, and one import below.
"""

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
        for function in REGISTRY.selects():
            for row in function(inputs).order_by().values_list(*SELECT_COLUMNS):
                indicator, level, scope_id, stage, _district, _zone, _school, value, numerator, denominator = row
                values.append(Value(indicator, level, scope_id, stage, value, numerator, denominator))
    return values
