"""An unannounced inspection stays unknown to its school until filed: every page and API route
a principal or deputy can reach is asked, and none shows the visit, its items, its evidence,
its plan or even a count that would give it away."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from inspections.models import DrawAssignment, UnannouncedDraw, VisitEvidence, VisitKind
from inspections.services import visit_file
from tests.inspections.factories import VisitFactory, VisitItemFactory

pytestmark = pytest.mark.django_db
MARKER = "突击督查绝密标记"


@pytest.fixture
def unannounced(school, inspector_user, staff_user, media):
    visit = VisitFactory(school=school, inspector=inspector_user, kind=VisitKind.UNANNOUNCED,
                         summary=f"{MARKER}小结", feedback=f"{MARKER}反馈", private_notes=f"{MARKER}私记")
    item = VisitItemFactory(visit=visit, result="not_met", note=f"{MARKER}问题", text=f"{MARKER}事项")
    name = default_storage.save("evidence/leak.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 32))
    evidence = VisitEvidence.objects.create(item=item, file=name, kind="png", label=f"{MARKER}.png", size=40,
                                            uploaded_by=inspector_user)
    draw = UnannouncedDraw.objects.create(
        district=school.district, title=f"{MARKER}抽取", count=1, seed=1, candidates=[school.pk],
        pool=[inspector_user.pk], sample_size=1, inspectors_per_school=1, created_by=staff_user,
    )
    DrawAssignment.objects.create(draw=draw, school=school, inspector=inspector_user, position=0)
    return visit, item, evidence, draw


def _routes(visit, item, evidence, draw, school):
    return [
        reverse("home"),
        reverse("schools:school_detail", args=[school.pk]),
        reverse("inspections:visit_list"),
        reverse("inspections:visit_detail", args=[visit.pk]),
        reverse("inspections:visit_edit", args=[visit.pk]),
        reverse("inspections:evidence_file", args=[evidence.pk]),
        reverse("inspections:notice_list"),
        reverse("inspections:my_month"),
        reverse("inspections:draw_list"),
        reverse("inspections:draw_detail", args=[draw.pk]),
        reverse("api:visit-list"),
        reverse("api:visit-detail", args=[visit.pk]),
        reverse("api:rectification-notice-list"),
        reverse("sign:page", args=[school.pk]),
        # The visit list's filters and the evidence endpoints: no row, no count, no choice.
        reverse("inspections:visit_list") + f"?kind=unannounced&status=draft&school={school.pk}",
        reverse("api:visit-list") + "?kind=unannounced",
        reverse("api:visit-evidence-list"),
        reverse("api:visit-evidence-detail", args=[evidence.pk]),
        reverse("api:visit-evidence-file", args=[evidence.pk]),
        reverse("accounts:notices"),
    ]


@pytest.mark.parametrize("who", ["principal_user", "deputy_user"])
def test_no_route_tells_the_school_before_the_visit_is_filed(client, request, school, unannounced, inspector_user, who):
    visit, item, evidence, draw = unannounced
    client.force_login(request.getfixturevalue(who))
    for url in _routes(visit, item, evidence, draw, school):
        response = client.get(url, follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code in (200, 403, 404), url
        assert MARKER.encode() not in body, url
        if url.startswith("/api/") and response.status_code == 200 and "count" in response.json():
            assert response.json()["count"] == 0, url
    # Filed, the school reads the visit, its items and evidence, never the notes nor the plan.
    visit_file(visit=visit, by=inspector_user)
    detail = client.get(reverse("inspections:visit_detail", args=[visit.pk])).content.decode()
    assert f"{MARKER}反馈" in detail and f"{MARKER}问题" in detail and f"{MARKER}私记" not in detail
    assert client.get(reverse("inspections:evidence_file", args=[evidence.pk])).status_code == 200
    assert client.get(reverse("inspections:draw_detail", args=[draw.pk])).status_code == 403
    assert f"{MARKER}私记" not in client.get(reverse("api:visit-detail", args=[visit.pk])).content.decode()
