"""Complaints in each state, made through the services as a user would take them there."""

import datetime
import uuid

from bureau.models import Department, Role
from complaints import services
from complaints.models import Category, Channel, Finding, Responsibility
from tests.factories import UserFactory


def audit_department():
    # get_or_create: a transactional test (the browser's live server) flushes the row the
    # departments' data migration made.
    return Department.objects.get_or_create(code="audit", defaults={"name": "监审科"})[0]


def handler_for(district):
    """A member of the complaints office (监审科) of `district`."""
    return UserFactory(role=Role.STAFF, district=district, department=audit_department(), name="监审科王科员")


def parent(**kwargs):
    kwargs.setdefault("name", "张三丰")
    kwargs.setdefault("mobile", "13812341234")
    return UserFactory(role=Role.PARENT, **kwargs)


def lodge(*, school, by, **kwargs):
    data = {
        "category": Category.HOMEWORK, "description": "三年级每天作业超过两小时。",
        "happened_on": datetime.date(2026, 9, 1), "token": uuid.uuid4(), "teacher_name": "",
    }
    data.update(kwargs)
    complaint, created = services.complaint_submit(school=school, by=by, **data)
    assert created
    return complaint


def to_state(state, *, school, complainant, handler, to_school=True):
    """A complaint of `complainant` at `school`, taken by `handler` to `state`."""
    complaint = lodge(school=school, by=complainant)
    steps = ["accepted", "assigned", "investigating", "concluded", "replied", "closed"]
    if state == "rejected":
        return services.complaint_reject(complaint=complaint, by=handler, reason="不属于受理范围")
    if state == "submitted":
        return complaint
    for step in steps:
        if step == "accepted":
            complaint = services.complaint_accept(complaint=complaint, by=handler)
        elif step == "assigned":
            complaint = services.complaint_assign(complaint=complaint, by=handler, department=audit_department(),
                                                  to_school=to_school)
        elif step == "investigating":
            complaint = services.complaint_record(complaint=complaint, by=handler, text="已约谈年级组长。")
        elif step == "concluded":
            complaint = services.complaint_conclude(
                complaint=complaint, by=handler, finding=Finding.SUBSTANTIATED,
                responsibility=Responsibility.SCHOOL, measures="责令学校整改，通报批评。",
            )
        elif step == "replied":
            complaint = services.complaint_reply(complaint=complaint, by=handler, text="经核实，情况属实，已责令整改。")
        elif step == "closed":
            complaint = services.complaint_rate(complaint=complaint, by=complainant, rating=4) \
                if complaint.complainant_id else complaint
            complaint = services.complaint_close(complaint=complaint, by=handler)
        if step == state:
            return complaint
    raise ValueError(state)




__all__ = ["Channel", "handler_for", "lodge", "parent", "to_state"]
