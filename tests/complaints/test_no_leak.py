"""A principal (and its deputy) handed a complaint cannot reach who lodged it: not on any page
it reaches, in any API answer, export, notice or count (issue 9)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bureau.sheets.registry import kinds
from complaints import services
from complaints.masking import mask_mobile, mask_name
from tests.complaints.factories import handler_for, parent, to_state
from tests.page_walk import build_world, pages_for

pytestmark = pytest.mark.django_db

NAME, MOBILE = "欧阳娜娜", "13987654321"
SECRETS = (NAME, MOBILE, mask_name(NAME), mask_mobile(MOBILE), "欧阳", "7654321", "complainant_name")


@pytest.mark.parametrize("persona", ["principal", "deputy"])
def test_nothing_the_school_reaches_names_the_complainant(client, users, deputy_user, school, zone, district,
                                                         persona):
    people = {**users, "deputy": deputy_user}
    world = build_world(users=users, school=school, zone=zone, district=district)
    office = handler_for(district)
    who = parent(username="ouyang", name=NAME, mobile=MOBILE)
    complaint = to_state("replied", school=school, complainant=who, handler=office)
    services.complaint_appeal(complaint=complaint, by=who, reason=f"我是{NAME}，电话{MOBILE}")
    user = people[persona]
    client.force_login(user)
    urls = [url for _name, url in pages_for(persona, world)]
    urls += [reverse("complaints:detail", args=[complaint.pk]), reverse("complaints:list") + "?due=open"]
    urls += [reverse("sheets:export_download", kwargs={"kind": kind, "fmt": "csv"}) for kind in kinds()]
    seen = []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8-sig", errors="replace")
        seen += [(url, secret) for secret in SECRETS if secret in text]
    api = APIClient()
    api.force_authenticate(user)
    for url in (reverse("api:complaint-list"), reverse("api:complaint-detail", args=[complaint.pk])):
        response = api.get(url)
        assert response.status_code == 200, url
        seen += [(url, secret) for secret in SECRETS if secret in response.content.decode()]
    assert api.post(reverse("api:complaint-complainant", args=[complaint.pk])).status_code == 403
    assert not seen, seen
    # The school has notices of its own (a returned self-report), none naming the complainant.
    assert not [(n.title, secret) for n in user.notices.all() for secret in SECRETS if secret in n.title + n.body]
