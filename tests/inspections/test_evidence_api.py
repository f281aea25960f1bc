"""Evidence files through the API: an inspector adds them to an item of its draft, a principal
sends them with an answer; visits and notices list them and the file endpoints serve them,
scoped as the pages are (a school: a filed visit's only); a bad file is a 400 on `files`."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.models import NoticeEvidence, RectificationNotice, VisitEvidence
from inspections.services import visit_file
from tests.inspections.factories import VisitFactory, VisitItemFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def draft(media, school, inspector_user):
    visit = VisitFactory(school=school, inspector=inspector_user, kind="unannounced", date=datetime.date.today())
    VisitItemFactory(visit=visit, code="03-2")
    return visit


def _add(user, visit, *files):
    item = visit.items.get()
    return api(user).post(reverse("api:visit-item-evidence", args=[visit.pk, item.pk]), {"files": list(files)},
                          format="multipart")


def test_the_inspector_adds_evidence_and_the_school_reads_it_once_filed(draft, inspector_user, principal_user,
                                                                       staff_user):
    response = _add(inspector_user, draft, SimpleUploadedFile("操场.png", PNG), SimpleUploadedFile("记录.pdf", PDF))
    assert response.status_code == 201, response.json()
    made = response.json()
    assert [f["label"] for f in made] == ["操场.png", "记录.pdf"] and [f["kind"] for f in made] == ["png", "pdf"]
    listed = api(inspector_user).get(reverse("api:visit-detail", args=[draft.pk])).json()
    assert [f["id"] for f in listed["items"][0]["evidence"]] == [f["id"] for f in made]
    file_url = reverse("api:visit-evidence-file", args=[made[0]["id"]])
    served = api(inspector_user).get(file_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    # Unannounced and a draft: the school finds neither the visit nor its files, nor a count.
    assert api(principal_user).get(file_url).status_code == 404
    assert api(principal_user).get(reverse("api:visit-evidence-list")).json()["count"] == 0
    assert api(staff_user).get(file_url).status_code == 200  # the bureau reads its district's
    item = draft.items.get()
    item.result, item.note = "met", ""
    item.save()
    draft.feedback = "请保证每天1小时体育活动。"
    draft.save()
    visit_file(visit=draft, by=inspector_user)
    assert api(principal_user).get(file_url).status_code == 200
    assert api(principal_user).get(reverse("api:visit-evidence-list")).json()["count"] == 2


def test_a_bad_file_is_a_400_on_files_and_nothing_is_kept(draft, inspector_user):
    response = _add(inspector_user, draft, SimpleUploadedFile("照片.png", PNG), SimpleUploadedFile("x.png", b"MZ exe"))
    assert response.status_code == 400 and list(response.json()) == ["files"]
    assert "x.png" in response.json()["files"][0]
    assert not VisitEvidence.objects.exists()
    assert _add(inspector_user, draft).status_code == 400  # no file at all


def test_only_the_visits_inspector_adds_and_only_to_a_draft(draft, inspector_user, principal_user, district):
    from bureau.models import Role
    from tests.factories import UserFactory

    colleague = UserFactory(role=Role.INSPECTOR, district=district)
    draft.school.zone_link.zone.inspectors.add(colleague)
    assert _add(colleague, draft, SimpleUploadedFile("a.png", PNG)).status_code == 400  # not its visit
    assert _add(principal_user, draft, SimpleUploadedFile("a.png", PNG)).status_code == 403
    other_item = VisitItemFactory(visit=VisitFactory(school=draft.school, inspector=inspector_user))
    wrong = api(inspector_user).post(reverse("api:visit-item-evidence", args=[draft.pk, other_item.pk]),
                                     {"files": [SimpleUploadedFile("a.png", PNG)]}, format="multipart")
    assert wrong.status_code == 404
    assert not VisitEvidence.objects.exists()


def test_the_principal_answers_a_notice_with_evidence(media, school, inspector_user, principal_user, staff_user):
    from tests.inspections.factories import FiledVisitFactory

    visit = FiledVisitFactory(school=school, inspector=inspector_user)
    item = VisitItemFactory(visit=visit, result="not_met")
    notice = RectificationNotice.objects.create(item=item, school=school, inspector=inspector_user,
                                                requirement="保证每天1小时体育活动", working_days=5,
                                                deadline=datetime.date.today() + datetime.timedelta(days=7))
    url = reverse("api:rectification-notice-answer", args=[notice.pk])
    bad = api(principal_user).post(url, {"answer": "已调整", "files": [SimpleUploadedFile("a.pdf", b"MZ")]},
                                   format="multipart")
    assert bad.status_code == 400 and list(bad.json()) == ["files"]
    notice.refresh_from_db()
    assert notice.status == "issued"  # nothing half-written
    response = api(principal_user).post(url, {"answer": "已调整作息", "files": [SimpleUploadedFile("作息表.pdf", PDF)]},
                                        format="multipart")
    assert response.status_code == 200, response.json()
    [evidence] = response.json()["evidence"]
    assert evidence["label"] == "作息表.pdf"
    file_url = reverse("api:notice-evidence-file", args=[evidence["id"]])
    for reader in (principal_user, inspector_user, staff_user):
        assert api(reader).get(file_url).status_code == 200
    assert NoticeEvidence.objects.count() == 1
