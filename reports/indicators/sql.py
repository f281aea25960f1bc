"""Indicators computed and written inside the database: one statement per source app's
figures, whatever the number of schools, and no row through Python.

A `Figures` declares its sources (querysets of records, each with the lookup from its model
to School and additive aggregates: counts and sums) and its outputs (an indicator code and
SQL expressions over the aggregates' names for the value, the numerator and the
denominator). `Figures.sql(inputs)` is one SELECT of indicators.SELECT_COLUMNS:

* each source grouped once per school (the ORM writes that SQL: its filters, joins and
  FILTER clauses), carrying the school's zone, district and city;
* the zone, district and city rows summed from the school rows (counts and sums add up;
  a source of distinct counts is grouped again per level instead);
* the first source giving the scopes: a scope without rows of the other sources counts
  zero there (a school without visits has 0 visits);
* each output an arm of one UNION ALL, level by level.

The snapshot job runs it as INSERT … SELECT; `compute_all` reads it back (the tests'
path). Expressions use the `ratio` helper: exact on PostgreSQL (numeric); on SQLite, which
has no decimal arithmetic, in floating point (about 15 significant digits, far more than
the one or two decimals a page shows).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import DecimalField, F
from django.db.models import Value as V
from django.db.models.functions import Cast

from reports.indicators.base import AREA_LEVELS, CITY, DISTRICT, ROLLUP_PATHS, SCHOOL, SELECT_COLUMNS, ZONE


@dataclass(frozen=True)
class Source:
    queryset: object  # callable(inputs) -> queryset of the records
    school: str  # the lookup from the records' model to School ("" for School itself)
    aggregates: dict  # name -> Count(...) or Sum(...): additive, so the levels above add up
    # A distinct count does not add up: such a source is grouped again at every level (and
    # cannot be the first source, which places the scopes).
    additive: bool = True


@dataclass(frozen=True)
class Out:
    code: str
    value: str  # an SQL expression over the aggregates' names
    numerator: str = "NULL"
    denominator: str = "NULL"
    stage: str = ""
    levels: tuple = AREA_LEVELS
    where: str = ""  # an SQL condition over the aggregates: the scopes that get this row


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: the registry's selects
class Figures:
    sources: tuple  # the first gives the scopes
    outs: object = field(default=())  # a tuple of Out, or callable(inputs) -> one (a period's months)

    def sql(self, inputs):
        """(sql, params): one SELECT of SELECT_COLUMNS for every output at every level."""
        ctes, params = [], []
        names = []
        if not self.sources[0].additive:
            raise ValueError("the first source places the scopes: it must add up")
        for n, source in enumerate(self.sources):
            names.extend(source.aggregates)
            if not source.additive:
                for level in AREA_LEVELS:
                    sql, source_params = _per_level(source, inputs, level)
                    ctes.append(f"s{n}_{level} AS ({sql})")
                    params.extend(source_params)
                continue
            sql, source_params = _per_school(source, inputs)
            ctes.append(f"s{n}_{SCHOOL} AS ({sql})")
            params.extend(source_params)
            sums = ", ".join(f"SUM({name}) AS {name}" for name in source.aggregates)
            for level, key, district in ((ZONE, "g_zone", "g_zone_district"), (DISTRICT, "g_district", "g_district"),
                                         (CITY, "g_city", "g_city")):
                ctes.append(f"s{n}_{level} AS (SELECT {key} AS g_scope, {district} AS g_district, "
                            f"CAST(NULL AS BIGINT) AS g_zone, {sums} FROM s{n}_{SCHOOL} WHERE {key} IS NOT NULL "
                            f"GROUP BY {key}, {district})")
        if len(set(names)) != len(names):
            raise ValueError(f"aggregate names repeat across sources: {names}")
        arms, arm_params = [], []
        for level in AREA_LEVELS:
            joined = f"s0_{level} s0" + "".join(
                f" LEFT JOIN s{n}_{level} s{n} ON s{n}.g_scope = s0.g_scope" for n in range(1, len(self.sources)))
            columns = ", ".join(_column(n, name, nullable=n > 0) for n, source in enumerate(self.sources)
                                for name in source.aggregates)
            district = "s0.g_district" if level in (SCHOOL, ZONE) else "s0.g_scope"
            zone = {SCHOOL: "s0.g_zone", ZONE: "s0.g_scope"}.get(level, "CAST(NULL AS BIGINT)")
            school = "s0.g_scope" if level == SCHOOL else "CAST(NULL AS BIGINT)"
            level_rows = f"(SELECT s0.g_scope, {district} AS p_district, {zone} AS p_zone, {school} AS p_school, " \
                         f"{columns} FROM {joined}) r_{level}"
            for out in self.outs(inputs) if callable(self.outs) else self.outs:
                if level not in out.levels:
                    continue
                figures = (_number(out.value), _number(out.numerator), _number(out.denominator))
                columns_out = ("%s", "%s", "g_scope", "%s", "p_district", "p_zone", "p_school", *figures)
                named = ", ".join(f"{c} AS {a}" for c, a in zip(columns_out, SELECT_COLUMNS, strict=True))
                arms.append(f"SELECT {named} FROM {level_rows}" + (f" WHERE {out.where}" if out.where else ""))
                arm_params.extend([out.code, level, out.stage])
        sql = f"WITH {', '.join(ctes)} {' UNION ALL '.join(arms)}".replace(EXACT, _exact())
        return sql, [*params, *arm_params]

    __call__ = sql  # a select function of the registry


def own_rows(queryset, *, indicator, level, scope, stage, school, value):
    """A figure that is a record's own (a class's size, a school's): the record's queryset
    annotated with SELECT_COLUMNS. `scope`, `stage`, `value` are expressions over the
    record; `school` the lookup from it to School ("" for School), which places the row."""
    prefix = f"{school}__" if school else ""
    none = Cast(V(None), DecimalField(max_digits=24, decimal_places=6))
    return queryset.annotate(
        s_indicator=V(indicator), s_level=V(level), s_scope=scope, s_stage=stage,
        s_district=F(f"{prefix}district_id"), s_zone=F(f"{prefix}zone_link__zone"), s_school=F(f"{prefix}id"),
        s_value=value, s_numerator=none, s_denominator=none,
    )


def _per_school(source, inputs):
    """The source's records grouped by school, with where the school lies."""
    prefix = f"{source.school}__" if source.school else ""
    places = {
        "g_scope": f"{prefix}{ROLLUP_PATHS[SCHOOL]}", "g_zone": f"{prefix}{ROLLUP_PATHS[ZONE]}",
        "g_zone_district": f"{prefix}{ROLLUP_PATHS[ZONE]}__district", "g_district": f"{prefix}{ROLLUP_PATHS[DISTRICT]}",
        "g_city": f"{prefix}{ROLLUP_PATHS[CITY]}",
    }
    queryset = (source.queryset(inputs).filter(**{f"{places['g_scope']}__isnull": False}).order_by()
                .annotate(**{name: F(path) for name, path in places.items()})
                .values(*places).annotate(**source.aggregates))
    return queryset.query.sql_with_params()


def _per_level(source, inputs, level):
    """A source that does not add up, grouped by the scopes of one level."""
    path = f"{source.school}__{ROLLUP_PATHS[level]}" if source.school else ROLLUP_PATHS[level]
    queryset = (source.queryset(inputs).filter(**{f"{path}__isnull": False}).order_by()
                .annotate(g_scope=F(path)).values("g_scope").annotate(**source.aggregates))
    return queryset.query.sql_with_params()


def _column(n, name, *, nullable):
    return f"COALESCE(s{n}.{name}, 0) AS {name}" if nullable else f"s{n}.{name} AS {name}"


# The exact type, put in when a statement is built (the outputs are declared at import).
EXACT = "{exact}"


def _number(expression):
    """Every arm's figure columns of one type, so the UNION ALL unites them."""
    return f"CAST({expression} AS {EXACT})"


def _exact():
    return "NUMERIC" if connection.vendor == "postgresql" else "REAL"


def ratio(numerator, denominator, scale=1):
    """numerator / denominator × scale, NULL without a denominator (as base.ratio)."""
    return f"(CASE WHEN ({denominator}) > 0 THEN CAST({numerator} AS {EXACT}) * {scale} / ({denominator}) END)"


def nonzero(expression):
    """A count or a sum, zero where no record had it (a SUM over NULLs)."""
    return f"COALESCE({expression}, 0)"
