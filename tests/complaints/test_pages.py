"""The complaint pages as each role uses them (issue 9)."""

import datetime

import pytest
from django.urls import reverse

from bureau.models import AuditLog
from complaints.models import Complaint
from tests.complaints.factories import audit_department, lodge, to_state

pytestmark = pytest.mark.django_db
S = Complaint.Status


def test_a_parent_finds_the_school_by_name_and_lodges(client, complainant, school, school_outside_zone):
    client.force_login(complainant)
    found = client.get(reverse("complaints:lodge"), {"q": "实验"})
    assert found.status_code == 200
    html = found.content.decode()
    assert "天宁区实验小学" in html and "红梅" not in html
    form = client.get(reverse("complaints:lodge"), {"school": school.pk})
    token = form.context["form"].initial["token"]
    data = {"token": token, "category": "homework", "happened_on": "2026-09-01",
            "description": "三年级每天作业超过两小时。", "teacher_name": "李老师"}
    url = reverse("complaints:lodge") + f"?school={school.pk}"
    response = client.post(url, data, follow=True)
    complaint = Complaint.objects.get()
    assert complaint.tracking_number in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("complaints:detail", args=[complaint.pk])
    # A double click: the same form again makes no second complaint and leads to the first.
    again = client.post(url, data, follow=True)
    assert Complaint.objects.count() == 1
    assert again.redirect_chain[-1][0] == reverse("complaints:detail", args=[complaint.pk])


def test_bad_input_says_what_and_where_and_writes_nothing(client, complainant, school, english):
    client.force_login(complainant)
    url = reverse("complaints:lodge") + f"?school={school.pk}"
    token = client.get(url).context["form"].initial["token"]
    response = client.post(url, {"token": token, "category": "", "happened_on": "2099-01-01",
                                 "description": "x" * 2001})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"category", "description"}
    assert "2000" in str(form.errors["description"])
    assert not Complaint.objects.exists()


def test_text_is_rendered_escaped(client, complainant, school):
    complaint = lodge(school=school, by=complainant, description="<script>alert(1)</script>")
    client.force_login(complainant)
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_my_complaints_lists_only_mine(client, complainant, school):
    from tests.complaints.factories import parent

    mine = lodge(school=school, by=complainant)
    other = lodge(school=school, by=parent(username="neighbour", mobile="13700000000"))
    client.force_login(complainant)
    html = client.get(reverse("complaints:mine")).content.decode()
    assert mine.tracking_number in html and other.tracking_number not in html
    assert client.get(reverse("complaints:detail", args=[other.pk])).status_code == 404


def test_staff_list_masks_the_complainant_and_a_logged_look_shows_them(client, complainant, school, handler,
                                                                      leader_user):
    complaint = lodge(school=school, by=complainant)
    client.force_login(handler)
    html = client.get(reverse("complaints:list")).content.decode()
    assert "张**" in html and "138****1234" in html
    assert "张三丰" not in html and "13812341234" not in html
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "张三丰" not in detail and "138****1234" in detail
    assert not AuditLog.objects.filter(action="view").exists()
    shown = client.post(reverse("complaints:reveal", args=[complaint.pk])).content.decode()
    assert "张三丰" in shown and "13812341234" in shown
    client.force_login(leader_user)
    assert "张三丰" in client.post(reverse("complaints:reveal", args=[complaint.pk])).content.decode()
    looks = AuditLog.objects.filter(action="view", object_id=str(complaint.pk)).order_by("at", "id")
    assert [look.actor for look in looks] == [handler, leader_user]
    # The log says who looked and when, never what they saw.
    assert all("张三丰" not in (look.note + str(look.changes) + look.object_repr) for look in looks)


def test_staff_outside_the_office_see_the_complaint_but_not_who(client, complainant, school, staff_user):
    complaint = lodge(school=school, by=complainant)
    client.force_login(staff_user)
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert complaint.tracking_number in detail and "138****1234" not in detail and "张" not in detail.split("<main")[1]
    assert client.post(reverse("complaints:reveal", args=[complaint.pk])).status_code == 403
    assert not AuditLog.objects.filter(action="view").exists()


def test_the_principal_handed_a_complaint_never_meets_the_complainant(client, complainant, school, handler,
                                                                     principal_user):
    kept = to_state("assigned", school=school, complainant=complainant, handler=handler, to_school=False)
    handed = to_state("assigned", school=school, complainant=complainant, handler=handler)
    client.force_login(principal_user)
    assert client.get(reverse("complaints:detail", args=[kept.pk])).status_code == 404
    listing = client.get(reverse("complaints:list")).content.decode()
    assert handed.tracking_number in listing and kept.tracking_number not in listing
    page = client.get(reverse("complaints:detail", args=[handed.pk])).content.decode()
    for secret in ("张三丰", "张*", "13812341234", "138****1234", complainant.username):
        assert secret not in page
    assert client.post(reverse("complaints:reveal", args=[handed.pk])).status_code == 403
    response = client.post(reverse("complaints:answer", args=[handed.pk]),
                           {"expected": "assigned", "text": "已核实，确有此事，已整改。"}, follow=True)
    assert response.status_code == 200
    handed.refresh_from_db()
    assert handed.status == S.INVESTIGATING


def test_the_principal_does_not_see_the_parents_appeal_as_the_parents_name(client, complainant, school, handler,
                                                                           principal_user):
    complaint = to_state("replied", school=school, complainant=complainant, handler=handler)
    from complaints import services

    services.complaint_appeal(complaint=complaint, by=complainant, reason="作业仍然很多")
    client.force_login(principal_user)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "张三丰" not in page and "作业仍然很多" not in page


def test_staff_take_a_complaint_to_a_reply_through_the_pages(client, complainant, school, handler):
    complaint = lodge(school=school, by=complainant)
    client.force_login(handler)
    url = lambda verb: reverse(f"complaints:{verb}", args=[complaint.pk])  # noqa: E731
    steps = [
        ("accept", {"expected": "submitted"}),
        ("assign", {"expected": "accepted", "department": audit_department().pk, "to_school": "on"}),
        ("record", {"expected": "assigned", "text": "调阅作业记录。"}),
        ("conclude", {"expected": "investigating", "finding": "substantiated", "responsibility": "school",
                      "measures": "责令整改。", "veto": "on"}),
        ("reply", {"expected": "concluded", "text": "经核实属实，已责令整改。"}),
    ]
    for verb, data in steps:
        response = client.post(url(verb), data)
        assert response.status_code == 302, (verb, response.content.decode()[-2000:])
    complaint.refresh_from_db()
    assert complaint.status == S.REPLIED and complaint.veto
    client.force_login(complainant)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "经核实属实，已责令整改。" in page
    assert client.post(url("rate"), {"rating": "5", "comment": "满意"}).status_code == 302
    assert client.post(url("appeal"), {"expected": "replied", "reason": "还有问题"}).status_code == 302
    complaint.refresh_from_db()
    assert (complaint.rating, complaint.status) == (5, S.REOPENED)


def test_two_staff_on_one_complaint_get_one_success_and_one_clear_error(client, complainant, school, handler,
                                                                       district, english):
    from tests.complaints.factories import handler_for

    complaint = lodge(school=school, by=complainant)
    client.force_login(handler)
    assert client.post(reverse("complaints:accept", args=[complaint.pk]), {"expected": "submitted"}).status_code == 302
    client.force_login(handler_for(district))
    response = client.post(reverse("complaints:reject", args=[complaint.pk]),
                           {"expected": "submitted", "reason": "重复投诉"})
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == S.ACCEPTED


def test_the_office_enters_a_hotline_complaint(client, handler, school):
    client.force_login(handler)
    form = client.get(reverse("complaints:enter"))
    token = form.context["form"].initial["token"]
    response = client.post(reverse("complaints:enter"), {
        "token": token, "channel": "hotline", "school": school.pk, "complainant_name": "李四",
        "complainant_mobile": "13900001111", "category": "illegal_fees", "happened_on": "2026-09-01",
        "description": "收取补课费。",
    })
    assert response.status_code == 302
    assert Complaint.objects.get().channel == "hotline"


def test_other_staff_may_not_enter_complaints(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("complaints:enter")).status_code == 403


def test_due_tabs(client, complainant, school, handler, monkeypatch):
    lodge(school=school, by=complainant)
    client.force_login(handler)
    complaint = Complaint.objects.get()
    today = complaint.accept_due
    monkeypatch.setattr("complaints.deadlines.today", lambda: today)
    assert complaint.tracking_number in client.get(reverse("complaints:list"), {"due": "today"}).content.decode()
    assert complaint.tracking_number not in client.get(reverse("complaints:list"), {"due": "overdue"}).content.decode()
    monkeypatch.setattr("complaints.deadlines.today", lambda: today + datetime.timedelta(days=1))
    assert complaint.tracking_number in client.get(reverse("complaints:list"), {"due": "overdue"}).content.decode()
    monkeypatch.setattr("complaints.deadlines.today", lambda: today - datetime.timedelta(days=1))
    assert complaint.tracking_number in client.get(reverse("complaints:list"), {"due": "tomorrow"}).content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_for_2_and_20(client, handler, school, count, django_assert_num_queries):
    from tests.complaints.factories import parent

    for n in range(count):
        lodge(school=school, by=parent(username=f"p{n}", mobile=f"137{n:08d}"))
    client.force_login(handler)
    client.get(reverse("complaints:list"))  # warm the content-type and session caches
    # 1 session, 2 user with its department (is it the office?) and district, 3 district ids
    # of the user, 4 page count, 5 the page's complaints with school and department, 6 the
    # calendar's coming days (what "tomorrow" is in each district), 7 the due counts.
    with django_assert_num_queries(7):
        client.get(reverse("complaints:list"))


@pytest.mark.parametrize("state", ["submitted", "accepted", "assigned", "investigating", "concluded", "replied",
                                   "rejected", "closed"])
def test_the_offices_pages_keep_the_content_security_policy(client, complainant, school, handler, state):
    # The page walk's staff are not of the office: its forms are walked here, in every state.
    from tests.test_page_walk import problems_of

    complaint = to_state(state, school=school, complainant=complainant, handler=handler)
    client.force_login(handler)
    for url in (reverse("complaints:detail", args=[complaint.pk]), reverse("complaints:enter"),
                reverse("complaints:list")):
        response = client.get(url)
        assert response.status_code == 200 and not problems_of(response), url
    response = client.post(reverse("complaints:reveal", args=[complaint.pk]))
    assert response.status_code == 200 and not problems_of(response)
