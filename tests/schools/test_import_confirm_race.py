"""Two confirmations of one import at the same moment (a double click, two tabs, two
colleagues): on two database connections, one import runs and the other is told why not
(issue 13, "two confirms of one job at the same moment")."""

# ruff: noqa: F811

import threading

import pytest
from django.db import connection

from bureau.errors import DomainError
from bureau.models import AuditLog, ImportJob, Job
from bureau.sheets import jobs
from schools.models import Teacher
from tests.schools.test_imports import TEACHER, run, sheet, term  # noqa: F401

pytestmark = [
    pytest.mark.usefixtures("media", "english"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_two_confirms_at_once_import_once(staff_user, school, term):
    job = run("teachers", sheet("teachers", TEACHER), staff_user, confirm=False)
    assert job.status == ImportJob.Status.VALIDATED
    start = threading.Barrier(2)
    outcomes = []

    def confirm():
        try:
            mine = ImportJob.objects.get(pk=job.pk)
            start.wait(5)
            try:
                outcomes.append(jobs.import_job_confirm(job=mine, by=staff_user).status)
            except DomainError as exc:
                outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes, key=str) == sorted(
        [ImportJob.Status.DONE, "该文件当前不能导入：它不处于待确认状态。"], key=str
    ), outcomes
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Teacher.objects.filter(staff_number=TEACHER["staff_number"]).count() == 1
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT).count() == 1
    # A small file is imported in the request that confirmed it, so no background run either.
    assert not Job.objects.filter(kind="sheets.import").exists()
