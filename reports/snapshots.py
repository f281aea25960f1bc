"""Computing and storing the metric snapshots of an area (a city with its districts, or a
district without a city) for one period, and asking for that to happen.

`snapshots_compute` runs every compute function of the registry over the area and replaces
the area's snapshots of the period in one transaction, under a lock on the area's state row:
two jobs for the same area at once write one result, one after the other, never a mix.

`snapshots_request` is what a change of the inputs calls (an import done, a visit filed, a
complaint closed): it bumps the area's inputs version and enqueues the area's job with a
delay of SNAPSHOT_DEBOUNCE_SECONDS under one key, so a burst of changes makes one job; the
job runs again when the version moved while it computed.
"""

import io
import logging
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from bureau import jobs
from inspections.models import InspectorZone
from reports.indicators import CLASS, REGISTRY, SCHOOL, ZONE, Inputs, compute_all, select_rows
from reports.models import AreaState, Snapshot
from schools.models import District, School, SchoolClass
from schools.selectors import current_term

logger = logging.getLogger(__name__)

JOB_KIND = "reports.snapshots"
NIGHTLY_KIND = "reports.snapshots_nightly"


def area_id_of(district_id):
    """The area a district's snapshots are computed with: its city, or itself."""
    parent = District.objects.filter(pk=district_id).values_list("parent_id", flat=True).first()
    return parent or district_id


def area_districts(area_id):
    return [area_id, *District.objects.filter(parent_id=area_id).values_list("pk", flat=True)]


def job_key(area_id):
    return f"{JOB_KIND}:{area_id}"


def progress_key(area_id):
    return f"reports:snapshots:{area_id}"


def _state_locked(area_id):
    AreaState.objects.bulk_create([AreaState(area_id=area_id)], ignore_conflicts=True)
    return AreaState.objects.select_for_update().get(area_id=area_id)


def _placement(district_ids, term):
    """Where each scope lies: {school: (district, zone)}, {zone: district}, {class: school}."""
    schools = {pk: (d, z) for pk, d, z in School.objects.filter(district_id__in=district_ids).order_by()
               .values_list("pk", "district_id", "zone_link__zone")}
    zones = dict(InspectorZone.objects.filter(district_id__in=district_ids).order_by().values_list("pk", "district_id"))
    classes = dict(SchoolClass.objects.filter(school__district_id__in=district_ids, term=term).order_by()
                   .values_list("pk", "school_id"))
    return schools, zones, classes


COLUMNS = ("indicator", "level", "scope_id", "stage", "term_id", "district_id", "zone_id", "school_id", "value",
           "numerator", "denominator", "computed_at", "inputs_version")


def _insert(rows):
    """Write the rows, plain tuples: PostgreSQL's COPY (one stream, no statement per row),
    elsewhere one executemany. The ORM's bulk_create spends most of a job preparing tens of
    thousands of Decimal fields one by one, and psycopg2's executemany runs one INSERT a row."""
    table = connection.ops.quote_name(Snapshot._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", _copy_text(rows))
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def _insert_selected(inputs, *, term_id, now, version, progress=None):
    """The select functions' rows, each one INSERT … SELECT: computed and written in the
    database, never a row through Python. Returns the rows written. `progress(done, steps)`
    goes on from the compute functions' steps (they come first)."""
    table = connection.ops.quote_name(Snapshot._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*SELECTED_COLUMNS, "term_id", "computed_at",
                                                               "inputs_version"))
    written = 0
    selects, before = REGISTRY.selects(), len(REGISTRY.computers())
    with connection.cursor() as cursor:
        for n, function in enumerate(selects, 1):
            sql, params = select_rows(function(inputs))
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT s.*, %s, %s, %s FROM ({sql}) s",
                           (term_id, now, version, *params))
            written += cursor.rowcount
            if progress is not None:
                progress(before + n, before + len(selects))
    return written


# The snapshot columns a select function fills, in the order of indicators.SELECT_COLUMNS.
SELECTED_COLUMNS = ("indicator", "level", "scope_id", "stage", "district_id", "zone_id", "school_id", "value",
                    "numerator", "denominator")


def _copy_text(rows):
    """COPY's text format: tab-separated, \\N for NULL (codes and numbers hold no tab,
    newline or backslash)."""
    lines = ("\t".join(["\\N" if v is None else str(v) for v in row]) for row in rows)
    return io.StringIO("\n".join(lines) + "\n")


def _row(value, *, term_id, schools, zones, classes, now, version):
    school_id = zone_id = None
    if value.level == CLASS:
        school_id = classes[value.scope_id]
    elif value.level == SCHOOL:
        school_id = value.scope_id
    if school_id is not None:
        district_id, zone_id = schools[school_id]
    elif value.level == ZONE:
        zone_id, district_id = value.scope_id, zones[value.scope_id]
    else:  # DISTRICT, CITY
        district_id = value.scope_id
    return (value.indicator, value.level, value.scope_id, value.stage, term_id, district_id, zone_id, school_id,
            _decimal(value.value), _decimal(value.numerator), _decimal(value.denominator), now, version)


def _check_unique(values):
    """One row per indicator, scope and stage (the table has no unique index: see Snapshot).
    A select function's codes are its own: the registry gives each code one function."""
    keys = Counter((v.indicator, v.level, v.scope_id, v.stage) for v in values)
    twice = sorted(key for key, n in keys.items() if n > 1)
    if twice:
        raise RuntimeError(f"indicator rows computed twice: {twice[:5]}")


def _decimal(value):
    return None if value is None else Decimal(value)


def snapshots_compute(*, area_id, term, today=None, progress=None):
    """Compute and store every snapshot of the area for `term`; returns the rows written."""
    started = time.monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The statements of indicators/sql.py join grouped CTEs whose sizes the planner
            # overestimates a thousandfold; its JIT compiler then spent seconds compiling a
            # statement that runs in tens of milliseconds.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        state = _state_locked(area_id)
        version = state.inputs_version
        district_ids = area_districts(area_id)
        inputs = Inputs(tuple(district_ids), term, today)
        values = compute_all(inputs, progress=progress, selects=False)
        schools, zones, classes = _placement(district_ids, term)
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now)
        rows = [_row(v, term_id=term.pk, schools=schools, zones=zones, classes=classes, now=stamp, version=version)
                for v in values]
        _check_unique(values)
        Snapshot.objects.filter(district_id__in=district_ids, term=term).delete()
        _insert(rows)
        written = len(rows) + _insert_selected(inputs, term_id=term.pk, now=stamp, version=version,
                                               progress=progress)
        # Still dirty if someone changed the inputs while this ran (their version is newer).
        AreaState.objects.filter(pk=state.pk).update(
            computed_at=now, computed_version=version, seconds=time.monotonic() - started,
        )
        AreaState.objects.filter(pk=state.pk, inputs_version=version).update(dirty_since=None)
    return written


def snapshots_request(*, district_id, delay=None):
    """The inputs of a district changed: mark its area dirty and enqueue one job for a
    burst of such changes (on commit, so a rolled-back change asks for nothing)."""
    area_id = area_id_of(district_id)
    now = timezone.now()
    AreaState.objects.bulk_create([AreaState(area_id=area_id)], ignore_conflicts=True)
    AreaState.objects.filter(area_id=area_id).update(
        inputs_version=F("inputs_version") + 1, dirty_since=Coalesce(F("dirty_since"), now),
    )
    if delay is None:
        # No debounce (0, as the embedded demo runs without beat to ring a delayed job): the
        # job is rung at once, and eager Celery runs it on commit.
        delay = timedelta(seconds=settings.SNAPSHOT_DEBOUNCE_SECONDS) or None
    transaction.on_commit(lambda: snapshots_enqueue(area_id=area_id, delay=delay))
    return area_id


def snapshots_enqueue(*, area_id, term_ids=None, delay=None):
    """The area's snapshot job: at most one open (bureau.jobs keys), so asking twice is once."""
    payload = {"area": area_id, "terms": list(term_ids or [])}
    return jobs.job_enqueue(kind=JOB_KIND, key=job_key(area_id), payload=payload, delay=delay)


# A job that finds the inputs changed while it computed goes round again, this many times.
MAX_ROUNDS = 3


@jobs.handler(JOB_KIND)
def _run_snapshots(job):
    from schools.models import Term

    area_id = job.payload["area"]
    term_ids = job.payload.get("terms") or []
    terms = list(Term.objects.filter(pk__in=term_ids).order_by("start_date")) if term_ids else [current_term()]
    terms = [t for t in terms if t is not None]
    total = len(terms)
    for _round in range(MAX_ROUNDS):
        for n, term in enumerate(terms):
            jobs.progress_set(progress_key(area_id), {"term": n, "terms": total, "step": 0, "steps": 1})
            snapshots_compute(area_id=area_id, term=term, progress=lambda i, k, n=n: jobs.progress_set(
                progress_key(area_id), {"term": n, "terms": total, "step": i, "steps": k}))
        state = AreaState.objects.filter(area_id=area_id).values("inputs_version", "computed_version").first()
        if not state or state["inputs_version"] <= state["computed_version"]:
            break
        terms = [t for t in terms if t == current_term()] or terms[-1:]
    jobs.progress_clear(progress_key(area_id))


@jobs.handler(NIGHTLY_KIND)
def _nightly(job):
    """Every area's current period, each as its own job (beat, reports in bureau settings)."""
    for area_id in District.objects.filter(parent__isnull=True).values_list("pk", flat=True):
        snapshots_enqueue(area_id=area_id)

