"""Likely duplicates are suggested to the office, which links them; each complainant still
gets its own reply."""

import pytest
from django.urls import reverse

from bureau.errors import DomainError
from complaints import services
from complaints.selectors import complaint_duplicates
from tests.complaints.factories import lodge, parent, to_state
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
TEXT = "三年级每天书面作业要做到晚上十点，远超规定时长。"


def test_same_school_category_time_and_similar_text_are_suggested(school, complainant, handler, district):
    first = lodge(school=school, by=complainant, description=TEXT)
    neighbour = parent(username="neighbour", mobile="13700000001")
    second = lodge(school=school, by=neighbour, description="三年级每天的书面作业要做到晚上十点多，远远超过规定。")
    lodge(school=school, by=neighbour, description="学校食堂饭菜质量差。")  # not similar
    lodge(school=school, by=neighbour, category="illegal_fees", description=TEXT)  # another category
    lodge(school=SchoolFactory(district=district), by=neighbour, description=TEXT)  # another school
    assert [c.pk for c in complaint_duplicates(complaint=second, user=handler)] == [first.pk]


def test_the_office_links_and_each_still_gets_its_reply(client, school, complainant, handler):
    first = lodge(school=school, by=complainant, description=TEXT)
    second = lodge(school=school, by=parent(username="neighbour", mobile="13700000001"), description=TEXT)
    client.force_login(handler)
    page = client.get(reverse("complaints:detail", args=[second.pk])).content.decode()
    assert first.tracking_number in page
    assert client.post(reverse("complaints:link", args=[second.pk]), {"of": first.pk}).status_code == 302
    second.refresh_from_db()
    assert second.duplicate_of == first
    assert second.tracking_number in client.get(reverse("complaints:detail", args=[first.pk])).content.decode()
    # Linked, not merged: both go their own way to their own reply.
    for complaint in (first, second):
        complaint.refresh_from_db()
        done = to_state_from(complaint, handler)
        assert done.status == "replied"
    assert client.post(reverse("complaints:link", args=[second.pk])).status_code == 302  # unlink
    second.refresh_from_db()
    assert second.duplicate_of is None


def to_state_from(complaint, handler):
    from complaints.models import Finding, Responsibility
    from tests.complaints.factories import audit_department

    complaint = services.complaint_accept(complaint=complaint, by=handler)
    complaint = services.complaint_assign(complaint=complaint, by=handler, department=audit_department())
    complaint = services.complaint_record(complaint=complaint, by=handler, text="核查")
    complaint = services.complaint_conclude(complaint=complaint, by=handler, finding=Finding.SUBSTANTIATED,
                                            responsibility=Responsibility.SCHOOL, measures="整改")
    return services.complaint_reply(complaint=complaint, by=handler, text="答复")


def test_only_the_office_links_and_only_within_a_school(school, complainant, handler, staff_user, district):
    first = lodge(school=school, by=complainant)
    second = lodge(school=school, by=complainant)
    elsewhere = lodge(school=SchoolFactory(district=district), by=complainant)
    with pytest.raises(DomainError):
        services.complaint_link_duplicate(complaint=second, of=first, by=staff_user)
    with pytest.raises(DomainError):
        services.complaint_link_duplicate(complaint=second, of=elsewhere, by=handler)
    with pytest.raises(DomainError):
        services.complaint_link_duplicate(complaint=second, of=second, by=handler)
    # Linking to a complaint that is itself linked goes to the first of the matter.
    services.complaint_link_duplicate(complaint=second, of=first, by=handler)
    third = lodge(school=school, by=complainant)
    assert services.complaint_link_duplicate(complaint=third, of=second, by=handler).duplicate_of == first


def test_the_school_never_sees_the_suggestions(client, school, complainant, handler, principal_user):
    first = to_state("assigned", school=school, complainant=complainant, handler=handler)
    second = to_state("assigned", school=school, complainant=complainant, handler=handler)
    services.complaint_link_duplicate(complaint=second, of=first, by=handler)
    client.force_login(principal_user)
    page = client.get(reverse("complaints:detail", args=[first.pk])).content.decode()
    assert second.tracking_number not in page
