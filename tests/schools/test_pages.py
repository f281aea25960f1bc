"""The school and teacher pages through the test client, as each role.

Checks are made on the response context and on data, not on English text, so they hold
once the zh-hans translation is compiled.
"""

import datetime
from decimal import Decimal

import factory
import pytest
from django.urls import reverse

from bureau.models import AuditLog
from schools.models import Rotation, School, SchoolClass, SchoolYearStat, Teacher, TrainingRecord
from tests.factories import (
    EducationGroupFactory,
    RotationFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    SchoolYearStatFactory,
    TeacherFactory,
    TermFactory,
    TrainingRecordFactory,
)

# conftest's schools take codes from the factory's range (3132000001, 3132000999); ours
# come from another range so that the factory's sequence cannot collide with them.
CODE = factory.Sequence(lambda n: f"{5100000000 + n:010d}")

READERS = ("admin", "staff", "leader", "inspector", "principal")
EDITORS = ("admin", "staff", "principal")
READ_ONLY = ("leader", "inspector")
TABS = ("profile", "classes", "teachers", "statistics", "history")


@pytest.fixture
def term(db):
    return TermFactory(school_year=SchoolYearFactory(start_year=2025), number=1)


@pytest.fixture
def record(school, term):
    """One school with two years of statistics, classes of every size flag and a teacher."""
    SchoolYearStatFactory(school=school, school_year=SchoolYearFactory(start_year=2024))
    stat = SchoolYearStatFactory(school=school, school_year=term.school_year)
    teacher = TeacherFactory(school=school, staff_number="T0000001")
    for number, size in enumerate((40, 46, 56, 66), start=1):
        SchoolClassFactory(school=school, term=term, grade=3, number=number, boys=size // 2, girls=size - size // 2,
                           head_teacher=teacher)
    TrainingRecordFactory(teacher=teacher, hours=Decimal("120"), date=datetime.date.today() - datetime.timedelta(days=30))
    RotationFactory(teacher=teacher, to_school=SchoolFactory(district=school.district, code=CODE))
    return {"school": school, "stat": stat, "teacher": teacher, "term": term}


def login(client, user):
    client.force_login(user)
    return client


# ---- reading ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_school_list_shows_only_schools_in_scope(client, users, role, record, other_school):
    response = login(client, users[role]).get(reverse("schools:school_list"))
    assert response.status_code == 200
    shown = [s.pk for s in response.context["page_obj"]]
    assert record["school"].pk in shown
    assert other_school.pk not in shown


@pytest.mark.django_db
def test_school_list_refuses_parents_and_sends_anonymous_to_login(client, users):
    assert client.get(reverse("schools:school_list")).status_code == 302
    assert login(client, users["parent"]).get(reverse("schools:school_list")).status_code == 403


@pytest.mark.django_db
def test_school_list_filters(client, staff_user, district, term):
    group = EducationGroupFactory(district=district)
    rural = SchoolFactory(district=district, code="3132000101", name="乡村小学", location=School.Location.RURAL, group=group)
    urban = SchoolFactory(district=district, code="3132000102", name="城区中学", stage="junior")
    below = SchoolFactory(district=district, code="3132000103", name="薄弱小学")
    SchoolYearStatFactory(school=below, school_year=term.school_year, meets_resource_standard=False, resource_met_count=4)
    big = SchoolFactory(district=district, code="3132000104", name="大班小学")
    SchoolClassFactory(school=big, term=term, boys=30, girls=26)  # 56: a big class
    login(client, staff_user)

    def shown(**params):
        response = client.get(reverse("schools:school_list"), params)
        assert response.status_code == 200
        return {s.pk for s in response.context["page_obj"]}

    assert shown(location="rural") == {rural.pk}
    assert shown(stage="junior") == {urban.pk}
    assert shown(group=group.pk) == {rural.pk}
    assert shown(q="3132000102") == {urban.pk}
    assert shown(q="乡村") == {rural.pk}
    assert shown(below_standard="on") == {below.pk, big.pk}


@pytest.mark.django_db
def test_school_list_paginates_by_50(client, staff_user, district):
    School.objects.bulk_create(SchoolFactory.build_batch(51, district=district, code=CODE))
    response = login(client, staff_user).get(reverse("schools:school_list"))
    assert len(response.context["page_obj"].object_list) == 50
    response = client.get(reverse("schools:school_list"), {"page": 2})
    assert len(response.context["page_obj"].object_list) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("tab", TABS)
def test_school_detail_every_tab_in_scope(client, users, role, tab, record):
    response = login(client, users[role]).get(reverse("schools:school_detail", args=[record["school"].pk]), {"tab": tab})
    assert response.status_code == 200
    assert response.context["tab"] == tab
    assert response.context["can_edit"] == (role in EDITORS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_school_detail_out_of_scope_or_missing_is_404(client, users, role, other_school):
    login(client, users[role])
    assert client.get(reverse("schools:school_detail", args=[other_school.pk])).status_code == 404
    assert client.get(reverse("schools:school_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_principal_home_is_their_school(client, principal_user, school):
    response = login(client, principal_user).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("schools:school_detail", args=[school.pk])


@pytest.mark.django_db
def test_classes_tab_flags_and_counts(client, staff_user, record):
    response = login(client, staff_user).get(
        reverse("schools:school_detail", args=[record["school"].pk]), {"tab": "classes", "term": record["term"].pk}
    )
    flags = [c.size_flag for c in response.context["classes"]]
    assert flags == ["", "over", "big", "super_big"]
    summary = response.context["summary"]
    assert (summary["classes"], summary["over"], summary["big"], summary["super_big"]) == (4, 1, 1, 1)
    assert summary["above_standard"] == 3
    assert summary["students"] == 40 + 46 + 56 + 66
    # Every class has the factory's equipment value 0: no CV can be computed, none shown.
    assert response.context["equipment_cv"] == []
    classes = response.context["classes"]
    for school_class, value in zip(classes, (40000, 46000, 112000, 132000), strict=True):
        school_class.equipment_value = value
        school_class.save()
    response = client.get(
        reverse("schools:school_detail", args=[record["school"].pk]), {"tab": "classes", "term": record["term"].pk}
    )
    [(_label, cv, met)] = response.context["equipment_cv"]
    # 86 pupils at 1000 yuan, 122 at 2000: mean 1586.5, S 492.4 (weighted by class size).
    assert cv == Decimal("0.310") and met is False
    assert "0.310" in response.content.decode()


@pytest.mark.django_db
def test_teachers_tab_hours_and_personal_data(client, users, record):
    url = reverse("schools:school_detail", args=[record["school"].pk])
    response = login(client, users["staff"]).get(url, {"tab": "teachers"})
    (teacher,) = response.context["teachers"]
    assert teacher.cycle_hours == Decimal("120")
    assert not teacher.hours_met
    assert teacher.rotation_count == 1
    assert b"1985-05-01" in response.content
    # Leaders and inspectors read the registry without teachers' birth dates or certificate numbers.
    for role in READ_ONLY:
        response = login(client, users[role]).get(url, {"tab": "teachers"})
        assert response.status_code == 200
        assert b"1985-05-01" not in response.content
        assert record["teacher"].certificate_number.encode() not in response.content


@pytest.mark.django_db
def test_statistics_tab_picks_a_year(client, staff_user, record):
    url = reverse("schools:school_detail", args=[record["school"].pk])
    response = login(client, staff_user).get(url, {"tab": "statistics"})
    assert response.context["stat"] == record["stat"]  # the latest year by default
    assert len(response.context["results"]) == 1  # a primary school: one section
    assert len(response.context["results"][0].indicators) == 7
    assert [str(y) for y in response.context["years"]] == ["2024–2025", "2025–2026"]
    response = client.get(url, {"tab": "statistics", "year": 2024})
    assert response.context["stat"].school_year.start_year == 2024


@pytest.mark.django_db
def test_profile_tab_shows_zone_and_inspectors(client, staff_user, inspector_user, record, zone):
    response = login(client, staff_user).get(reverse("schools:school_detail", args=[record["school"].pk]))
    assert response.context["zone"] == zone
    assert response.context["inspectors"] == [inspector_user]


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_teacher_pages_in_scope(client, users, role, record, other_school):
    outsider = TeacherFactory(school=other_school)
    login(client, users[role])
    response = client.get(reverse("schools:teacher_list"))
    assert response.status_code == 200
    assert [t.pk for t in response.context["page_obj"]] == [record["teacher"].pk]
    response = client.get(reverse("schools:teacher_detail", args=[record["teacher"].pk]))
    assert response.status_code == 200
    assert response.context["teacher"].cycle_hours == Decimal("120")
    assert len(response.context["rotations"]) == 1
    assert client.get(reverse("schools:teacher_detail", args=[outsider.pk])).status_code == 404


@pytest.mark.django_db
def test_teacher_list_filters(client, staff_user, school):
    backbone = TeacherFactory(school=school, backbone_level="city", title="senior")
    master = TeacherFactory(school=school, education="master", status="left")
    plain = TeacherFactory(school=school, name="张老师")
    login(client, staff_user)

    def shown(**params):
        return {t.pk for t in client.get(reverse("schools:teacher_list"), params).context["page_obj"]}

    assert shown(backbone="any") == {backbone.pk}
    assert shown(backbone="county") == set()
    assert shown(title="senior") == {backbone.pk}
    assert shown(education="master") == {master.pk}
    assert shown(status="left") == {master.pk}
    assert shown(q="张") == {plain.pk}
    assert shown(q=plain.staff_number) == {plain.pk}


# ---- writing ----------------------------------------------------------------------------


def edit_routes(record):
    school, teacher, stat_class = record["school"], record["teacher"], SchoolClass.objects.filter(
        school=record["school"]).first()
    return {
        "school_save": (reverse("schools:school_save", args=[school.pk]), {"address": "新地址"}),
        "stat_save": (reverse("schools:stat_save", args=[school.pk, 2025]), {"primary_students": "1"}),
        "class_create_save": (reverse("schools:class_create_save", args=[school.pk]), {"grade": "1"}),
        "class_save": (reverse("schools:class_save", args=[stat_class.pk]), {"boys": "1"}),
        "teacher_create_save": (reverse("schools:teacher_create_save", args=[school.pk]), {"name": "x"}),
        "teacher_save": (reverse("schools:teacher_save", args=[teacher.pk]), {"name": "x"}),
        "training_add": (reverse("schools:training_add", args=[teacher.pk]), {"course": "x"}),
        "rotation_add": (reverse("schools:rotation_add", args=[teacher.pk]), {"kind": "exchange"}),
    }


EDIT_PAGES = {
    "school_edit": lambda r: reverse("schools:school_edit", args=[r["school"].pk]),
    "stat_edit": lambda r: reverse("schools:stat_edit", args=[r["school"].pk, 2025]),
    "class_create": lambda r: reverse("schools:class_create", args=[r["school"].pk]),
    "class_edit": lambda r: reverse("schools:class_edit", args=[SchoolClass.objects.filter(school=r["school"]).first().pk]),
    "teacher_create": lambda r: reverse("schools:teacher_create", args=[r["school"].pk]),
    "teacher_edit": lambda r: reverse("schools:teacher_edit", args=[r["teacher"].pk]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_get_403_on_every_write(client, users, role, record):
    login(client, users[role])
    audit_rows = AuditLog.objects.count()
    for name, (url, data) in edit_routes(record).items():
        assert client.post(url, data).status_code == 403, name
    for name, url in EDIT_PAGES.items():
        assert client.get(url(record)).status_code == 403, name
    assert AuditLog.objects.count() == audit_rows


@pytest.mark.django_db
@pytest.mark.parametrize("role", EDITORS)
def test_edit_pages_open_for_editors(client, users, role, record):
    login(client, users[role])
    for name, url in EDIT_PAGES.items():
        assert client.get(url(record)).status_code == 200, name


@pytest.mark.django_db
def test_writes_refuse_get(client, staff_user, record):
    login(client, staff_user)
    for name, (url, _data) in edit_routes(record).items():
        assert client.get(url).status_code == 405, name


@pytest.mark.django_db
@pytest.mark.parametrize("role", ("staff", "principal"))
def test_other_schools_records_are_404_for_editors(client, users, role, other_school, term):
    other_teacher = TeacherFactory(school=other_school)
    other_class = SchoolClassFactory(school=other_school, term=term)
    login(client, users[role])
    assert client.get(reverse("schools:school_edit", args=[other_school.pk])).status_code == 404
    assert client.post(reverse("schools:school_save", args=[other_school.pk]), {"address": "x"}).status_code == 404
    assert client.post(reverse("schools:stat_save", args=[other_school.pk, 2025]), {}).status_code == 404
    assert client.post(reverse("schools:class_save", args=[other_class.pk]), {}).status_code == 404
    assert client.post(reverse("schools:teacher_save", args=[other_teacher.pk]), {}).status_code == 404
    assert client.post(reverse("schools:training_add", args=[other_teacher.pk]), {}).status_code == 404


@pytest.mark.django_db
def test_staff_edits_school_profile_and_it_is_audited(client, staff_user, school):
    form = {
        "name": "天宁区实验小学（新）", "stage": "primary", "location": "urban", "ownership": "public",
        "district": school.district_id, "group": "", "address": "北大街1号", "principal_name": "王校长",
        "phone": "", "status": "open",
    }
    response = login(client, staff_user).post(reverse("schools:school_save", args=[school.pk]), form)
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "天宁区实验小学（新）"
    entry = AuditLog.objects.get(object_id=str(school.pk), action="update")
    assert entry.actor == staff_user
    assert entry.changes["name"] == ["天宁区实验小学", "天宁区实验小学（新）"]
    history = client.get(reverse("schools:school_detail", args=[school.pk]), {"tab": "history"}).context["history"]
    assert [(h.at, h.actor, h.action_label) for h in history] == [(entry.at, staff_user, entry.get_action_display())]


@pytest.mark.django_db
def test_principal_edits_only_their_fields(client, principal_user, school):
    login(client, principal_user)
    form = client.get(reverse("schools:school_edit", args=[school.pk])).context["form"]
    assert set(form.fields) == {"address", "principal_name", "phone", "is_boarding"}
    response = client.post(reverse("schools:school_save", args=[school.pk]), {
        "address": "南大街2号", "principal_name": "李校长", "phone": "", "name": "改名", "stage": "junior",
    })
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.address, school.name, school.stage) == ("南大街2号", "天宁区实验小学", "primary")


@pytest.mark.django_db
def test_invalid_input_shows_field_errors(client, staff_user, school):
    response = login(client, staff_user).post(reverse("schools:school_save", args=[school.pk]), {"name": ""})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "stage" in response.context["form"].errors


@pytest.mark.django_db
def test_stat_save_page_recomputes_the_verdict(client, staff_user, school, term):
    stat_form = {name: "0" for name in (
        "primary_students", "junior_students", "other_students", "teaching_area", "sports_ground_area",
        "equipment_value", "multimedia_classrooms", "computers", "library_books", "labs", "music_rooms",
        "music_room_area", "art_rooms", "art_room_area", "enrolled", "graduated", "dropouts", "disabled_students",
        "health_tested", "health_excellent", "health_good", "health_pass", "myopia",
    )}
    stat_form.update(primary_students="100", teaching_area="100", sports_ground_area="100")
    response = login(client, staff_user).post(reverse("schools:stat_save", args=[school.pk, 2025]), stat_form)
    assert response.status_code == 302
    stat = SchoolYearStat.objects.get(school=school, school_year=term.school_year)
    assert stat.meets_resource_standard is False
    assert stat.resource_met_count == 0
    stat_form["primary_students"] = "-1"
    response = client.post(reverse("schools:stat_save", args=[school.pk, 2025]), stat_form)
    assert "primary_students" in response.context["form"].errors


@pytest.mark.django_db
def test_class_create_and_edit(client, staff_user, school, term):
    login(client, staff_user)
    data = {"term": term.pk, "grade": "2", "number": "1", "boys": "25", "girls": "24", "equipment_value": "1000"}
    assert client.post(reverse("schools:class_create_save", args=[school.pk]), data).status_code == 302
    school_class = SchoolClass.objects.get(school=school)
    assert school_class.size == 49
    # The same grade and number again: a clear error on the number.
    response = client.post(reverse("schools:class_create_save", args=[school.pk]), data)
    assert "number" in response.context["form"].errors
    # A grade the school does not teach.
    response = client.post(reverse("schools:class_create_save", args=[school.pk]), {**data, "grade": "8", "number": "2"})
    assert "grade" in response.context["form"].errors
    response = client.post(reverse("schools:class_save", args=[school_class.pk]), {**data, "girls": "30"})
    assert response.status_code == 302
    school_class.refresh_from_db()
    assert school_class.girls == 30
    assert AuditLog.objects.filter(object_id=str(school_class.pk), action="update").count() == 1


@pytest.mark.django_db
def test_teacher_create_keeps_staff_numbers_unique(client, principal_user, school, other_school):
    TeacherFactory(school=SchoolFactory(district=school.district, code=CODE), staff_number="T0009999")
    TeacherFactory(school=other_school, staff_number="T0008888")  # another district may reuse a number
    login(client, principal_user)
    data = {"staff_number": "T0009999", "name": "新教师", "gender": "F", "section": "primary", "subject": "数学",
            "education": "bachelor", "status": "active"}
    response = client.post(reverse("schools:teacher_create_save", args=[school.pk]), data)
    assert response.status_code == 200
    assert "staff_number" in response.context["form"].errors
    response = client.post(reverse("schools:teacher_create_save", args=[school.pk]), {**data, "staff_number": "T0008888"})
    assert response.status_code == 302
    teacher = Teacher.objects.get(school=school, staff_number="T0008888")
    assert teacher.district == school.district


@pytest.mark.django_db
def test_teacher_edit_training_and_rotation(client, staff_user, record):
    teacher, school = record["teacher"], record["school"]
    login(client, staff_user)
    form = client.get(reverse("schools:teacher_edit", args=[teacher.pk])).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(school=school.pk, title="first", birth_date="1985-05-01")
    assert client.post(reverse("schools:teacher_save", args=[teacher.pk]), data).status_code == 302
    teacher.refresh_from_db()
    assert teacher.title == "first"

    training = {"course": "新课标培训", "hours": "40", "date": datetime.date.today().isoformat()}
    assert client.post(reverse("schools:training_add", args=[teacher.pk]), training).status_code == 302
    assert TrainingRecord.objects.filter(teacher=teacher).count() == 2
    response = client.post(reverse("schools:training_add", args=[teacher.pk]), training)
    assert response.status_code == 200 and "course" in response.context["training_form"].errors
    response = client.post(reverse("schools:training_add", args=[teacher.pk]), {**training, "hours": "0"})
    assert "hours" in response.context["training_form"].errors

    to_school = SchoolFactory(district=school.district, code=CODE)
    rotation = {"to_school": to_school.pk, "kind": "support", "start_date": "2026-02-01", "end_date": "2026-01-01"}
    response = client.post(reverse("schools:rotation_add", args=[teacher.pk]), rotation)
    assert "end_date" in response.context["rotation_form"].errors
    rotation["end_date"] = "2027-01-31"
    assert client.post(reverse("schools:rotation_add", args=[teacher.pk]), rotation).status_code == 302
    created = Rotation.objects.get(teacher=teacher, to_school=to_school)
    assert created.from_school == school
    assert AuditLog.objects.filter(object_id=str(created.pk), action="create").exists()


# ---- query counts -----------------------------------------------------------------------


def build_district(district, term, n):
    """n schools, each with a statistics row, two classes and two teachers, in bulk."""
    schools = School.objects.bulk_create(SchoolFactory.build_batch(n, district=district, code=CODE))
    SchoolYearStat.objects.bulk_create(
        [SchoolYearStatFactory.build(school=s, school_year=term.school_year) for s in schools]
    )
    SchoolClass.objects.bulk_create(
        [SchoolClassFactory.build(school=s, term=term, number=i) for s in schools for i in (1, 2)]
    )
    Teacher.objects.bulk_create([TeacherFactory.build(school=s) for s in schools for _ in range(2)])
    return schools


# Every page as staff costs these whatever it shows: 1 session, 2 user with its department
# and district (the user menu of base.html; bureau.backends). The session is saved again
# only every SESSION_TOUCH_SECONDS (not within a test). The user's districts (scope) are
# one more query, made once per request by the first scoped queryset.
FRAME = 2


@pytest.mark.django_db
@pytest.mark.parametrize("n", [10, 200])
def test_school_list_query_count_is_flat(client, staff_user, district, term, n, django_assert_num_queries):
    build_district(district, term, n)
    login(client, staff_user)
    # FRAME + 1 the user's districts (scope), 2 district list, 3 group list, 4 the terms
    # (the current one, and its school year, from the date), 5 the latest school year with
    # statistics, 6 count, 7 the page of schools with the students, verdict (its weakest
    # indicator too) and big-class annotations.
    with django_assert_num_queries(FRAME + 7):
        response = client.get(reverse("schools:school_list"), {"below_standard": ""})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(n, 50)


# The school detail: FRAME + the user's districts (scope) + the school with district,
# group and zone, then per tab:
DETAIL_TAB_QUERIES = {
    # the zone's inspectors, the latest statistics, the terms (is the latest statistics' year the
    # current one?), the vetoes of substantiated complaints (the complaints app's panel, for
    # bureau staff), the school's open rectification notices (the inspections app's panel)
    "profile": 5,
    "classes": 3,  # the school's terms, the terms (the current one from the date), the classes with head teachers
    "teachers": 1,  # the teachers with cycle hours and rotation counts as subqueries
    # the school's statistics by year, teacher counts for the indicators, the terms (the
    # current school year: are the latest statistics older?), school years
    "statistics": 4,
    "history": 1,  # the audit rows with actors (the content type is cached after the first request)
}


@pytest.mark.django_db
@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize("tab", TABS)
def test_school_detail_query_count_is_flat(client, staff_user, zone, district, term, n, tab, django_assert_num_queries):
    schools = build_district(district, term, n)
    school = schools[0]
    zone.school_links.update(school=school)
    # The school itself grows with the district, so a per-row query would show.
    Teacher.objects.bulk_create([TeacherFactory.build(school=school) for _ in range(n // 10)])
    SchoolClass.objects.bulk_create(
        [SchoolClassFactory.build(school=school, term=term, grade=2, number=i + 1) for i in range(n // 10)]
    )
    login(client, staff_user)
    client.get(reverse("schools:school_detail", args=[school.pk]), {"tab": tab})  # warm the content-type cache
    with django_assert_num_queries(FRAME + 2 + DETAIL_TAB_QUERIES[tab]):
        response = client.get(reverse("schools:school_detail", args=[school.pk]), {"tab": tab})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("n", [10, 200])
def test_teacher_list_query_count_is_flat(client, staff_user, district, term, n, django_assert_num_queries):
    build_district(district, term, n)
    login(client, staff_user)
    # FRAME + 1 the user's districts (scope), 2 the school choices of the filter, 3 count,
    # 4 the page of teachers with school, cycle hours and rotation counts.
    with django_assert_num_queries(FRAME + 4):
        response = client.get(reverse("schools:teacher_list"))
    assert len(response.context["page_obj"].object_list) == min(2 * n, 50)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [10, 200])
def test_teacher_detail_query_count_is_flat(client, staff_user, school, term, n, django_assert_num_queries):
    build_district(school.district, term, n)
    teacher = TeacherFactory(school=school)
    TrainingRecord.objects.bulk_create([
        TrainingRecordFactory.build(teacher=teacher, date=datetime.date(2025, 1, 1) - datetime.timedelta(days=i))
        for i in range(n)
    ])
    others = School.objects.exclude(pk=school.pk)[:n]
    Rotation.objects.bulk_create([
        RotationFactory.build(teacher=teacher, from_school=school, to_school=other,
                              start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i))
        for i, other in enumerate(others)
    ])
    login(client, staff_user)
    url = reverse("schools:teacher_detail", args=[teacher.pk])
    client.get(url)  # warm the content-type cache
    # FRAME + 1 the user's districts (scope), 2 the teacher with school and district,
    # 3 training records, 4 rotations with both schools, 5 conduct records, 6 audit rows,
    # 7 the schools a rotation may go to (the add-rotation form of an editor), 8 the vetoes of
    # substantiated complaints naming the teacher (the complaints app's panel, for bureau staff).
    with django_assert_num_queries(FRAME + 8):
        response = client.get(url)
    assert len(response.context["trainings"]) == n
    assert len(response.context["rotations"]) == n
