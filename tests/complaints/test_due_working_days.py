""""Due tomorrow" counts working days on each district's calendar: on a Friday it finds what
is due on Monday, before a holiday what is due on the first day back; the tab, the counts
and the daily reminders agree."""

import datetime

import pytest

from bureau.models import CalendarDay, Notice
from complaints.reminders import complaint_reminders_send
from complaints.selectors import DUE_TOMORROW, complaint_counts, complaint_list
from tests.complaints.factories import lodge
from tests.factories import DistrictFactory, SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _due(complaint, day):
    complaint.due_on = day
    complaint.save(update_fields=["due_on"])
    return complaint


def _tomorrow(user, today):
    return {c.tracking_number for c in complaint_list(user=user, due=DUE_TOMORROW, today=today)}


def test_on_a_friday_tomorrow_is_monday(school, complainant, handler):
    monday = _due(lodge(school=school, by=complainant), D(2026, 11, 16))
    tuesday = _due(lodge(school=school, by=complainant), D(2026, 11, 17))
    friday = D(2026, 11, 13)
    assert _tomorrow(handler, friday) == {monday.tracking_number}
    assert _tomorrow(handler, D(2026, 11, 16)) == {tuesday.tracking_number}
    assert complaint_counts(user=handler, today=friday)[DUE_TOMORROW] == 1
    made = complaint_reminders_send(today=friday)
    assert made == {"due_tomorrow": 1, "overdue": 0}
    notice = Notice.objects.get(recipient=handler)
    assert monday.tracking_number in notice.title and "2026-11-16" in notice.title


def test_before_the_national_day_holiday_tomorrow_is_the_first_day_back(school, complainant, handler):
    # 2026: 10-01 to 10-07 off, Saturday 10-10 a make-up working day (State Council notice).
    back = _due(lodge(school=school, by=complainant), D(2026, 10, 8))
    later = _due(lodge(school=school, by=complainant), D(2026, 10, 9))
    make_up = _due(lodge(school=school, by=complainant), D(2026, 10, 10))
    assert _tomorrow(handler, D(2026, 9, 30)) == {back.tracking_number}
    assert _tomorrow(handler, D(2026, 10, 3)) == {back.tracking_number}  # a job run on a holiday
    assert _tomorrow(handler, D(2026, 10, 9)) == {make_up.tracking_number}  # Friday: Saturday works
    assert complaint_reminders_send(today=D(2026, 9, 30))["due_tomorrow"] == 1
    # A second run during the holiday finds the reminder made: once per complaint and deadline.
    assert complaint_reminders_send(today=D(2026, 10, 5))["due_tomorrow"] == 0
    assert complaint_reminders_send(today=D(2026, 10, 8))["due_tomorrow"] == 1
    assert Notice.objects.filter(recipient=handler, title__contains=later.tracking_number).count() == 1


def test_a_districts_own_holiday_counts_for_its_complaints_only(school, complainant, handler, district, city):
    neighbour = SchoolFactory(district=DistrictFactory(code="320404", name="钟楼区", parent=city),
                              code="3132000009", name="钟楼区实验小学")
    # The district closes on Monday 2026-11-16 (a local day); its neighbour works.
    CalendarDay.objects.create(date=D(2026, 11, 16), kind=CalendarDay.Kind.HOLIDAY, name="区运动会", district=district)
    here_tuesday = _due(lodge(school=school, by=complainant), D(2026, 11, 17))
    there_monday = _due(lodge(school=neighbour, by=complainant), D(2026, 11, 16))
    there_tuesday = _due(lodge(school=neighbour, by=complainant), D(2026, 11, 17))
    city_staff = handler.__class__.objects.get(pk=handler.pk)
    city_staff.district = city
    city_staff.save()
    assert _tomorrow(city_staff, D(2026, 11, 13)) == {here_tuesday.tracking_number, there_monday.tracking_number}
    assert there_tuesday.tracking_number not in _tomorrow(city_staff, D(2026, 11, 13))
    # The city declares the Monday off for all its districts: the neighbour's Tuesday is next
    # too (and what fell due on the Monday, now a day off, is due by then).
    CalendarDay.objects.create(date=D(2026, 11, 16), kind=CalendarDay.Kind.HOLIDAY, name="市运动会", district=city)
    assert _tomorrow(city_staff, D(2026, 11, 13)) == {here_tuesday.tracking_number, there_monday.tracking_number,
                                                      there_tuesday.tracking_number}


def test_the_tab_costs_one_calendar_query(school, complainant, handler, django_assert_num_queries):
    for _n in range(3):
        lodge(school=school, by=complainant)
    list(complaint_list(user=handler, due=DUE_TOMORROW, today=D(2026, 11, 13)))  # the user's districts, once
    with django_assert_num_queries(2):  # the coming calendar days; the complaints
        list(complaint_list(user=handler, due=DUE_TOMORROW, today=D(2026, 11, 13)))
