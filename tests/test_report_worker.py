"""Report jobs with a real worker on Redis: a render on the PDF queue whose worker child is
killed mid-render, and a render delivered twice, each end with exactly one finished report
and one PDF.

PostgreSQL and Redis only (the worker opens the test database), like tests/test_job_recovery.py,
whose sweep-playing `wait` this uses.
"""

# ruff: noqa: F811

import datetime
import subprocess

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from bureau.celery import app as celery_app
from bureau.models import Job
from bureau.tasks import job_run
from reports import services
from reports.models import Report
from schools.models import School, SchoolYearStat
from tests.factories import SchoolYearFactory
from tests.test_celery_worker import FAST_JOBS, Worker, _database_url, queue, queue_length  # noqa: F401
from tests.test_job_recovery import wait

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker to send tasks through"),
    pytest.mark.django_db(transaction=True),
]

SCHOOLS = 1500  # a health bulletin this long takes the renderer several seconds: time to kill it


@pytest.fixture
def pdf_queue(queue, settings, tmp_path, monkeypatch):
    _database_url()
    name = f"{queue}-pdf"
    settings.PDF_QUEUE = name
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(media))
    for key, value in FAST_JOBS.items():
        setattr(settings, key, value)
    yield name
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_delete(name)
        conn.default_channel.client.delete(f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")


def _worker(queue, pdf_queue, tmp_path, name, pool):
    return Worker(queue, tmp_path / f"{name}.log", name=f"{queue}-{name}", pool=pool, also=[pdf_queue],
                  env={"PDF_QUEUE": pdf_queue})


@pytest.fixture
def long_bulletin(district):
    year = SchoolYearFactory(start_year=2025)
    schools = School.objects.bulk_create(
        School(district=district, code=f"32{n:08d}", name=f"测试学校{n:04d}", stage="primary") for n in range(SCHOOLS))
    SchoolYearStat.objects.bulk_create(
        SchoolYearStat(school=school, school_year=year, primary_students=500, health_tested=500, health_excellent=60,
                       health_good=140 + n % 80, health_pass=250, myopia=200) for n, school in enumerate(schools))


def _pdfs():
    try:
        return default_storage.listdir("reports")[1]
    except FileNotFoundError:
        return []


def _ready(report):
    def check():
        report.refresh_from_db()
        return report.status in (Report.Status.READY, Report.Status.FAILED)
    return check


def _rendering(report):
    def check():
        return Job.objects.filter(key=f"report-render:{report.pk}", state=Job.State.RUNNING).exists()
    return check


def test_a_render_whose_worker_child_is_killed_finishes_once(queue, pdf_queue, tmp_path, long_bulletin,
                                                             district, staff_user):
    worker = _worker(queue, pdf_queue, tmp_path, "prefork", "prefork")
    report = services.report_request(kind="health_bulletin", district=district, start=datetime.date(2026, 1, 1),
                                     by=staff_user)
    worker.start()
    try:
        wait(_rendering(report), "rendering", worker, sweep=False)
        subprocess.run(["kill", "-9", *map(str, worker.children())], check=True)
        report.refresh_from_db()
        assert report.status == Report.Status.QUEUED, "the render ended before the kill: nothing was interrupted"
        wait(_ready(report), "ready", worker)
    finally:
        worker.stop()
    assert report.status == Report.Status.READY, report.failure
    assert Report.objects.count() == 1 and len(_pdfs()) == 1
    assert Job.objects.get(key=f"report-render:{report.pk}").attempts == 2


def test_a_render_delivered_twice_makes_one_report(queue, pdf_queue, tmp_path, district, staff_user):
    worker = _worker(queue, pdf_queue, tmp_path, "solo", "solo")
    report = services.report_request(kind="monthly_inspection", district=district, start=datetime.date(2026, 3, 1),
                                     by=staff_user)
    worker.start()
    try:
        wait(_ready(report), "ready", worker)
        render = Job.objects.get(key=f"report-render:{report.pk}")
        for _n in range(2):  # the broker delivers the same run again, twice
            job_run.apply_async((render.pk,), queue=pdf_queue)
        wait(lambda: queue_length(pdf_queue) == 0, "both deliveries taken", worker, sweep=False)
        worker.stop()  # a warm shutdown finishes what it took
    finally:
        worker.stop()
    report.refresh_from_db()
    assert report.status == Report.Status.READY and Report.objects.count() == 1 and len(_pdfs()) == 1
    assert Job.objects.get(pk=render.pk).attempts == 1
