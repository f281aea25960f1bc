"""The gate sign (挂牌): public, found by name or code, the inspectors and the complaint line; an A4 PDF."""

import base64
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.errors import DomainError
from inspections.models import InspectorCard
from inspections.services import card_update
from schools.models import School
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def sign(zone, inspector_user, media):
    inspector_user.name, inspector_user.mobile = "周督学", "13900000001"
    inspector_user.save()
    zone.complaint_phone = "0519-88000000"
    zone.save()
    return card_update(user=inspector_user, phone="0519-88001234", by=inspector_user,
                       photo=SimpleUploadedFile("me.png", PHOTO))


def test_a_parent_finds_the_sign_by_name_or_code_without_logging_in(client, school, sign):
    for q in ("实验小学", school.code):
        page = client.get(reverse("sign:search"), {"q": q}).content.decode()
        assert reverse("sign:page", args=[school.pk]) in page
    assert school.name not in client.get(reverse("sign:search"), {"q": "不存在的学校"}).content.decode()
    page = client.get(reverse("sign:page", args=[school.pk])).content.decode()
    assert "周督学" in page and "0519-88001234" in page and "0519-88000000" in page and "专职督学" in page
    # Only what the sign prints: not the inspector's mobile or login, nothing of the school's record.
    assert "13900000001" not in page and "inspector1" not in page
    photo = client.get(reverse("sign:photo", args=[sign.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"


def test_a_closed_school_has_no_sign(client, school, sign):
    School.objects.filter(pk=school.pk).update(status=School.Status.CLOSED)
    assert client.get(reverse("sign:page", args=[school.pk])).status_code == 404
    assert school.name not in client.get(reverse("sign:search"), {"q": school.code}).content.decode()


def test_the_photo_of_an_inspector_on_no_sign_is_not_public(client, sign, zone, inspector_user):
    zone.inspectors.remove(inspector_user)
    assert client.get(reverse("sign:photo", args=[sign.pk])).status_code == 404


def test_the_sign_prints_as_an_a4_pdf_in_chinese(client, school, sign):
    response = client.get(reverse("sign:pdf", args=[school.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert school.name in text and "周督学" in text and "0519-88000000" in text
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    assert "(A4)" in info


def test_the_public_pages_are_rate_limited(client, school, settings, sign):
    settings.PUBLIC_PAGE_RATE_PER_MINUTE = 3
    url = reverse("sign:page", args=[school.pk])
    answers = [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(5)]
    assert answers[:3] == [200, 200, 200] and answers[3:] == [429, 429]
    limited = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert int(limited["Retry-After"]) >= 1
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200  # another address


def test_the_inspector_keeps_its_own_card(client, inspector_user, staff_user, media, english):
    client.force_login(inspector_user)
    response = client.post(reverse("inspections:my_card"), {"phone": "0519-1", "photo": SimpleUploadedFile("a.png", PHOTO)})
    assert response.status_code == 302
    card = InspectorCard.objects.get(user=inspector_user)
    assert card.photo_kind == "png" and card.phone == "0519-1"
    pdf = SimpleUploadedFile("me.png", b"%PDF-1.7\n" + b"x" * 50)
    response = client.post(reverse("inspections:my_card"), {"phone": "0519-2", "photo": pdf})
    assert response.status_code == 400 and "Use a JPEG, PNG or WebP photo" in response.content.decode()
    card.refresh_from_db()
    assert card.phone == "0519-1"
    with pytest.raises(DomainError):
        card_update(user=inspector_user, phone="x", by=staff_user)
