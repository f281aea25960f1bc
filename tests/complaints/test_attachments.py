"""Photos and documents of a complaint: the complainant lodges and adds them, the office
records the investigation and replies with them, the school answers with them; each reader
gets exactly its share (the school never the complainant's), through a view that checks
scope, on the pages and in the API."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from bureau.errors import DomainError
from bureau.models import Role
from complaints import services
from complaints.models import Attachment, Complaint
from complaints.retention import complaint_files_sweep, complaints_anonymise
from tests.complaints.factories import audit_department, lodge, parent, to_state
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


def png(name="作业照片.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="处理意见.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def case(media, school, complainant, handler, principal_user):
    """A complaint handed to the school, with a file from each side."""
    complaint = lodge(school=school, by=complainant, files=[png("张三丰孩子的作业.png")])
    complaint = services.complaint_accept(complaint=complaint, by=handler)
    complaint = services.complaint_assign(complaint=complaint, by=handler, department=audit_department(),
                                          to_school=True)
    complaint = services.complaint_record(complaint=complaint, by=handler, text="已调取作业记录。",
                                          files=[pdf("调查笔录.pdf")])
    complaint = services.complaint_school_answer(complaint=complaint, by=principal_user, text="已整改。",
                                                 files=[png("整改后作业清单.png")])
    complaint = services.complaint_conclude(complaint=complaint, by=handler, finding="substantiated",
                                            responsibility="school", measures="通报批评。")
    complaint = services.complaint_reply(complaint=complaint, by=handler, text="经查属实。", files=[pdf("答复函.pdf")])
    files = {a.side: a for a in Attachment.objects.filter(complaint=complaint)}
    assert set(files) == set(Attachment.Side.values)
    return complaint, files


def _sides(user, complaint):
    return {a.side for a in Attachment.objects.visible_to(user).filter(complaint=complaint)}


def test_each_reader_sees_its_share(case, complainant, handler, leader_user, staff_user, principal_user, deputy_user,
                                    admin_user, inspector_user, other_district):
    complaint, _files = case
    every = set(Attachment.Side.values)
    assert _sides(handler, complaint) == every
    assert _sides(leader_user, complaint) == every
    assert _sides(staff_user, complaint) == every  # the bureau's staff read the case as they read the complaint
    assert _sides(complainant, complaint) == {"complainant", "reply"}
    assert _sides(principal_user, complaint) == {"school"}
    assert _sides(deputy_user, complaint) == {"school"}
    for nobody in (admin_user, inspector_user, parent(username="neighbour", mobile="13700000001"),
                   UserFactory(role=Role.STAFF, district=other_district)):
        assert _sides(nobody, complaint) == set()


def test_a_school_not_handed_the_complaint_sees_none_of_its_files(media, school, complainant, handler,
                                                                 principal_user):
    complaint = to_state("assigned", school=school, complainant=complainant, handler=handler, to_school=False)
    services.complaint_record(complaint=complaint, by=handler, text="调查中", files=[pdf()])
    assert _sides(principal_user, complaint) == set()


def test_files_are_served_through_the_scoped_view_only(client, case, complainant, principal_user, handler):
    complaint, files = case
    url = reverse("complaints:attachment", args=[files["complainant"].pk])
    client.force_login(complainant)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert client.get(reverse("complaints:attachment", args=[files["handling"].pk])).status_code == 404
    client.force_login(principal_user)
    assert client.get(url).status_code == 404  # the complainant's photo: never the school's
    assert client.get(reverse("complaints:attachment", args=[files["reply"].pk])).status_code == 404
    school_file = client.get(reverse("complaints:attachment", args=[files["school"].pk]))
    assert school_file.status_code == 200
    # Stored under a generated name: the uploader's file name is a label, never a path.
    assert "张三丰" not in files["complainant"].file.name and files["complainant"].file.name.startswith("complaints/")
    client.force_login(handler)
    pdf_response = client.get(reverse("complaints:attachment", args=[files["handling"].pk]))
    assert pdf_response.status_code == 200 and pdf_response["Content-Type"] == "application/pdf"


def test_the_detail_page_shows_each_reader_its_files(client, case, complainant, principal_user, handler):
    complaint, files = case
    url = reverse("complaints:detail", args=[complaint.pk])
    client.force_login(principal_user)
    page = client.get(url).content.decode()
    assert "整改后作业清单.png" in page
    assert "张三丰" not in page and "调查笔录" not in page and "答复函" not in page
    client.force_login(complainant)
    page = client.get(url).content.decode()
    assert "张三丰孩子的作业.png" in page and "答复函.pdf" in page
    assert "调查笔录" not in page and "整改后作业清单" not in page
    client.force_login(handler)
    page = client.get(url).content.decode()
    for file in files.values():
        assert file.label in page and reverse("complaints:attachment", args=[file.pk]) in page


def test_a_bad_file_refuses_the_whole_complaint(media, school, complainant):
    with pytest.raises(ValidationError) as refused:
        lodge(school=school, by=complainant, files=[png(), SimpleUploadedFile("a.jpg", b"MZ\x90\x00 not a photo")])
    assert "files" in refused.value.message_dict
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


def test_the_size_limit_is_the_setting(media, settings, school, complainant):
    settings.UPLOAD_MAX_BYTES = 50
    with pytest.raises(ValidationError) as refused:
        lodge(school=school, by=complainant, files=[png()])
    assert "files" in refused.value.message_dict and not Complaint.objects.exists()


def test_the_complainant_adds_files_while_open_only(media, school, complainant, handler):
    complaint = lodge(school=school, by=complainant)
    services.complaint_add_files(complaint=complaint, files=[png()], by=complainant)
    with pytest.raises(DomainError):
        services.complaint_add_files(complaint=complaint, files=[png()], by=handler)
    with pytest.raises(DomainError):
        services.complaint_add_files(complaint=complaint, files=[png()],
                                     by=parent(username="neighbour", mobile="13700000001"))
    closed = services.complaint_reject(complaint=complaint, by=handler, reason="不属于受理范围")
    with pytest.raises(DomainError):
        services.complaint_add_files(complaint=closed, files=[png()], by=complainant)
    assert Attachment.objects.filter(complaint=complaint).count() == 1


def test_a_complaint_holds_at_most_twenty_files(media, school, complainant):
    complaint = lodge(school=school, by=complainant, files=[png(f"{n}.png") for n in range(services.MAX_ATTACHMENTS)])
    with pytest.raises(ValidationError) as refused:
        services.complaint_add_files(complaint=complaint, files=[png()], by=complainant)
    assert "files" in refused.value.message_dict


def test_lodging_on_the_page_with_a_photo(client, media, school, complainant):
    client.force_login(complainant)
    response = client.post(f"{reverse('complaints:lodge')}?school={school.pk}", {
        "token": str(uuid.uuid4()), "category": "homework", "happened_on": "2026-09-01",
        "description": "作业太多", "files": [png(), pdf()],
    })
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert sorted(a.label for a in complaint.attachments.all()) == ["作业照片.png", "处理意见.pdf"]


def test_a_bad_file_on_the_page_is_said_on_the_files_field(client, media, school, complainant, english):
    client.force_login(complainant)
    response = client.post(f"{reverse('complaints:lodge')}?school={school.pk}", {
        "token": str(uuid.uuid4()), "category": "homework", "happened_on": "2026-09-01",
        "description": "作业太多", "files": [SimpleUploadedFile("a.png", b"MZ not an image")],
    })
    assert response.status_code == 400
    assert "not a file the portal takes" in " ".join(response.context["form"].errors["files"])
    assert not Complaint.objects.exists()


def test_the_school_answers_and_the_complainant_adds_files_on_the_page(client, media, school, complainant, handler,
                                                                       principal_user):
    complaint = to_state("assigned", school=school, complainant=complainant, handler=handler)
    client.force_login(principal_user)
    response = client.post(reverse("complaints:answer", args=[complaint.pk]), {
        "expected": "assigned", "text": "已核实整改", "files": [png("整改.png")], "step": "answer"})
    assert response.status_code == 302, response.content.decode()[-800:]
    assert Attachment.objects.get(complaint=complaint).side == "school"
    client.force_login(complainant)
    response = client.post(reverse("complaints:add_files", args=[complaint.pk]), {"files": [pdf("补充.pdf")]})
    assert response.status_code == 302
    assert Attachment.objects.filter(complaint=complaint, side="complainant").count() == 1
    client.force_login(principal_user)
    assert client.post(reverse("complaints:add_files", args=[complaint.pk]), {"files": [pdf()]}).status_code == 403


def test_anonymising_erases_the_complainants_files_and_the_sweep_their_content(media, case, handler, settings):
    complaint, files = case
    Complaint.objects.filter(pk=complaint.pk).update(
        status="closed", closed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    stored = files["complainant"].file.name
    assert complaints_anonymise() == 1
    assert set(Attachment.objects.filter(complaint=complaint).values_list("side", flat=True)) == {
        "handling", "school", "reply"}
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)
    assert complaint_files_sweep(now=later) == 1
    assert not (media / stored).exists()


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_the_api_lists_and_serves_each_readers_share(case, complainant, principal_user, handler):
    complaint, files = case
    url = reverse("api:complaint-attachments", args=[complaint.pk])
    assert {a["side"] for a in api(handler).get(url).json()} == set(Attachment.Side.values)
    assert {a["side"] for a in api(complainant).get(url).json()} == {"complainant", "reply"}
    school_view = api(principal_user).get(url).json()
    assert [a["side"] for a in school_view] == ["school"] and "uploaded_by" not in school_view[0]
    file_url = reverse("api:complaint-attachment-file", args=[files["complainant"].pk])
    assert api(principal_user).get(file_url).status_code == 404
    response = api(complainant).get(file_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG


def test_the_api_takes_files_when_lodging_adding_and_answering(media, school, complainant, handler, principal_user):
    client = api(complainant)
    response = client.post(reverse("api:complaint-list"), {
        "token": str(uuid.uuid4()), "school": school.pk, "category": "homework", "description": "作业太多",
        "happened_on": "2026-09-01", "files": [png()]}, format="multipart")
    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.get(pk=response.json()["id"])
    added = client.post(reverse("api:complaint-attachments", args=[complaint.pk]), {"files": [pdf()]},
                        format="multipart")
    assert added.status_code == 201 and added.json()[0]["side"] == "complainant"
    bad = client.post(reverse("api:complaint-attachments", args=[complaint.pk]),
                      {"files": [SimpleUploadedFile("x.pdf", b"MZ not a pdf")]}, format="multipart")
    assert bad.status_code == 400 and "files" in bad.json()
    complaint = to_state("assigned", school=school, complainant=complainant, handler=handler)
    answered = api(principal_user).post(reverse("api:complaint-step", args=[complaint.pk, "answer"]), {
        "expected": "assigned", "text": "已整改", "files": [png()]}, format="multipart")
    assert answered.status_code == 200, answered.json()
    assert Attachment.objects.get(complaint=complaint).side == "school"
    refused = api(principal_user).post(reverse("api:complaint-attachments", args=[complaint.pk]),
                                       {"files": [png()]}, format="multipart")
    assert refused.status_code == 400 and Attachment.objects.filter(complaint=complaint).count() == 1
