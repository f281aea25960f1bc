"""The indicator registry: every figure the dashboards show, with its standard and source.

An indicator is data: a code, a name, a unit, the levels it exists at, the stages it is
split by, the rule it is judged against (bureau/rules.py: threshold, comparator, source) and
how it is computed for a whole area (an `Inputs`: the area's districts, the period) at once:

* `select` (nearly all of them): a function returning one SELECT of SELECT_COLUMNS for every
  scope of every level, computed set-based inside the database: a queryset annotated with
  them (a class's own size) or a statement of indicators/sql.py (sources grouped once per
  school, the levels above summed from those rows). The snapshot job writes it with one
  INSERT … SELECT, the rows never leaving the database (`select_rows`);
* `compute`: a Python function returning `Value` rows, for arithmetic SQL does not share
  with the rest of the portal: the between-school CVs, which use the one weighted_cv of
  schools/indicators.py (the school page and the class draw use it too), over one row per
  school and stage read in one query.

The snapshot job (reports/snapshots.py) runs both and stores the rows; pages read the
stored rows only. Adding an indicator is a few lines in the module of its source app (a
self-report, a survey, a class draw): `register(Indicator(...))` with its select function.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

CLASS, SCHOOL, ZONE, DISTRICT, CITY = "class", "school", "zone", "district", "city"
LEVELS = (CLASS, SCHOOL, ZONE, DISTRICT, CITY)
LEVEL_LABELS = {CLASS: _("Class"), SCHOOL: _("School"), ZONE: _("Inspector zone"), DISTRICT: _("District"),
                CITY: _("City")}
# Levels that aggregate schools, and how a school row reaches each (lookups from School).
ROLLUP_PATHS = {SCHOOL: "id", ZONE: "zone_link__zone", DISTRICT: "district", CITY: "district__parent"}
AREA_LEVELS = (SCHOOL, ZONE, DISTRICT, CITY)
ABOVE_SCHOOL = (ZONE, DISTRICT, CITY)

ALL_STAGES = ""  # a value that is not split by stage
STAGES = ("primary", "junior")
STAGE_LABELS = {"primary": _("Primary"), "junior": _("Junior secondary"), ALL_STAGES: ""}


@dataclass(frozen=True)
class Value:
    """One computed figure: an indicator at one scope (level and id), stage and period."""

    indicator: str
    level: str
    scope_id: int
    stage: str = ALL_STAGES
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object  # a lazy msgid (English) with its Chinese translation
    unit: object
    levels: tuple
    compute: object  # callable(inputs) -> iterable of Value; may compute several codes at once
    rule: object = None  # bureau.rules.Rule: the standard, its comparator and its source
    stages: tuple = (ALL_STAGES,)
    group: str = "other"  # where the district table lists it (GROUP_LABELS)
    places: int = 2  # decimals shown; the stored value is unrounded
    # A figure of a whole area that a school does not own (the between-school CV) is read
    # at district level; school rows of it (a school's contribution) have their own code.
    computed_by: str = ""  # the code whose compute function also yields this one
    # callable(inputs) -> queryset annotated with SELECT_COLUMNS, for figures SQL computes
    # whole (then `compute` is None); see `select_rows`.
    select: object = None

    def threshold(self, stage):
        if self.rule is None:
            return None
        return self.rule.threshold_for(stage or "all")

    @property
    def comparator(self):
        return self.rule.comparator if self.rule is not None else ""

    @property
    def source(self):
        return self.rule.source if self.rule is not None else ""

    def is_met(self, value, stage):
        if self.rule is None or value is None:
            return None
        return self.rule.is_met(Decimal(value), stage or "all")


# The district table's groups, in the order it lists them.
GROUP_LABELS = {
    "visits": _("Inspections"),
    "complaints": _("Complaints"),
    "classes": _("Class sizes"),
    "schools": _("Schools"),
    "students": _("Students"),
    "teachers": _("Teachers"),
    "burden": _("Self-reports: schools within the burden rules"),
    "surveys": _("Surveys"),
    "draws": _("Class balance of teachers"),
    "resources": _("Resources (2017 measures)"),
    "other": _("Other"),
}


@dataclass
class Registry:
    indicators: dict = field(default_factory=dict)

    def register(self, indicator):
        if indicator.code in self.indicators:
            raise ValueError(f"indicator {indicator.code} registered twice")
        if (indicator.compute is None) == (indicator.select is None):
            raise ValueError(f"indicator {indicator.code} needs a compute or a select function, not both")
        self.indicators[indicator.code] = indicator
        return indicator

    def __getitem__(self, code):
        return self.indicators[code]

    def get(self, code):
        return self.indicators.get(code)

    def __iter__(self):
        return iter(self.indicators.values())

    def computers(self):
        """The compute functions to run, each once (one function may yield several codes)."""
        return self._distinct("compute")

    def selects(self):
        """The select functions, each once: figures computed and written inside the database."""
        return self._distinct("select")

    def _distinct(self, attribute):
        seen, functions = set(), []
        for indicator in self:
            function = getattr(indicator, attribute)
            if function is not None and function not in seen:
                seen.add(function)
                functions.append(function)
        return functions


REGISTRY = Registry()
register = REGISTRY.register


# The columns a select function's queryset is annotated with, in the snapshot's order: the
# Value's fields and where the scope lies. (Prefixed: a model's own field names are taken.)
SELECT_COLUMNS = ("s_indicator", "s_level", "s_scope", "s_stage", "s_district", "s_zone", "s_school", "s_value",
                  "s_numerator", "s_denominator")


def select_rows(selected):
    """(sql, params) with exactly SELECT_COLUMNS, in order, of what a select function returns:
    a queryset annotated with them, or an (sql, params) of its own (indicators/sql.py)."""
    if isinstance(selected, tuple):
        sql, params = selected
        return sql, list(params)
    sql, params = selected.order_by().values(*SELECT_COLUMNS).query.sql_with_params()
    columns = ", ".join(f"q.{name}" for name in SELECT_COLUMNS)
    return f"SELECT {columns} FROM ({sql}) q", params


def ratio(numerator, denominator, scale=1):
    """numerator / denominator × scale, unrounded; None without a denominator."""
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) * scale / Decimal(denominator)
