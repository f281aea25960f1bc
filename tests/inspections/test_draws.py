"""The unannounced draw (双随机): seeded, logged, reproducible; the plan never a school's."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bureau.errors import DomainError
from bureau.models import Department, Role
from inspections.models import DrawAssignment, UnannouncedDraw, Visit, VisitKind
from inspections.services import draw_compute, draw_make, draw_rerun, visit_start
from schools.models import SchoolStage
from tests.factories import InspectorZoneFactory, SchoolFactory, UserFactory, ZoneSchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_user(district):
    return UserFactory(role=Role.STAFF, district=district, department=Department.objects.get(code="inspection"))


@pytest.fixture
def many(district, zone, inspector_user):
    """Twenty schools in two zones, four inspectors."""
    second = InspectorZoneFactory(district=district, name="第二责任区")
    schools = [SchoolFactory(district=district, stage=SchoolStage.PRIMARY if n % 2 else SchoolStage.JUNIOR)
               for n in range(20)]
    for n, school in enumerate(schools):
        ZoneSchoolFactory(zone=zone if n < 10 else second, school=school)
    for n in range(3):
        user = UserFactory(role=Role.INSPECTOR, district=district)
        (zone if n == 0 else second).inspectors.add(user)
    return schools


def test_the_draw_is_a_function_of_its_seed():
    one = draw_compute(candidates=range(100), pool=range(10), sample_size=8, per_school=2, seed=42)
    assert one == draw_compute(candidates=range(100), pool=range(10), sample_size=8, per_school=2, seed=42)
    assert one != draw_compute(candidates=range(100), pool=range(10), sample_size=8, per_school=2, seed=43)
    assert len({school for school, _ in one}) == 8 and all(len(set(i)) == 2 for _, i in one)


def test_a_draw_keeps_seed_inputs_and_result_and_reruns_the_same(district, office_user, many):
    draw = draw_make(district=district, title="有偿家教突击专项督查", share=Decimal("0.25"), by=office_user, seed=2026)
    assert draw.sample_size == round(0.25 * len(draw.candidates)) and draw.seed == 2026
    assert len(draw.pool) == 4 and DrawAssignment.objects.filter(draw=draw).count() == draw.sample_size * 2
    assert draw_rerun(draw)
    # The same seed over the same inputs: the same schools and inspectors.
    again = draw_make(district=district, title="复核", share=Decimal("0.25"), by=office_user, seed=2026)
    pairs = [(a.school_id, a.inspector_id) for a in again.assignments.order_by("position", "pk")]
    assert pairs == [(a.school_id, a.inspector_id) for a in draw.assignments.order_by("position", "pk")]
    # A stored result changed by hand no longer agrees with its seed.
    row = draw.assignments.first()
    row.school_id = next(pk for pk in draw.candidates if pk not in draw.assignments.values_list("school_id", flat=True))
    row.save()
    assert not draw_rerun(UnannouncedDraw.objects.get(pk=draw.pk))


def test_a_draw_by_stage_or_zone_draws_from_those_schools_only(district, office_user, many, zone):
    junior = draw_make(district=district, title="初中", count=3, stage=SchoolStage.JUNIOR, by=office_user)
    assert set(junior.assignments.values_list("school__stage", flat=True)) == {SchoolStage.JUNIOR}
    zoned = draw_make(district=district, title="一区", count=2, zone=zone, by=office_user)
    assert set(zoned.candidates) == set(zone.school_links.values_list("school_id", flat=True))


def test_bad_draws_are_refused(district, office_user, staff_user, many, other_district):
    with pytest.raises(ValidationError):
        draw_make(district=district, title="x", count=999, by=office_user)
    with pytest.raises(ValidationError):
        draw_make(district=district, title="x", share=Decimal("0.1"), count=2, by=office_user)
    with pytest.raises(DomainError):
        draw_make(district=district, title="x", count=1, by=staff_user)  # 基础教育科
    with pytest.raises(DomainError):
        draw_make(district=other_district, title="x", count=1, by=office_user)


def test_nobody_at_a_school_sees_the_plan(client, district, office_user, many, principal_user, deputy_user, school):
    draw = draw_make(district=district, title="突击", count=21, by=office_user)  # every school, theirs included
    assert draw.assignments.filter(school=school).exists()
    for user in (principal_user, deputy_user):
        assert not UnannouncedDraw.objects.visible_to(user).exists()
        assert not DrawAssignment.objects.visible_to(user).exists()
        client.force_login(user)
        assert client.get(reverse("inspections:draw_list")).status_code == 403
        assert client.get(reverse("inspections:draw_detail", args=[draw.pk])).status_code == 403


def test_a_drawn_inspector_starts_the_unannounced_visit_anywhere_it_was_drawn(client, district, office_user, many,
                                                                              inspector_user, zone, english):
    outside = next(s for s in many[10:])  # a school of the second zone
    draw = UnannouncedDraw.objects.create(
        district=district, title="突击", count=1, seed=1, candidates=[outside.pk], pool=[inspector_user.pk],
        sample_size=1, inspectors_per_school=1, created_by=office_user,
    )
    DrawAssignment.objects.create(draw=draw, school=outside, inspector=inspector_user, position=0)
    with pytest.raises(DomainError):  # not its zone: only unannounced
        visit_start(school=outside, kind=VisitKind.ROUTINE, by=inspector_user)
    client.force_login(inspector_user)
    month = client.get(reverse("inspections:my_month")).content.decode()
    assert "Start the unannounced inspection" in month and outside.name in month
    response = client.post(reverse("inspections:visit_start"), {"school": outside.pk, "kind": "unannounced"})
    visit = Visit.objects.get(school=outside)
    assert response["Location"] == reverse("inspections:visit_edit", args=[visit.pk])
    assert client.get(response["Location"]).status_code == 200


def test_the_office_draws_on_the_page(client, district, office_user, many):
    client.force_login(office_user)
    response = client.post(reverse("inspections:draw_create"), {
        "district": district.pk, "title": "有偿家教突击专项督查", "percent": "20", "count": "", "stage": "",
        "zone": "", "inspectors_per_school": "2", "seed": "7",
    })
    draw = UnannouncedDraw.objects.get()
    assert response["Location"] == reverse("inspections:draw_detail", args=[draw.pk]) and draw.seed == 7
    page = client.get(response["Location"]).content.decode()
    assert "<code>7</code>" in page and draw.assignments.first().school.name in page
    bad = client.post(reverse("inspections:draw_create"), {"district": district.pk, "title": "x",
                                                           "inspectors_per_school": "2"})
    assert bad.status_code == 400


def test_each_drawn_inspector_hears_of_its_schools_once_on_commit(district, office_user, many, principal_user,
                                                                  django_capture_on_commit_callbacks):
    from django.core import mail

    from bureau.models import Notice, User

    User.objects.filter(role=Role.INSPECTOR).update(email="duxue@example.org")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        draw = draw_make(district=district, title="有偿家教突击专项督查", count=4, inspectors_per_school=1, by=office_user,
                         seed=7)
    drawn = {row.inspector_id for row in draw.assignments.all()}
    notices = Notice.objects.filter(key=f"draw-assigned:{draw.pk}")
    assert {n.recipient_id for n in notices} == drawn
    assert not mail.outbox and pending  # the mail waits for the commit
    for callback in pending:
        callback()
    from bureau import jobs

    jobs.jobs_sweep()  # the mail job, rung again: sent once whatever
    for row in draw.assignments.select_related("school"):
        notice = notices.get(recipient_id=row.inspector_id)
        assert row.school.name in notice.body and notice.url == reverse("inspections:my_month")
    assert len(mail.outbox) == len(drawn)
    # Nobody at a school hears of it: no notice to the principal of a drawn school.
    assert not Notice.objects.filter(recipient__role=Role.PRINCIPAL).exists()


def test_a_draw_rolled_back_tells_nobody(district, office_user, many):
    from django.db import transaction

    from bureau.models import Notice

    with pytest.raises(RuntimeError), transaction.atomic():
        draw_make(district=district, title="回滚", count=2, by=office_user, seed=1)
        raise RuntimeError
    assert not Notice.objects.exists()
