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
    STAGE_LABELS,
    STAGES,
    ZONE,
    Indicator,
    Value,
    register,
)
from reports.indicators.inputs import Inputs  # noqa: F401


def compute_all(inputs, *, progress=None):
    """Every Value of every indicator for the area and period of `inputs`."""
    functions = REGISTRY.computers()
    values = []
    for n, function in enumerate(functions, 1):
        values.extend(function(inputs))
        if progress is not None:
            progress(n, len(functions))
    return values
