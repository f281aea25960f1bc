"""The demo district has complaints at every step for the demo logins (bin/demo)."""

import pytest
from django.urls import reverse

from bureau.models import User
from complaints.masking import mask_mobile
from complaints.models import Complaint
from tests.demo_support import demo_loaded


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_loaded(django_db_blocker)


@pytest.mark.django_db
def test_the_office_finds_work_and_the_principal_what_it_is_handed(demo, client):
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert statuses == set(Complaint.Status.values) - {"reopened"}
    client.force_login(User.objects.get(username="staff_audit"))
    listing = client.get(reverse("complaints:list"), {"due": "open"})
    counts = listing.context["counts"]
    assert listing.status_code == 200 and counts["open"] >= 8 and counts["overdue"] >= 1
    principal = User.objects.get(username="principal")
    handed = Complaint.objects.filter(school=principal.school, handed_to_school=True)
    assert handed.exists()
    client.force_login(principal)
    for complaint in handed:
        page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
        assert complaint.complainant_name not in page and complaint.complainant_mobile not in page
        assert mask_mobile(complaint.complainant_mobile) not in page
