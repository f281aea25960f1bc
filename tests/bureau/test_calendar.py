"""The working-day calendar: the official arrangements, counting working days, who keeps
which days, and the administrator's calendar page."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from bureau import calendar as cal
from bureau.calendar_services import calendar_day_create, calendar_day_delete, calendar_day_update
from bureau.errors import DomainError
from bureau.holidays import OFFICIAL_ARRANGEMENTS, SOURCE_2026, official_days
from bureau.models import AuditLog, CalendarDay, Role
from tests.factories import CalendarDayFactory, DistrictFactory, UserFactory

D = datetime.date
UTC = datetime.UTC

# The make-up working days (调休上班) the two notices name, written out by hand so that a
# slip in bureau/holidays.py shows here rather than in someone's deadline.
MAKE_UP_DAYS = {
    2025: [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)],
    2026: [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)],
}
OFFICIAL = [day for year in OFFICIAL_ARRANGEMENTS for day in official_days(year)]
MAKE_UP = [(date, name) for date, kind, name, _source in OFFICIAL if kind == cal.WORKDAY]
HOLIDAY_WEEKDAYS = [(date, name) for date, kind, name, _source in OFFICIAL if kind == cal.HOLIDAY and date.weekday() < 5]


@pytest.fixture(autouse=True)
def national(db):
    """The official days, as migration 0006 loads them; loaded again when a test that
    flushes the database (a live-server test) has emptied the table before this one."""
    if not CalendarDay.objects.filter(district__isnull=True).exists():
        CalendarDay.objects.bulk_create(
            CalendarDay(date=date, kind=kind, name=name, source=source) for date, kind, name, source in OFFICIAL
        )


@pytest.fixture
def city_of(district):
    """The city of `district` (tests/conftest.py's world has one; made here if it has not)."""
    if district.parent_id is None:
        district.parent = DistrictFactory(code="320400", name="常州市", level="city")
        district.save(update_fields=["parent"])
    return district.parent


@pytest.fixture
def sister(city_of):
    """Another district of the same city."""
    return DistrictFactory(code="320412", name="武进区", parent=city_of)


@pytest.fixture
def city_admin(city_of):
    return UserFactory(username="cityadmin", role=Role.ADMIN, district=city_of)


@pytest.fixture
def root(db):
    return UserFactory(username="root", role=Role.ADMIN, is_superuser=True, is_staff=True)


def audit_of(day):
    return AuditLog.objects.filter(content_type__model="calendarday", object_id=str(day.pk)).order_by("id")


# ---- the official arrangements ------------------------------------------------------


def test_the_official_make_up_days_are_the_published_ones():
    for year, expected in MAKE_UP_DAYS.items():
        assert sorted(date for date, _name in MAKE_UP if date.year == year) == expected


@pytest.mark.parametrize(("date", "name"), MAKE_UP, ids=[f"{d}-{n}" for d, n in MAKE_UP])
def test_each_make_up_weekend_day_is_a_working_day(date, name):
    assert date.weekday() >= 5, "a make-up working day falls on a weekend"
    assert cal.is_working_day(date)


@pytest.mark.parametrize(("date", "name"), HOLIDAY_WEEKDAYS, ids=[f"{d}-{n}" for d, n in HOLIDAY_WEEKDAYS])
def test_each_holiday_weekday_is_not_a_working_day(date, name):
    assert not cal.is_working_day(date)


def test_plain_days_follow_the_week():
    assert cal.is_working_day(D(2026, 3, 10))  # a Tuesday
    assert not cal.is_working_day(D(2026, 3, 14))  # a Saturday
    assert cal.calendar_years_loaded()[:2] == [2025, 2026]


# ---- counting working days ----------------------------------------------------------

# (start, working days, due date): across each Spring Festival and National Day.
ADDITIONS = [
    (D(2026, 2, 12), 2, D(2026, 2, 14)),  # accept a complaint of Thursday: the make-up Saturday
    (D(2026, 2, 14), 1, D(2026, 2, 24)),  # nine days off, 15–23 Feb
    (D(2026, 2, 12), 15, D(2026, 3, 11)),  # conclude within 15: the break and the make-up 28 Feb
    (D(2026, 2, 27), 1, D(2026, 2, 28)),
    (D(2026, 9, 18), 2, D(2026, 9, 21)),  # the make-up Sunday 20 Sep
    (D(2026, 9, 30), 1, D(2026, 10, 8)),  # 1–7 Oct off
    (D(2026, 9, 30), 3, D(2026, 10, 10)),  # the make-up Saturday 10 Oct
    (D(2025, 1, 24), 1, D(2025, 1, 26)),  # the make-up Sunday 26 Jan
    (D(2025, 1, 27), 1, D(2025, 2, 5)),  # 28 Jan – 4 Feb off
    (D(2025, 1, 27), 4, D(2025, 2, 8)),  # the make-up Saturday 8 Feb
    (D(2025, 9, 26), 1, D(2025, 9, 28)),  # the make-up Sunday 28 Sep
    (D(2025, 9, 30), 3, D(2025, 10, 11)),  # 1–8 Oct off, then the make-up Saturday 11 Oct
    (D(2026, 3, 10), 0, D(2026, 3, 10)),
]

# (start, end, working days in (start, end]).
SPANS = [
    (D(2026, 2, 12), D(2026, 3, 11), 15),
    (D(2026, 2, 13), D(2026, 2, 28), 6),
    (D(2026, 9, 18), D(2026, 10, 10), 11),  # 20 Sep worked, 25 Sep (中秋) and 1–7 Oct off, 10 Oct worked
    (D(2025, 1, 24), D(2025, 2, 10), 7),
    (D(2025, 9, 26), D(2025, 10, 12), 6),
    (D(2026, 3, 10), D(2026, 3, 10), 0),
]


@pytest.mark.parametrize(("start", "days", "due"), ADDITIONS, ids=str)
def test_add_working_days(start, days, due):
    assert cal.add_working_days(start, days) == due
    if days:
        assert cal.working_days_between(start, due) == days


@pytest.mark.parametrize(("start", "end", "count"), SPANS, ids=str)
def test_working_days_between(start, end, count):
    assert cal.working_days_between(start, end) == count
    assert cal.working_days_between(end, start) == -count


def test_datetimes_count_from_their_day_in_shanghai():
    late_thursday = datetime.datetime(2026, 2, 12, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    after_midnight = datetime.datetime(2026, 2, 12, 16, 30, tzinfo=UTC)  # Friday 00:30 in Shanghai
    assert cal.add_working_days(late_thursday, 2) == D(2026, 2, 14)
    assert cal.add_working_days(after_midnight, 2) == D(2026, 2, 24)
    assert cal.working_days_between(late_thursday, after_midnight) == 1
    assert not cal.is_working_day(datetime.datetime(2026, 2, 14, 16, 30, tzinfo=UTC))  # Sunday the 15th


def test_a_year_without_national_data_counts_plain_weeks():
    assert not CalendarDay.objects.filter(date__year=2030).exists()
    assert cal.is_working_day(D(2030, 1, 1))  # New Year's Day, but nothing is loaded for 2030
    assert cal.add_working_days(D(2030, 1, 1), 5) == D(2030, 1, 8)
    assert cal.working_days_between(D(2030, 1, 1), D(2030, 12, 31)) == 260  # 261 weekdays, 1 Jan not counted
    assert 2030 not in cal.calendar_years_loaded()
    assert not cal.calendar_year(year=2030).has_national


def test_district_and_city_days_win_over_the_national_day(district, other_district, city_of, sister):
    saturday = D(2026, 2, 28)  # a national make-up working day
    CalendarDayFactory(date=saturday, kind=CalendarDay.Kind.HOLIDAY, name="市运动会", district=city_of)
    CalendarDayFactory(date=saturday, kind=CalendarDay.Kind.WORKDAY, name="区补课日", district=sister)
    CalendarDayFactory(date=D(2026, 2, 23), kind=CalendarDay.Kind.HOLIDAY, name="区假日", district=district)
    assert cal.is_working_day(saturday)  # nationally
    assert cal.is_working_day(saturday, district=other_district)  # not in the city
    assert not cal.is_working_day(saturday, district=district)  # the city's day
    assert cal.is_working_day(saturday, district=sister)  # its own day beats the city's
    assert not cal.is_working_day(saturday, district=district.pk)  # by id, the city read by subquery
    assert cal.is_working_day(saturday, district=sister.pk)
    assert cal.add_working_days(D(2026, 2, 27), 1) == saturday
    assert cal.add_working_days(D(2026, 2, 27), 1, district=district) == D(2026, 3, 2)
    assert cal.working_days_between(D(2026, 2, 13), D(2026, 2, 28), district=district) == 5
    assert cal.working_days_between(D(2026, 2, 13), D(2026, 2, 28), district=sister.pk) == 6


def test_a_district_workday_beats_a_national_holiday(district):
    sunday = D(2026, 10, 4)  # National Day break
    CalendarDayFactory(date=sunday, kind=CalendarDay.Kind.WORKDAY, name="区补课日", district=district)
    assert not cal.is_working_day(sunday)
    assert cal.is_working_day(sunday, district=district)
    assert cal.add_working_days(D(2026, 9, 30), 1, district=district) == sunday


def test_a_long_closure_grows_the_window_and_an_endless_one_stops(district, monkeypatch):
    start = D(2030, 3, 1)
    CalendarDay.objects.bulk_create(
        CalendarDay(date=start + datetime.timedelta(days=n), kind="holiday", name="停课", district=district)
        for n in range(1, 90)
    )
    assert cal.add_working_days(start, 1, district=district) == D(2030, 5, 30)  # first weekday after 29 May
    monkeypatch.setattr(cal, "_MAX_SCAN_DAYS", 60)
    with pytest.raises(cal.CalendarError):
        cal.add_working_days(start, 1, district=district)


@pytest.mark.parametrize("by_id", [False, True])
def test_one_query_per_call(district, city_of, by_id, django_assert_num_queries):
    where = district.pk if by_id else district
    with django_assert_num_queries(1):
        cal.is_working_day(D(2026, 2, 14), district=where)
    with django_assert_num_queries(1):
        assert cal.add_working_days(D(2026, 2, 12), 15, district=where) == D(2026, 3, 11)
    with django_assert_num_queries(1):
        assert cal.working_days_between(D(2025, 1, 1), D(2026, 12, 31), district=where) > 400
    with django_assert_num_queries(1):
        cal.calendar_year(year=2026, district=where)
    with django_assert_num_queries(1):
        cal.calendar_years_loaded()


def test_calendar_year_grid_and_special_days(district):
    CalendarDayFactory(date=D(2026, 10, 8), kind="holiday", name="区假日", district=district)
    CalendarDayFactory(date=D(2026, 10, 1), kind="holiday", name="区庆", district=district)
    year = cal.calendar_year(year=2026, district=district)
    assert [m.number for m in year.months] == list(range(1, 13))
    february = {cell.date: cell for week in year.months[1].weeks for cell in week if cell}
    assert len(february) == 28 and len(year.months[1].weeks[0]) == 7
    assert year.months[1].weeks[0][:6] == [None] * 6  # 1 Feb 2026 is a Sunday; weeks start on Monday
    assert (february[D(2026, 2, 14)].kind, february[D(2026, 2, 17)].kind) == (cal.WORKDAY, cal.HOLIDAY)
    assert (february[D(2026, 2, 7)].kind, february[D(2026, 2, 10)].kind) == (cal.WEEKEND, cal.WORKING)
    october = {cell.date: cell for week in year.months[9].weeks for cell in week if cell}
    assert october[D(2026, 10, 8)].local and october[D(2026, 10, 8)].name == "区假日"
    national_first = next(d for d in year.special_days if d.date == D(2026, 10, 1) and d.district_id is None)
    assert national_first.overridden and year.has_national
    assert year.national_sources == [SOURCE_2026]
    # 261 weekdays in 2026, less the weekday holidays, plus the make-up days, less the district's 8 Oct.
    weekday_holidays = sum(1 for d, _n in HOLIDAY_WEEKDAYS if d.year == 2026)
    assert year.working_days == 261 - weekday_holidays + len(MAKE_UP_DAYS[2026]) - 1


# ---- who sees and who keeps the days --------------------------------------------------


def test_visible_to(users, district, other_district, city_of, root):
    own = CalendarDayFactory(district=district)
    city_day = CalendarDayFactory(district=city_of)
    other = CalendarDayFactory(district=other_district)
    national = CalendarDay.objects.filter(district__isnull=True)
    for role in ("admin", "staff", "leader", "inspector", "principal"):
        seen = set(CalendarDay.objects.visible_to(users[role]))
        assert {own, city_day} <= seen and other not in seen, role
        assert set(national) <= seen
    assert set(CalendarDay.objects.visible_to(users["parent"])) == set(national)
    assert not CalendarDay.objects.visible_to(AnonymousUser()).exists()
    assert CalendarDay.objects.visible_to(root).count() == CalendarDay.objects.count()


def day_data(district, **extra):
    return {"date": D(2026, 11, 2), "kind": "holiday", "name": "区运动会", "district": district, **extra}


def test_admin_creates_edits_and_deletes_its_districts_day(admin_user, district):
    day = calendar_day_create(data=day_data(district, source=" 区教育局通知 "), by=admin_user)
    assert (day.district, day.source) == (district, "区教育局通知")
    calendar_day_update(day=day, data={"name": "区秋季运动会"}, by=admin_user)
    day.refresh_from_db()
    assert day.name == "区秋季运动会"
    calendar_day_delete(day=day, by=admin_user)
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    audits = list(audit_of(day))
    assert [a.action for a in audits] == ["create", "update", "delete"]
    assert audits[0].actor == admin_user and audits[0].changes["district"] == [None, "天宁区"]
    assert audits[1].changes == {"name": ["区运动会", "区秋季运动会"]}
    assert audits[2].changes["date"] == ["2026-11-02", None]


def test_another_districts_day_is_refused(admin_user, district, other_district):
    other = CalendarDayFactory(district=other_district)
    with pytest.raises(DomainError):
        calendar_day_create(data=day_data(other_district), by=admin_user)
    with pytest.raises(DomainError):
        calendar_day_update(day=other, data={"name": "x"}, by=admin_user)
    own = CalendarDayFactory(district=district)
    with pytest.raises(DomainError):  # nor moved there
        calendar_day_update(day=own, data={"district": other_district}, by=admin_user)
    with pytest.raises(DomainError):
        calendar_day_delete(day=other, by=admin_user)
    assert CalendarDay.objects.filter(pk=other.pk).exists()


def test_only_a_superuser_keeps_national_days(admin_user, city_admin, staff_user, root):
    national = CalendarDay.objects.get(district__isnull=True, date=D(2026, 2, 14))
    for user in (admin_user, city_admin, staff_user):
        with pytest.raises(DomainError):
            calendar_day_create(data=day_data(None, date=D(2027, 1, 1), name="元旦"), by=user)
        with pytest.raises(DomainError):
            calendar_day_update(day=national, data={"name": "x"}, by=user)
    day = calendar_day_create(data=day_data(None, date=D(2027, 1, 1), name="元旦"), by=root)
    assert day.district is None and 2027 in cal.calendar_years_loaded()


def test_a_city_admin_keeps_city_wide_and_its_districts_days(city_admin, city_of, district, admin_user):
    city_day = calendar_day_create(data=day_data(city_of), by=city_admin)
    calendar_day_create(data=day_data(district), by=city_admin)
    with pytest.raises(DomainError):  # the district's administrator reads the city's days, keeps its own
        calendar_day_update(day=city_day, data={"name": "x"}, by=admin_user)


def test_a_make_up_day_must_fall_on_a_weekend(admin_user, district):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        calendar_day_create(data=day_data(district, date=D(2026, 11, 4), kind="workday"), by=admin_user)
    assert caught.value.message_dict["kind"] == [
        "A make-up working day falls on a Saturday or Sunday; 2026-11-04 is a Wednesday, already a working day."
    ]
    assert calendar_day_create(data=day_data(district, date=D(2026, 11, 7), kind="workday"), by=admin_user)


def test_one_day_per_date_per_district(admin_user, district, root):
    calendar_day_create(data=day_data(district), by=admin_user)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        calendar_day_create(data=day_data(district, name="又一天"), by=admin_user)
    assert caught.value.message_dict["date"] == [
        "This district already has 2026-11-02 (区运动会): edit that day instead."
    ]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        calendar_day_create(data=day_data(None, date=D(2026, 2, 16)), by=root)
    assert "The national calendar already has 2026-02-16 (春节)" in caught.value.message_dict["date"][0]


# ---- the administrator's pages ----------------------------------------------------------

CALENDAR = "/accounts/calendar/"


def edit_url(day):
    return reverse("accounts:calendar_day_edit", args=[day.pk])


def delete_url(day):
    return reverse("accounts:calendar_day_delete", args=[day.pk])


def form_data(district, **extra):
    return {"date": "2026-11-02", "kind": "holiday", "name": "区运动会", "district": district.pk, "source": "", **extra}


@pytest.mark.parametrize("n", [0, 40])
def test_the_calendar_page(client, admin_user, district, n, django_assert_num_queries):
    # A district with many days of its own costs what one with none does.
    CalendarDay.objects.bulk_create(
        CalendarDay(date=D(2026, 3, 2) + datetime.timedelta(days=i), kind="holiday", name="区假日", district=district)
        for i in range(n)
    )
    client.force_login(admin_user)
    # 1 session, 2 user, 3 the admin's districts (scope), 4 the district shown, 5 the year's
    # days with their districts, 6 the years loaded, 7 the district choices of the form.
    with django_assert_num_queries(7):
        response = client.get(CALENDAR, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="cal-month"') == 12 and 'class="cal-legend"' in html
    assert SOURCE_2026 in html and "k-workday" in html and "k-holiday" in html
    assert len(response.context["calendar"].special_days) == len([d for d in OFFICIAL if d[0].year == 2026]) + n
    # The national days read as the notice prints them, one line a break or make-up day
    # (13 in 2026); the district's own days, which the admin may change, one line each.
    runs = response.context["runs"]
    assert len(runs) == 13 + n
    spring = next(run for run in runs if run.first.name == "春节" and run.count > 1)
    assert (spring.first.date, spring.last.date, spring.count) == (D(2026, 2, 15), D(2026, 2, 23), 9)


def test_the_page_warns_of_a_year_without_an_official_arrangement(client, admin_user, english):
    client.force_login(admin_user)
    response = client.get(CALENDAR, {"year": 2030})
    assert "2030 has no official arrangement loaded: add its days when the State Council publishes them" in (
        response.content.decode()
    )
    assert "has no official arrangement" not in client.get(CALENDAR, {"year": 2025}).content.decode()


def test_other_roles_are_refused(client, users, district):
    day = CalendarDayFactory(district=district)
    for role in ("staff", "leader", "inspector", "principal", "parent"):
        client.force_login(users[role])
        assert client.get(CALENDAR).status_code == 403, role
        assert client.get(edit_url(day)).status_code == 403, role
        assert client.post(delete_url(day)).status_code == 403, role
    client.logout()
    assert client.get(CALENDAR).status_code == 302
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_another_districts_day_answers_404(client, admin_user, other_district):
    other = CalendarDayFactory(district=other_district)
    client.force_login(admin_user)
    assert client.get(edit_url(other)).status_code == 404
    assert client.post(edit_url(other), form_data(other_district)).status_code == 404
    assert client.post(delete_url(other)).status_code == 404
    assert client.get(CALENDAR, {"district": other_district.pk}).status_code == 404
    assert client.get(CALENDAR, {"district": "x"}).status_code == 404
    assert CalendarDay.objects.filter(pk=other.pk, name=other.name).exists()


def test_a_national_day_is_shown_but_not_kept_by_an_admin(client, admin_user):
    national = CalendarDay.objects.get(district__isnull=True, date=D(2026, 2, 14))
    client.force_login(admin_user)
    response = client.get(CALENDAR, {"year": 2026})
    assert edit_url(national) not in response.content.decode()
    assert client.get(edit_url(national)).status_code == 403
    assert client.post(delete_url(national)).status_code == 403


def test_add_edit_and_delete_through_the_forms(client, admin_user, district, english):
    client.force_login(admin_user)
    response = client.post(CALENDAR + "?year=2026", form_data(district), follow=True)
    day = CalendarDay.objects.get(district=district, date=D(2026, 11, 2))
    assert response.redirect_chain[-1][0] == f"{CALENDAR}?year=2026&district={district.pk}"
    assert "added to the calendar" in response.content.decode() and edit_url(day) in response.content.decode()

    assert client.get(edit_url(day)).status_code == 200
    response = client.post(edit_url(day), form_data(district, name="区秋季运动会"))
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.name == "区秋季运动会"

    response = client.post(delete_url(day), follow=True)
    assert "deleted from the calendar" in response.content.decode()
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert [a.action for a in audit_of(day)] == ["create", "update", "delete"]


def test_the_forms_show_what_the_service_refuses(client, admin_user, district, other_district, english):
    client.force_login(admin_user)
    response = client.post(CALENDAR, form_data(district, date="2026-11-04", kind="workday"))
    assert response.status_code == 200
    assert "A make-up working day falls on a Saturday or Sunday" in response.content.decode()
    response = client.post(CALENDAR, form_data(other_district))  # not among the form's districts
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    day = CalendarDayFactory(district=district, date=D(2026, 11, 9))
    CalendarDayFactory(district=district, date=D(2026, 11, 10))
    response = client.post(edit_url(day), form_data(district, date="2026-11-10"))
    assert response.status_code == 200 and "This district already has 2026-11-10" in response.content.decode()
    assert not CalendarDay.objects.filter(date=D(2026, 11, 4)).exists()


def test_a_superuser_adds_a_national_day(client, root):
    client.force_login(root)
    response = client.post(CALENDAR, {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "district": ""})
    assert response.status_code == 302 and response["Location"] == f"{CALENDAR}?year=2027&district="
    assert CalendarDay.objects.filter(district__isnull=True, date=D(2027, 1, 1)).exists()
