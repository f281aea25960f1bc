"""The nightly sweep of inspection files that no record names (a rolled-back upload's)."""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bureau.uploads import upload_check, upload_store
from inspections.jobs import inspection_files_sweep
from inspections.models import VisitEvidence
from tests.inspections.factories import VisitFactory, VisitItemFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.mark.django_db
def test_the_nightly_sweep_deletes_only_old_unreferenced_files(media, school, inspector_user):
    def stored(folder):
        file = SimpleUploadedFile("p.png", PNG)
        return upload_store(file, folder=folder, kind=upload_check(file))

    kept, orphan, fresh, others = (stored("evidence/visits"), stored("evidence/visits"), stored("evidence/notices"),
                                   stored("evidence/complaints"))
    item = VisitItemFactory(visit=VisitFactory(school=school, inspector=inspector_user))
    VisitEvidence.objects.create(item=item, file=kept, kind="png", label="p.png", size=1, uploaded_by=inspector_user)
    old = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    for name in (kept, orphan, others):
        os.utime(media / name, (old, old))
    assert inspection_files_sweep() == 1
    assert not (media / orphan).exists()
    # Kept: a file a record names, a file too new to judge, another app's file.
    assert all((media / name).exists() for name in (kept, fresh, others))


@pytest.mark.django_db
def test_the_sweep_keeps_a_self_reports_files_and_deletes_its_orphans(media, school, principal_user):
    from inspections.models import SelfReportFile
    from tests.inspections.selfreport_factories import SelfReportFactory

    def stored():
        file = SimpleUploadedFile("表.png", PNG)
        return upload_store(file, folder="evidence/selfreports", kind=upload_check(file))

    kept, orphan = stored(), stored()
    SelfReportFile.objects.create(report=SelfReportFactory(school=school, round__district=school.district), file=kept,
                                  kind="png", label="表.png", size=1, uploaded_by=principal_user)
    old = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    for name in (kept, orphan):
        os.utime(media / name, (old, old))
    assert inspection_files_sweep() == 1
    assert (media / kept).exists() and not (media / orphan).exists()
