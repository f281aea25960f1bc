"""Every move of a complaint, legal and illegal, through its services (DESIGN.md "Complaint")."""

import datetime
import uuid
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from bureau.errors import DomainError
from bureau.models import AuditLog, Department, StatusChange
from bureau.workflow import ConcurrentMove, WorkflowError
from complaints import services
from complaints.models import Channel, Complaint, Finding, HandlingRecord, Responsibility
from tests.complaints.factories import audit_department, lodge, parent, to_state
from tests.factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Complaint.Status
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(monkeypatch, *args):
    """Make it this moment in Shanghai for the services (no freezing library in the stack)."""
    moment = datetime.datetime(*args, tzinfo=SHANGHAI)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return moment


def test_a_parent_lodges_and_gets_a_tracking_number_at_once(school, complainant):
    complaint = lodge(school=school, by=complainant, teacher_name="李老师")
    assert complaint.pk and complaint.status == S.SUBMITTED and complaint.channel == Channel.WEB
    assert complaint.tracking_number.startswith("TS") and len(complaint.tracking_number) == 16
    # The account is the complainant; its name and mobile are taken from it.
    assert (complaint.complainant, complaint.complainant_name, complaint.complainant_mobile) == (
        complainant, "张三丰", "13812341234")
    assert complaint.due_on == complaint.accept_due
    assert AuditLog.objects.filter(object_id=str(complaint.pk), action="create").count() == 1


def test_the_same_form_sent_twice_makes_one_complaint(school, complainant):
    token = uuid.uuid4()
    first = lodge(school=school, by=complainant, token=token)
    again, created = services.complaint_submit(
        school=school, by=complainant, token=token, category="homework", description="重复", happened_on=None,
    )
    assert again == first and not created
    assert Complaint.objects.count() == 1


def test_staff_enter_a_hotline_complaint_with_the_complainants_details(school, handler):
    complaint = lodge(school=school, by=handler, channel=Channel.HOTLINE, complainant_name="李四",
                      complainant_mobile="13900001111")
    assert complaint.complainant is None and complaint.complainant_name == "李四"
    assert complaint.created_by == handler


@pytest.mark.parametrize("mobile", ["", "1390000111", "23900001111", "1390000111x"])
def test_a_staff_entered_complaint_needs_a_real_mobile(school, handler, mobile):
    with pytest.raises(ValidationError) as caught:
        lodge(school=school, by=handler, channel=Channel.HOTLINE, complainant_name="李四", complainant_mobile=mobile)
    assert "complainant_mobile" in caught.value.message_dict
    assert not Complaint.objects.exists()


def test_only_the_office_enters_hotline_complaints_and_only_parents_lodge_on_the_web(school, staff_user, handler):
    with pytest.raises(DomainError):
        lodge(school=school, by=staff_user, channel=Channel.HOTLINE, complainant_name="李四",
              complainant_mobile="13900001111")
    with pytest.raises(DomainError):
        lodge(school=school, by=handler)  # the web channel is a parent's own
    assert not Complaint.objects.exists()


def test_the_office_enters_complaints_of_its_own_district_only(other_school, handler):
    with pytest.raises(DomainError):
        lodge(school=other_school, by=handler, channel=Channel.LETTER, complainant_name="李四",
              complainant_mobile="13900001111")


def test_text_is_length_limited_and_a_date_not_in_the_future(school, complainant):
    with pytest.raises(ValidationError) as caught:
        lodge(school=school, by=complainant, description="长" * 2001)
    assert "description" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        lodge(school=school, by=complainant, happened_on=datetime.date(2099, 1, 1))
    assert "happened_on" in caught.value.message_dict


def test_the_whole_way_to_closed_writes_each_step(school, complainant, handler):
    complaint = to_state("closed", school=school, complainant=complainant, handler=handler)
    assert complaint.status == S.CLOSED and complaint.rating == 4
    steps = list(StatusChange.objects.filter(object_id=str(complaint.pk)).order_by("at", "id")
                 .values_list("from_status", "to_status"))
    assert steps == [("submitted", "accepted"), ("accepted", "assigned"), ("assigned", "investigating"),
                     ("investigating", "concluded"), ("concluded", "replied"), ("replied", "closed")]
    assert complaint.records.get().kind == HandlingRecord.Kind.INVESTIGATION


def test_reject_needs_a_reason_the_parent_reads(school, complainant, handler):
    complaint = lodge(school=school, by=complainant)
    with pytest.raises(ValidationError):
        services.complaint_reject(complaint=complaint, by=handler, reason="  ")
    complaint = services.complaint_reject(complaint=complaint, by=handler, reason="不属于教育局受理范围")
    assert complaint.status == S.REJECTED and complaint.reject_reason == "不属于教育局受理范围"
    assert complaint.due_on is None


# Every pair (state, verb) that the table does not allow is refused with a clear message.
VERBS = {
    "accept": lambda c, h: services.complaint_accept(complaint=c, by=h),
    "reject": lambda c, h: services.complaint_reject(complaint=c, by=h, reason="理由"),
    "assign": lambda c, h: services.complaint_assign(complaint=c, by=h, department=audit_department()),
    "record": lambda c, h: services.complaint_record(complaint=c, by=h, text="记录"),
    "conclude": lambda c, h: services.complaint_conclude(
        complaint=c, by=h, finding=Finding.UNSUBSTANTIATED, responsibility=Responsibility.NONE, measures=""),
    "reply": lambda c, h: services.complaint_reply(complaint=c, by=h, text="答复"),
    "close": lambda c, h: services.complaint_close(complaint=c, by=h),
}
LEGAL = {
    "submitted": {"accept", "reject"},
    "accepted": {"assign"},
    "assigned": {"record"},
    "investigating": {"record", "conclude"},
    "concluded": {"reply"},
    "replied": set(),  # closing waits for the appeal window or a rating
    "rejected": set(),
    "closed": set(),
}


@pytest.mark.parametrize("state", list(LEGAL))
@pytest.mark.parametrize("verb", list(VERBS))
def test_every_verb_in_every_state(state, verb, school, complainant, handler):
    complaint = to_state(state, school=school, complainant=complainant, handler=handler)
    if verb in LEGAL[state]:
        moved = VERBS[verb](complaint, handler)
        assert moved.status != state or verb == "record"
    else:
        with pytest.raises((WorkflowError, DomainError, ValidationError)):
            VERBS[verb](complaint, handler)
        complaint.refresh_from_db()
        assert complaint.status == state


def test_a_staff_member_outside_the_office_moves_nothing(school, complainant, staff_user, leader_user, english):
    complaint = lodge(school=school, by=complainant)
    for user in (staff_user, leader_user, complainant):
        with pytest.raises(WorkflowError, match="may not"):
            services.complaint_accept(complaint=complaint, by=user)


def test_the_office_of_another_district_moves_nothing(school, complainant, other_district):
    from tests.complaints.factories import handler_for

    complaint = lodge(school=school, by=complainant)
    with pytest.raises(WorkflowError):
        services.complaint_accept(complaint=complaint, by=handler_for(other_district))


def test_two_staff_accepting_at_once_get_one_success_and_one_clear_error(school, complainant, handler, district,
                                                                        english):
    from tests.complaints.factories import handler_for

    colleague = handler_for(district)
    seen_by_both = lodge(school=school, by=complainant)
    services.complaint_accept(complaint=seen_by_both, by=handler, expected=S.SUBMITTED)
    with pytest.raises(ConcurrentMove, match="someone else"):
        services.complaint_reject(complaint=seen_by_both, by=colleague, reason="重复", expected=S.SUBMITTED)
    assert Complaint.objects.get().status == S.ACCEPTED


def test_conclusion_rules(school, complainant, handler):
    complaint = to_state("investigating", school=school, complainant=complainant, handler=handler)
    cases = [
        ({"finding": Finding.SUBSTANTIATED, "responsibility": Responsibility.NONE, "measures": "整改"}, "responsibility"),
        ({"finding": Finding.SUBSTANTIATED, "responsibility": Responsibility.SCHOOL, "measures": ""}, "measures"),
        ({"finding": Finding.UNSUBSTANTIATED, "responsibility": Responsibility.SCHOOL, "measures": ""},
         "responsibility"),
        ({"finding": Finding.PARTLY, "responsibility": Responsibility.SCHOOL, "measures": "整改", "veto": True}, "veto"),
        ({"finding": Finding.SUBSTANTIATED, "responsibility": Responsibility.INDIVIDUAL, "measures": "处分",
          "veto": True}, "teacher"),
        ({"finding": Finding.SUBSTANTIATED, "responsibility": Responsibility.INDIVIDUAL, "measures": "处分",
          "teacher": TeacherFactory()}, "teacher"),  # a teacher of another school
        ({"finding": "maybe", "responsibility": Responsibility.NONE, "measures": ""}, "finding"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as caught:
            services.complaint_conclude(complaint=complaint, by=handler, **data)
        assert field in caught.value.message_dict, data
    teacher = TeacherFactory(school=school, name="赵老师")
    done = services.complaint_conclude(complaint=complaint, by=handler, finding=Finding.SUBSTANTIATED,
                                       responsibility=Responsibility.INDIVIDUAL, measures="处分", veto=True,
                                       teacher=teacher)
    assert (done.status, done.veto, done.teacher) == (S.CONCLUDED, True, teacher)


def test_the_school_answers_what_it_is_handed(school, complainant, handler, principal_user, school_outside_zone):
    handed = to_state("assigned", school=school, complainant=complainant, handler=handler)
    answered = services.complaint_school_answer(complaint=handed, by=principal_user, text="已核实，确有此事。")
    assert answered.status == S.INVESTIGATING
    kept = to_state("assigned", school=school, complainant=complainant, handler=handler, to_school=False)
    with pytest.raises(DomainError):
        services.complaint_school_answer(complaint=kept, by=principal_user, text="……")
    other = UserFactory(role="principal", school=school_outside_zone, district=school_outside_zone.district)
    with pytest.raises(DomainError):
        services.complaint_school_answer(complaint=handed, by=other, text="……")


def test_the_assigned_department_records_the_investigation(school, complainant, handler, staff_user):
    complaint = to_state("accepted", school=school, complainant=complainant, handler=handler)
    with pytest.raises(DomainError):
        services.complaint_record(complaint=complaint, by=staff_user, text="……")
    complaint = services.complaint_assign(complaint=complaint, by=handler, department=staff_user.department)
    moved = services.complaint_record(complaint=complaint, by=staff_user, text="走访了三个班级。")
    assert moved.status == S.INVESTIGATING


def test_assignment_deadline_is_not_past_nor_after_the_conclusion(school, complainant, handler):
    complaint = to_state("accepted", school=school, complainant=complainant, handler=handler)
    for due in (complaint.conclude_due + datetime.timedelta(days=1), datetime.date(2020, 1, 1)):
        with pytest.raises(ValidationError):
            services.complaint_assign(complaint=complaint, by=handler, department=audit_department(), due=due)
    with pytest.raises(ValidationError):
        services.complaint_assign(complaint=complaint, by=handler, department=None)


def test_one_extension_with_a_reason(school, complainant, handler, english):
    complaint = to_state("assigned", school=school, complainant=complainant, handler=handler)
    before = complaint.conclude_due
    with pytest.raises(ValidationError):
        services.complaint_extend(complaint=complaint, by=handler, reason="")
    extended = services.complaint_extend(complaint=complaint, by=handler, reason="涉及多个年级，需延长调查")
    assert extended.conclude_due > before and extended.due_on == extended.conclude_due
    with pytest.raises(DomainError, match="once"):
        services.complaint_extend(complaint=extended, by=handler, reason="再延一次")


def test_deadlines_across_national_day_2026(monkeypatch, school, complainant, handler):
    # 国庆节 2026: 1–7 October off; Sunday 20 September and Saturday 10 October are working days.
    at(monkeypatch, 2026, 9, 30, 16, 0)
    complaint = lodge(school=school, by=complainant, happened_on=datetime.date(2026, 9, 29))
    assert complaint.accept_due == datetime.date(2026, 10, 9)  # Thu 8 and Fri 9 October
    at(monkeypatch, 2026, 10, 9, 10, 0)
    second = lodge(school=school, by=complainant, happened_on=datetime.date(2026, 10, 8))
    assert second.accept_due == datetime.date(2026, 10, 12)  # the make-up Saturday 10 counts
    accepted = services.complaint_accept(complaint=second, by=handler)
    # 15 working days from Friday 9 October: Sat 10, then 12–16, 19–23, 26–29 October.
    assert accepted.conclude_due == datetime.date(2026, 10, 29)
    at(monkeypatch, 2026, 9, 18, 9, 0)
    third = lodge(school=school, by=complainant, happened_on=datetime.date(2026, 9, 17))
    assert third.accept_due == datetime.date(2026, 9, 21)  # Sunday 20 September is a working day


def test_rating_and_one_appeal_within_the_window(monkeypatch, school, complainant, handler, english):
    at(monkeypatch, 2026, 11, 2, 9, 0)
    complaint = to_state("replied", school=school, complainant=complainant, handler=handler)
    assert complaint.appeal_due == datetime.date(2026, 11, 23)  # 15 working days after Monday 2 November
    stranger = parent(username="someone_else")
    with pytest.raises(DomainError):
        services.complaint_rate(complaint=complaint, by=stranger, rating=5)
    with pytest.raises(ValidationError):
        services.complaint_rate(complaint=complaint, by=complainant, rating=6)
    rated = services.complaint_rate(complaint=complaint, by=complainant, rating=2, comment="处理不彻底")
    with pytest.raises(DomainError):
        services.complaint_rate(complaint=rated, by=complainant, rating=3)
    with pytest.raises(WorkflowError):
        services.complaint_appeal(complaint=rated, by=stranger, reason="我也不满意")
    reopened = services.complaint_appeal(complaint=rated, by=complainant, reason="作业仍然很多")
    assert reopened.status == S.REOPENED and reopened.conclude_due == datetime.date(2026, 11, 23)
    again = services.complaint_record(complaint=reopened, by=handler, text="再次走访")
    again = services.complaint_conclude(complaint=again, by=handler, finding=Finding.SUBSTANTIATED,
                                        responsibility=Responsibility.SCHOOL, measures="再次整改")
    again = services.complaint_reply(complaint=again, by=handler, text="已再次整改")
    with pytest.raises(DomainError, match="once"):
        services.complaint_appeal(complaint=again, by=complainant, reason="还是不行")
    assert services.complaint_close(complaint=again, by=handler).status == S.CLOSED


def test_no_appeal_after_the_window_and_closing_waits_for_it(monkeypatch, school, complainant, handler, english):
    at(monkeypatch, 2026, 11, 2, 9, 0)
    complaint = to_state("replied", school=school, complainant=complainant, handler=handler)
    with pytest.raises(DomainError, match="appeal"):
        services.complaint_close(complaint=complaint, by=handler)
    at(monkeypatch, 2026, 11, 24, 9, 0)
    with pytest.raises(DomainError, match="over"):
        services.complaint_appeal(complaint=complaint, by=complainant, reason="迟到的申诉")
    assert services.complaint_close(complaint=complaint, by=handler).status == S.CLOSED


def test_deadline_settings_are_read(settings, school, complainant, handler):
    settings.COMPLAINT_ACCEPT_DAYS = 5
    complaint = lodge(school=school, by=complainant)
    from bureau.calendar import working_days_between

    assert working_days_between(complaint.received_at, complaint.accept_due, district=school.district) == 5


def test_departments_exist_for_assignment():
    assert Department.objects.filter(code="audit", name="监审科").exists()


def test_submissions_are_limited_per_account_and_per_address(settings, school, complainant, english):
    from django.core.cache import cache

    cache.clear()
    settings.COMPLAINT_SUBMIT_PER_DAY = 2
    settings.COMPLAINT_SUBMIT_PER_ADDRESS_PER_DAY = 3
    lodge(school=school, by=complainant, address="10.0.0.1")
    lodge(school=school, by=complainant, address="10.0.0.1")
    with pytest.raises(DomainError, match="most a day"):
        lodge(school=school, by=complainant, address="10.0.0.2")
    neighbour = parent(username="neighbour", mobile="13700000001")
    lodge(school=school, by=neighbour, address="10.0.0.1")
    with pytest.raises(DomainError, match="this network"):
        lodge(school=school, by=parent(username="third", mobile="13700000002"), address="10.0.0.1")
    assert Complaint.objects.count() == 3
