"""Rectification notices: issued on an item not met, answered by the school, verified or returned."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.errors import DomainError
from bureau.models import Role, StatusChange
from bureau.workflow import WorkflowError, transition
from inspections.models import RectificationNotice
from inspections.services import notice_answer, notice_issue, notice_return, notice_verify
from inspections.services import notices as notice_module
from tests.factories import UserFactory
from tests.inspections.factories import FiledVisitFactory, VisitFactory, VisitItemFactory

pytestmark = pytest.mark.django_db
Status = RectificationNotice.Status
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def item(school, inspector_user):
    visit = FiledVisitFactory(school=school, inspector=inspector_user)
    return VisitItemFactory(visit=visit, code="03-2", text="每天1小时体育活动", result="not_met", note="仅40分钟")


@pytest.fixture
def notice(item, inspector_user):
    return notice_issue(item=item, requirement="保证每天1小时体育活动", working_days=10, by=inspector_user)


def test_the_deadline_counts_working_days_across_the_national_day_holiday(item, inspector_user, monkeypatch):
    # Issued on Wednesday 2026-09-30: 1–7 October are off, Saturday 10 October is a make-up
    # working day (国务院办公厅 2026 notice), so three working days end on 10 October.
    monkeypatch.setattr(notice_module.timezone, "localdate", lambda *args: datetime.date(2026, 9, 30))
    notice = notice_issue(item=item, requirement="整改", working_days=3, by=inspector_user)
    assert (notice.issued_on, notice.deadline) == (datetime.date(2026, 9, 30), datetime.date(2026, 10, 10))


def test_a_notice_is_raised_only_on_a_filed_visits_item_not_met_by_its_inspector(english, school, inspector_user, district,
                                                                                  zone, principal_user):
    draft_item = VisitItemFactory(visit=VisitFactory(school=school, inspector=inspector_user), result="not_met")
    met_item = VisitItemFactory(visit=FiledVisitFactory(school=school, inspector=inspector_user), result="met")
    colleague = UserFactory(role=Role.INSPECTOR, district=district)
    zone.inspectors.add(colleague)
    not_met = VisitItemFactory(visit=FiledVisitFactory(school=school, inspector=inspector_user), result="not_met")
    for target, by in ((draft_item, inspector_user), (met_item, inspector_user), (not_met, colleague),
                       (not_met, principal_user)):
        with pytest.raises(DomainError):
            notice_issue(item=target, requirement="整改", working_days=5, by=by)
    notice_issue(item=not_met, requirement="整改", working_days=5, by=inspector_user)
    with pytest.raises(DomainError, match="already"):
        notice_issue(item=not_met, requirement="再次", working_days=5, by=inspector_user)
    fresh = VisitItemFactory(visit=not_met.visit, result="not_met")
    for days in (0, 61):
        with pytest.raises(ValidationError):
            notice_issue(item=fresh, requirement="x", working_days=days, by=inspector_user)


def test_issued_answered_returned_answered_verified(notice, principal_user, inspector_user, media):
    assert notice.status == Status.ISSUED
    answered = notice_answer(notice=notice, answer="调整作息，大课间延长到40分钟。", by=principal_user,
                             files=[SimpleUploadedFile("课表.png", PNG)])
    assert answered.status == Status.ANSWERED and answered.evidence.get().label == "课表.png"
    returned = notice_return(notice=answered, reason="未见体育课以外的活动安排。", by=inspector_user)
    assert returned.status == Status.RETURNED and returned.return_reason
    again = notice_answer(notice=returned, answer="每天下午增加30分钟课外活动。", by=principal_user)
    verified = notice_verify(notice=again, by=inspector_user)
    assert verified.status == Status.VERIFIED and verified.verified_at
    moves = list(StatusChange.objects.filter(object_id=str(notice.pk)).order_by("at", "id")
                 .values_list("from_status", "to_status", "note"))
    assert [m[:2] for m in moves] == [("issued", "answered"), ("answered", "returned"), ("returned", "answered"),
                                      ("answered", "verified")]
    assert moves[1][2] == "未见体育课以外的活动安排。"


def test_illegal_moves_are_refused_with_a_clear_message(notice, principal_user, inspector_user, english):
    with pytest.raises(DomainError, match="Only an answered notice can be verified"):
        notice_verify(notice=notice, by=inspector_user)
    with pytest.raises(DomainError, match="Only an answered notice can be returned"):
        notice_return(notice=notice, reason="x", by=inspector_user)
    answered = notice_answer(notice=notice, answer="已整改", by=principal_user)
    with pytest.raises(DomainError, match="waits for no answer"):
        notice_answer(notice=answered, answer="再答", by=principal_user)
    verified = notice_verify(notice=answered, by=inspector_user)
    for move in (lambda: notice_verify(notice=verified, by=inspector_user),
                 lambda: notice_answer(notice=verified, answer="x", by=principal_user),
                 lambda: notice_return(notice=verified, reason="x", by=inspector_user)):
        with pytest.raises(DomainError):
            move()
    # The workflow table itself: verified is the end, issued cannot jump to verified.
    with pytest.raises(WorkflowError):
        transition(RectificationNotice.objects.get(pk=notice.pk), to=Status.ISSUED, by=inspector_user)


def test_only_the_school_answers_and_only_the_issuer_checks(notice, district, staff_user, inspector_user,
                                                             principal_user, deputy_user, zone, school_outside_zone):
    elsewhere = UserFactory(role=Role.PRINCIPAL, school=school_outside_zone, district=district)
    with pytest.raises(WorkflowError):
        notice_answer(notice=notice, answer="别校", by=elsewhere)
    colleague = UserFactory(role=Role.INSPECTOR, district=district)
    zone.inspectors.add(colleague)
    for by in (staff_user, inspector_user, colleague):
        with pytest.raises(WorkflowError):
            notice_answer(notice=notice, answer="x", by=by)
    answered = notice_answer(notice=notice, answer="副校长代答", by=deputy_user)
    for by in (principal_user, colleague, staff_user):
        with pytest.raises(WorkflowError):
            notice_verify(notice=answered, by=by)
    notice_verify(notice=answered, by=inspector_user)


def test_empty_or_too_long_text_is_refused_before_anything_moves(notice, principal_user, inspector_user):
    with pytest.raises(ValidationError) as error:
        notice_answer(notice=notice, answer="   ", by=principal_user)
    assert "answer" in error.value.message_dict
    with pytest.raises(ValidationError):
        notice_answer(notice=notice, answer="长" * 4001, by=principal_user)
    with pytest.raises(DomainError):  # a program is no evidence: nothing answered
        notice_answer(notice=notice, answer="见附件", files=[SimpleUploadedFile("a.jpg", b"MZ\x90")], by=principal_user)
    notice.refresh_from_db()
    assert notice.status == Status.ISSUED and not StatusChange.objects.filter(object_id=str(notice.pk)).exists()


def test_overdue_past_the_deadline_until_the_school_answers(notice, principal_user):
    today = notice.deadline
    assert not notice.is_overdue(today)
    assert notice.is_overdue(today + datetime.timedelta(days=1))
    answered = notice_answer(notice=notice, answer="已整改", by=principal_user)
    assert not answered.is_overdue(today + datetime.timedelta(days=30))


# ---- the pages ---------------------------------------------------------------------------


def test_the_journey_on_the_pages(client, item, inspector_user, principal_user, media, english):
    client.force_login(inspector_user)
    visit_page = client.get(reverse("inspections:visit_detail", args=[item.visit_id])).content.decode()
    assert "Raise a rectification notice" in visit_page
    response = client.post(reverse("inspections:notice_issue", args=[item.pk]),
                           {"requirement": "保证每天1小时体育活动", "working_days": "5"})
    notice = RectificationNotice.objects.get()
    assert response["Location"] == reverse("inspections:notice_detail", args=[notice.pk])
    client.force_login(principal_user)
    page = client.get(response["Location"]).content.decode()
    assert "Answer the notice" in page and "保证每天1小时体育活动" in page
    assert client.post(reverse("inspections:notice_answer", args=[notice.pk]), {"answer": ""}).status_code == 400
    client.post(reverse("inspections:notice_answer", args=[notice.pk]),
                {"answer": "已调整作息", "files": [SimpleUploadedFile("照片.png", PNG)]})
    notice.refresh_from_db()
    assert notice.status == Status.ANSWERED
    evidence_url = reverse("inspections:notice_evidence_file", args=[notice.evidence.get().pk])
    assert client.get(evidence_url).status_code == 200
    client.force_login(inspector_user)
    assert evidence_url in client.get(response["Location"]).content.decode()
    # Verifying twice (a double click): the second says why it cannot, nothing moves again.
    client.post(reverse("inspections:notice_verify", args=[notice.pk]))
    again = client.post(reverse("inspections:notice_verify", args=[notice.pk]), follow=True)
    assert "Only an answered notice can be verified" in again.content.decode()
    assert StatusChange.objects.filter(object_id=str(notice.pk), to_status="verified").count() == 1


def test_overdue_notices_show_on_the_list_the_inspectors_month_and_the_schools_page(
        client, notice, staff_user, inspector_user, principal_user, school, english):
    RectificationNotice.objects.filter(pk=notice.pk).update(deadline=datetime.date(2020, 1, 6))
    url = reverse("inspections:notice_detail", args=[notice.pk])
    client.force_login(staff_user)
    listing = client.get(reverse("inspections:notice_list") + "?overdue=on").content.decode()
    assert url in listing and "Overdue" in listing
    client.force_login(inspector_user)
    month = client.get(reverse("inspections:my_month")).content.decode()
    assert "Overdue rectification notices" in month and url in month
    client.force_login(principal_user)
    school_page = client.get(reverse("schools:school_detail", args=[school.pk])).content.decode()
    assert "Open rectification notices" in school_page and url in school_page and "1 overdue" in school_page


def test_the_notice_list_costs_the_same_for_2_or_20(client, school, inspector_user, staff_user,
                                                    django_assert_num_queries):
    def add(n):
        for _ in range(n):
            item = VisitItemFactory(visit=FiledVisitFactory(school=school, inspector=inspector_user), result="not_met")
            notice_issue(item=item, requirement="整改", working_days=5, by=inspector_user)

    client.force_login(staff_user)
    url = reverse("inspections:notice_list")
    add(2)
    client.get(url)
    # session, user with its department, scope districts, the count for the pages, the page
    # of notices with school, inspector, item and visit
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    add(18)
    with django_assert_num_queries(5):
        assert client.get(url).content.decode().count("/inspections/notices/") >= 20
