"""Reads of the dashboards: snapshots only, in a fixed number of queries per page.

Each function reads the snapshots of one scope (or of the scopes one level below it) for
one period with one query, whatever the number of schools; the rows the pages show are
built from the registry and the loaded snapshots. The periodic reports' lists and
versions are read at the end.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils import timezone

from bureau import jobs
from bureau.models import Job
from reports.indicators import GROUP_LABELS, REGISTRY, STAGE_LABELS, STAGES
from reports.models import AreaState, Report, Snapshot
from reports.snapshots import job_key, progress_key
from schools.models import Term


def terms():
    """The periods to choose from, newest first (two a year: a short list)."""
    return list(Term.objects.select_related("school_year").order_by("-start_date"))


def period(term_list, requested):
    """The term a page shows: the one asked for, else the latest with snapshots of the
    scope asked about (`requested` is the GET value), else the newest."""
    wanted = str(requested or "")
    for term in term_list:
        if str(term.pk) == wanted:
            return term
    from schools.selectors import current_term

    current = current_term()
    return current if current is not None else (term_list[0] if term_list else None)


def scope_values(*, level, scope_id, term):
    """{(indicator, stage): Snapshot} of one scope in one period: one query."""
    if term is None:
        return {}
    rows = Snapshot.objects.filter(level=level, scope_id=scope_id, term=term)
    return {(s.indicator, s.stage): s for s in rows}


class Figure(NamedTuple):
    """What a table of many scopes reads of a snapshot: a plain tuple, not a model instance
    (a district's schools are thousands of rows)."""

    value: object
    computed_at: object


def below_values(*, level, term, indicators=None, **where):
    """{scope id: {(indicator, stage): Figure}} of the scopes of `level` under a scope
    (`where`: district=…, zone=…, school=…), for one period: one query."""
    if term is None:
        return {}
    rows = Snapshot.objects.filter(level=level, term=term, **where)
    if indicators is not None:
        rows = rows.filter(indicator__in=indicators)
    result = defaultdict(dict)
    for scope_id, indicator, stage, value, computed_at in rows.order_by().values_list(
            "scope_id", "indicator", "stage", "value", "computed_at"):
        result[scope_id][(indicator, stage)] = Figure(value, computed_at)
    return result


def trends(*, level, scope_ids, indicators):
    """{(scope id, indicator, stage): [(term, value)]} over every period, oldest first: one query."""
    rows = (Snapshot.objects.filter(level=level, scope_id__in=scope_ids, indicator__in=indicators)
            .select_related("term__school_year").order_by("term__start_date"))
    result = defaultdict(list)
    for s in rows:
        result[(s.scope_id, s.indicator, s.stage)].append((s.term, s.value))
    return result


def display(value, places):
    if value is None:
        return "—"
    q = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(q, rounding=ROUND_HALF_UP):,}"


@dataclass
class Row:
    indicator: object
    stage: str
    value: object  # Decimal or None, unrounded
    shown: str
    threshold: object
    met: object  # True, False or None (no standard or no figure)
    compare: object = None  # the same indicator one level up (a school's district)
    compare_shown: str = ""
    label: object = None  # a shorter name where the table says what it is (the seven)

    @property
    def stage_label(self):
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def standard(self):
        if self.threshold is None:
            return ""
        return f"{'≥' if self.indicator.comparator == '>=' else '≤'} {self.threshold.normalize():f}"


def _row(indicator, stage, snapshot, compare=None):
    value = snapshot.value if snapshot is not None else None
    compare_value = compare.value if compare is not None else None
    return Row(indicator, stage, value, display(value, indicator.places), indicator.threshold(stage),
               indicator.is_met(value, stage), compare_value,
               display(compare_value, indicator.places) if compare is not None else "")


# What the tables leave to their own sections: the seven and their CVs have their table and
# chart, the buckets their chart.
OWN_SECTIONS = ("resources", "buckets")


def indicator_rows(values, *, level, compare=None):
    """[(group label, [Row])] of every indicator of `level` that has a figure: the groups in
    GROUP_LABELS order, each in registry order."""
    groups = defaultdict(list)
    for indicator in REGISTRY:
        if level not in indicator.levels or indicator.group in OWN_SECTIONS:
            continue
        for stage in indicator.stages:
            snapshot = values.get((indicator.code, stage))
            if snapshot is None:
                continue
            other = (compare or {}).get((indicator.code, stage))
            groups[indicator.group].append(_row(indicator, stage, snapshot, other))
    return [(label, groups[g]) for g, label in GROUP_LABELS.items() if g in groups]


def resource_rows(values, *, prefix, compare=None):
    """[(stage label, stage, [Row])] of the seven of one scope, for "cv." or "res." figures,
    in the stages the scope has figures of (a primary school: primary only)."""
    from bureau.rules import RESOURCE_INDICATORS

    result = []
    for stage in STAGES:
        rows = []
        for rule in RESOURCE_INDICATORS:
            indicator = REGISTRY[f"{prefix}{rule.code}"]
            snapshot = values.get((indicator.code, stage))
            other = (compare or {}).get((indicator.code, stage))
            if snapshot is not None:
                row = _row(indicator, stage, snapshot, other)
                row.label = rule.title
                rows.append(row)
        if rows:
            result.append((STAGE_LABELS[stage], stage, rows))
    return result


def ruled_codes():
    """The indicators judged against a standard: all failing_rules reads."""
    return [indicator.code for indicator in REGISTRY if indicator.rule is not None]


def failing_rules(values_by_school):
    """{school id: [Row]} of the standards each school misses, from its school snapshots."""
    failing = {}
    for school_id, values in values_by_school.items():
        rows = []
        for (code, stage), snapshot in values.items():
            indicator = REGISTRY.get(code)
            if indicator is None or indicator.rule is None:
                continue
            if indicator.is_met(snapshot.value, stage) is False:
                rows.append(_row(indicator, stage, snapshot))
        if rows:
            failing[school_id] = sorted(rows, key=lambda r: (r.indicator.group, r.indicator.code, r.stage))
    return failing


def freshness(*, area_id):
    """How fresh the area's snapshots are, and the refresh job if one is open: two queries."""
    state = AreaState.objects.filter(area_id=area_id).first()
    job = Job.objects.filter(key=job_key(area_id), state__in=Job.OPEN).first()
    return {
        "state": state,
        "computed_at": state.computed_at if state else None,
        "dirty_since": state.dirty_since if state else None,
        "job": job,
        "job_status": jobs.job_status(job),
        "progress": jobs.progress_get(progress_key(area_id)) if job else None,
        "now": timezone.now(),
    }


def area_of(district):
    return district.parent_id or district.pk


def report_list(*, user, kind=None):
    reports = Report.objects.visible_to(user).select_related("district", "zone")
    if kind:
        reports = reports.filter(kind=kind)
    return reports.defer("data")


def report_get_queryset(user):
    return Report.objects.visible_to(user).select_related("district", "zone", "requested_by", "published_by")


def report_versions(*, report, user):
    return (Report.objects.visible_to(user).filter(kind=report.kind, scope_key=report.scope_key,
                                                   period_start=report.period_start)
            .defer("data").order_by("-version"))


def bulletin_queryset():
    """Published bulletins: what anyone may read."""
    return Report.objects.filter(status=Report.Status.PUBLISHED).select_related("district", "zone")
