"""Snapshots: stored per scope and period, kept per period, recomputed debounced after a
change, once for a burst; a job that finds the inputs changed while it ran goes again."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from bureau import jobs
from bureau.models import Job
from reports import snapshots
from reports.models import AreaState, Snapshot
from tests import factories
from tests.inspections.factories import FiledVisitFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    year = factories.SchoolYearFactory(start_year=2025)
    return factories.TermFactory(school_year=year, number=1), factories.TermFactory(
        school_year=year, number=2, start_date=datetime.date(2026, 2, 20), end_date=datetime.date(2026, 7, 5))


def test_snapshots_of_an_area_are_placed_for_the_scope_engine(city, district, school, zone, terms, staff_user):
    factories.SchoolYearStatFactory(school=school, school_year=terms[0].school_year, computers=120)
    cls = factories.SchoolClassFactory(school=school, term=terms[0], boys=30, girls=28)
    written = snapshots.snapshots_compute(area_id=city.pk, term=terms[0], today=datetime.date(2025, 12, 1))
    assert written == Snapshot.objects.count() > 0
    row = Snapshot.objects.get(indicator="class_size", scope_id=cls.pk)
    assert (row.district_id, row.zone_id, row.school_id, row.value) == (district.pk, zone.pk, school.pk, 58)
    city_row = Snapshot.objects.get(indicator="computers", level="city")
    assert city_row.scope_id == city.pk == city_row.district_id
    # District staff read their district's rows, not the city's.
    visible = Snapshot.objects.visible_to(staff_user)
    assert visible.filter(level="district").exists() and not visible.filter(level="city").exists()


def test_recomputing_replaces_one_period_and_keeps_the_others(city, school, terms):
    factories.SchoolYearStatFactory(school=school, school_year=terms[0].school_year, computers=100)
    for term in terms:
        snapshots.snapshots_compute(area_id=city.pk, term=term, today=datetime.date(2026, 3, 1))
    first = Snapshot.objects.filter(term=terms[0]).count()
    school.year_stats.update(computers=200)
    snapshots.snapshots_compute(area_id=city.pk, term=terms[1], today=datetime.date(2026, 3, 1))
    assert Snapshot.objects.filter(term=terms[0]).count() == first
    old = Snapshot.objects.get(term=terms[0], indicator="computers", level="school")
    new = Snapshot.objects.get(term=terms[1], indicator="computers", level="school")
    assert (old.value, new.value) == (10, 20)
    assert not Snapshot.objects.filter(term=terms[1], indicator="computers", level="school").exclude(pk=new.pk)


def test_a_burst_of_changes_makes_one_delayed_job(city, district, school, django_capture_on_commit_callbacks,
                                                  settings):
    settings.SNAPSHOT_DEBOUNCE_SECONDS = 120
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for day in (3, 4, 5):
            FiledVisitFactory(school=school, date=datetime.date(2025, 11, day))
    job = Job.objects.get(kind=snapshots.JOB_KIND)
    assert job.key == snapshots.job_key(city.pk) and job.payload["area"] == city.pk
    assert job.run_after >= before + datetime.timedelta(seconds=120)
    assert job.sent_at is None  # not rung: the sweep rings it once it is due
    state = AreaState.objects.get(area=city)
    assert state.inputs_version == 3 and state.dirty_since is not None
    # A draft visit changes no figure.
    with django_capture_on_commit_callbacks(execute=True):
        VisitFactory(school=school)
    assert AreaState.objects.get(area=city).inputs_version == 3


def test_without_a_debounce_the_change_is_computed_at_once(city, school, terms, django_capture_on_commit_callbacks,
                                                          settings):
    """The embedded demo has no beat to ring a delayed job (bin/demo sets no debounce): the job
    is rung on commit and eager Celery runs it, so the dashboards follow the change at once."""
    settings.SNAPSHOT_DEBOUNCE_SECONDS = 0
    with mock.patch("reports.snapshots.current_term", return_value=terms[0]):
        with django_capture_on_commit_callbacks(execute=True):
            FiledVisitFactory(school=school, date=datetime.date(2025, 11, 3))
    job = Job.objects.get(kind=snapshots.JOB_KIND)
    assert job.state == Job.State.DONE
    state = AreaState.objects.get(area=city)
    assert state.dirty_since is None and state.computed_version == state.inputs_version == 1


def test_progress_runs_through_the_statements_to_the_end(city, school, terms):
    """The in-database statements come after the Python ones and are most of the job: the
    progress goes on through them and ends at its last step."""
    seen = []
    snapshots.snapshots_compute(area_id=city.pk, term=terms[0], progress=lambda done, steps: seen.append((done,
                                                                                                         steps)))
    steps = seen[-1][1]
    assert [done for done, _steps in seen] == list(range(1, steps + 1)) and {k for _d, k in seen} == {steps}


def test_the_job_computes_and_clears_the_mark(city, school, terms, django_capture_on_commit_callbacks):
    with mock.patch("reports.snapshots.current_term", return_value=terms[0]):
        with django_capture_on_commit_callbacks(execute=True):
            snapshots.snapshots_request(district_id=school.district_id, delay=datetime.timedelta(0))
        job = Job.objects.get(kind=snapshots.JOB_KIND)
        jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    state = AreaState.objects.get(area=city)
    assert state.dirty_since is None and state.computed_version == state.inputs_version == 1
    assert Snapshot.objects.filter(term=terms[0], inputs_version=1).exists()


def test_a_change_during_the_run_runs_it_again(city, school, terms):
    real = snapshots.snapshots_compute
    calls = []

    def compute_while_someone_files(**kwargs):
        calls.append(kwargs["term"])
        written = real(**kwargs)
        if len(calls) == 1:  # a visit filed after the run read the inputs' version
            AreaState.objects.filter(area_id=city.pk).update(inputs_version=5)
        return written

    AreaState.objects.create(area=city, inputs_version=1)
    job = snapshots.snapshots_enqueue(area_id=city.pk, term_ids=[terms[0].pk])
    with mock.patch("reports.snapshots.current_term", return_value=terms[0]), \
            mock.patch("reports.snapshots.snapshots_compute", side_effect=compute_while_someone_files):
        jobs.job_run(job_id=job.pk)
    assert len(calls) == 2
    assert AreaState.objects.get(area=city).computed_version == 5


def test_nightly_enqueues_one_job_per_area(city, other_district, district, sibling_district):
    job = jobs.job_enqueue(kind=snapshots.NIGHTLY_KIND, key="periodic:x")
    jobs.job_run(job_id=job.pk)
    keys = set(Job.objects.filter(kind=snapshots.JOB_KIND).values_list("key", flat=True))
    assert keys == {snapshots.job_key(city.pk), snapshots.job_key(other_district.pk)}


def test_a_closed_complaint_and_a_finished_import_ask_for_new_figures(city, school, staff_user,
                                                                      django_capture_on_commit_callbacks):
    from bureau.models import ImportJob
    from tests.reports.test_indicators import _complaint

    with django_capture_on_commit_callbacks(execute=True):
        complaint = _complaint(school)  # investigating: no new figure yet
    assert not AreaState.objects.filter(area=city).exists()
    with django_capture_on_commit_callbacks(execute=True):
        complaint.status = "closed"
        complaint.save(update_fields=["status"])
        ImportJob.objects.create(kind="teachers", file="imports/x.csv", original_name="x.csv", file_format="csv",
                                 created_by=staff_user, district=school.district, status="done")
    assert AreaState.objects.get(area=city).inputs_version == 2
    assert Job.objects.filter(kind=snapshots.JOB_KIND).count() == 1
