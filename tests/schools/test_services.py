"""Writes of school data: permission, audit, validation and the indicator re-evaluation."""

import datetime
from decimal import Decimal

import factory
import pytest
from django.core.exceptions import ValidationError

from bureau.errors import DomainError
from bureau.models import AuditLog
from schools import services
from schools.models import SchoolStage, SchoolYearStat, Section, Teacher
from schools.selectors import school_indicators
from tests.factories import (
    RotationFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    SchoolYearStatFactory,
    TeacherFactory,
    TermFactory,
    TrainingRecordFactory,
    UserFactory,
)

CODE = factory.Sequence(lambda n: f"{5200000000 + n:010d}")
MEETS_ALL = {  # per 1000 primary students, every resource indicator met
    "primary_students": 1000, "teaching_area": Decimal(5000), "sports_ground_area": Decimal(8000),
    "equipment_value": Decimal(2_500_000), "multimedia_classrooms": 25,
}


@pytest.fixture
def year(db):
    return SchoolYearFactory(start_year=2025)


@pytest.fixture
def term(year):
    return TermFactory(school_year=year, number=1)


@pytest.fixture
def other_principal(other_school):
    return UserFactory(username="principal2", role="principal", school=other_school, district=other_school.district)


def refused(write):
    with pytest.raises(DomainError):
        write()


def staff_teachers(school, n, section=Section.PRIMARY, **kwargs):
    return TeacherFactory.create_batch(n, school=school, section=section, **kwargs)


# ---- permission -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "inspector", "parent"])
def test_read_only_roles_are_refused_every_write(users, role, school, year, term):
    user = users[role]
    teacher = TeacherFactory(school=school)
    school_class = SchoolClassFactory(school=school, term=term)
    before = AuditLog.objects.count()
    refused(lambda: services.school_update(school=school, data={"address": "x"}, by=user))
    refused(lambda: services.school_year_stat_save(school=school, school_year=year, data={}, by=user))
    refused(lambda: services.school_class_save(school=school, term=term, data={"grade": 1, "number": 9}, by=user))
    refused(lambda: services.school_class_save(
        school=school, term=term, school_class=school_class, data={"boys": 1}, by=user))
    refused(lambda: services.teacher_create(school=school, data={"staff_number": "X1"}, by=user))
    refused(lambda: services.teacher_update(teacher=teacher, data={"name": "x"}, by=user))
    refused(lambda: services.training_record_create(
        teacher=teacher, data={"course": "c", "hours": Decimal(1), "date": datetime.date(2025, 1, 1)}, by=user))
    refused(lambda: services.rotation_create(
        teacher=teacher, data={"to_school": school, "kind": "exchange", "start_date": datetime.date(2025, 1, 1)},
        by=user))
    assert AuditLog.objects.count() == before


@pytest.mark.django_db
def test_another_schools_principal_and_another_districts_staff_are_refused(
    school, other_school, other_principal, staff_user, year, term
):
    teacher = TeacherFactory(school=school)
    refused(lambda: services.school_update(school=school, data={"address": "x"}, by=other_principal))
    refused(lambda: services.school_year_stat_save(school=school, school_year=year, data={}, by=other_principal))
    refused(lambda: services.teacher_update(teacher=teacher, data={"name": "x"}, by=other_principal))
    refused(lambda: services.school_class_save(
        school=school, term=term, data={"grade": 1, "number": 1}, by=other_principal))
    refused(lambda: services.school_update(school=other_school, data={"address": "x"}, by=staff_user))
    refused(lambda: services.teacher_create(school=other_school, data={"staff_number": "X1"}, by=staff_user))


@pytest.mark.django_db
def test_principal_may_not_change_bureau_fields(principal_user, school):
    field_error(lambda: services.school_update(school=school, data={"name": "新名"}, by=principal_user), "name")
    services.school_update(school=school, data={"phone": "0519-1234567"}, by=principal_user)
    school.refresh_from_db()
    assert school.phone == "0519-1234567"


@pytest.mark.django_db
def test_staff_may_not_move_a_teacher_to_another_districts_school(staff_user, school, other_school):
    teacher = TeacherFactory(school=school)
    refused(lambda: services.teacher_update(teacher=teacher, data={"school": other_school}, by=staff_user))


# ---- audit ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_school_update_audits_old_and_new(staff_user, school):
    services.school_update(school=school, data={"address": "北大街1号", "is_boarding": True}, by=staff_user)
    entry = AuditLog.objects.get(object_id=str(school.pk), action=AuditLog.Action.UPDATE)
    assert entry.actor == staff_user
    assert entry.changes == {"address": ["", "北大街1号"], "is_boarding": [False, True]}
    # Nothing changed: no second row.
    services.school_update(school=school, data={"address": "北大街1号"}, by=staff_user)
    assert AuditLog.objects.filter(object_id=str(school.pk)).count() == 1


@pytest.mark.django_db
def test_creates_are_audited(principal_user, school, term):
    school_class = services.school_class_save(
        school=school, term=term, data={"grade": 1, "number": 3, "boys": 20, "girls": 21}, by=principal_user
    )
    teacher = services.teacher_create(
        school=school, by=principal_user,
        data={"staff_number": "T9000001", "name": "新教师", "gender": "M", "section": "primary", "subject": "数学",
              "education": "bachelor"},
    )
    training = services.training_record_create(
        teacher=teacher, data={"course": "国培", "hours": Decimal("36"), "date": datetime.date(2025, 3, 1)},
        by=principal_user,
    )
    to_school = SchoolFactory(district=school.district, code=CODE)
    rotation = services.rotation_create(
        teacher=teacher, data={"to_school": to_school, "kind": "support", "start_date": datetime.date(2025, 9, 1)},
        by=principal_user,
    )
    for record in (school_class, teacher, training, rotation):
        entry = AuditLog.objects.get(object_id=str(record.pk), action=AuditLog.Action.CREATE,
                                     content_type__model=type(record)._meta.model_name)
        assert entry.actor == principal_user
    assert teacher.district == school.district
    assert rotation.from_school == school
    entry = AuditLog.objects.get(object_id=str(rotation.pk), content_type__model="rotation")
    assert entry.changes["to_school"] == [None, to_school.name]


@pytest.mark.django_db
def test_class_update_audits_old_and_new(staff_user, school, term):
    school_class = SchoolClassFactory(school=school, term=term, grade=2, number=1, boys=20, girls=20)
    services.school_class_save(school=school, term=term, school_class=school_class,
                               data={"grade": 2, "number": 1, "boys": 20, "girls": 26}, by=staff_user)
    entry = AuditLog.objects.get(object_id=str(school_class.pk), action=AuditLog.Action.UPDATE)
    assert entry.changes == {"girls": [20, 26]}


# ---- validation -------------------------------------------------------------------------


def field_error(write, field):
    with pytest.raises(ValidationError) as caught:
        write()
    assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value.message_dict[field]


@pytest.mark.django_db
def test_staff_number_unique_in_the_district(staff_user, school, other_school):
    TeacherFactory(school=school, staff_number="T1000001")
    other = TeacherFactory(school=school, staff_number="T1000002")
    TeacherFactory(school=other_school, staff_number="T1000003")
    data = {"name": "新教师", "gender": "F", "section": "primary", "subject": "语文", "education": "bachelor"}
    field_error(lambda: services.teacher_create(
        school=school, data={**data, "staff_number": "T1000001"}, by=staff_user), "staff_number")
    field_error(lambda: services.teacher_update(
        teacher=other, data={"staff_number": "T1000001"}, by=staff_user), "staff_number")
    # Another district's number is free here.
    services.teacher_create(school=school, data={**data, "staff_number": "T1000003"}, by=staff_user)
    assert Teacher.objects.filter(staff_number="T1000003").count() == 2


@pytest.mark.django_db
def test_class_rules(staff_user, school, term):
    SchoolClassFactory(school=school, term=term, grade=1, number=1)
    junior_teacher = TeacherFactory(school=SchoolFactory(district=school.district, code=CODE))
    field_error(lambda: services.school_class_save(
        school=school, term=term, data={"grade": 1, "number": 1}, by=staff_user), "number")
    field_error(lambda: services.school_class_save(
        school=school, term=term, data={"grade": 7, "number": 1}, by=staff_user), "grade")
    field_error(lambda: services.school_class_save(
        school=school, term=term, data={"grade": 1, "number": 2, "head_teacher": junior_teacher}, by=staff_user),
        "head_teacher")
    field_error(lambda: services.school_class_save(
        school=school, term=term, data={"grade": 1, "number": 3, "boys": 300}, by=staff_user), "boys")


@pytest.mark.django_db
def test_locked_class_keeps_its_pupils(staff_user, school, term):
    locked = SchoolClassFactory(school=school, term=term, grade=1, number=5, is_locked=True)
    field_error(lambda: services.school_class_save(
        school=school, term=term, school_class=locked, data={"grade": 1, "number": 5, "boys": 1}, by=staff_user),
        "boys")
    services.school_class_save(school=school, term=term, school_class=locked,
                               data={"grade": 1, "number": 5, "equipment_value": Decimal(5000)}, by=staff_user)
    locked.refresh_from_db()
    assert locked.equipment_value == Decimal(5000)


@pytest.mark.django_db
def test_training_and_rotation_rules(staff_user, school):
    teacher = TeacherFactory(school=school)
    TrainingRecordFactory(teacher=teacher, course="国培", date=datetime.date(2025, 3, 1))
    RotationFactory(teacher=teacher, to_school=SchoolFactory(district=school.district, code=CODE),
                    start_date=datetime.date(2024, 9, 1))
    field_error(lambda: services.training_record_create(
        teacher=teacher, data={"course": "国培", "hours": Decimal(8), "date": datetime.date(2025, 3, 1)},
        by=staff_user), "course")
    field_error(lambda: services.training_record_create(
        teacher=teacher, data={"course": "x", "hours": Decimal(0), "date": datetime.date(2025, 3, 1)},
        by=staff_user), "hours")
    rotation = {"to_school": school, "kind": "exchange", "start_date": datetime.date(2025, 9, 1)}
    field_error(lambda: services.rotation_create(teacher=teacher, data=rotation, by=staff_user), "to_school")
    elsewhere = SchoolFactory(district=school.district, code=CODE)
    field_error(lambda: services.rotation_create(teacher=teacher, by=staff_user, data={
        **rotation, "to_school": elsewhere, "end_date": datetime.date(2025, 8, 1)}), "end_date")
    field_error(lambda: services.rotation_create(teacher=teacher, by=staff_user, data={
        **rotation, "to_school": elsewhere, "start_date": datetime.date(2024, 9, 1)}), "start_date")


# ---- indicators after a write ---------------------------------------------------------


@pytest.mark.django_db
def test_stat_save_reevaluates_the_verdict(staff_user, school, year):
    staff_teachers(school, 42, education="bachelor")
    staff_teachers(school, 10, backbone_level="county")
    staff_teachers(school, 9, subject="体育")
    stat = services.school_year_stat_save(school=school, school_year=year, data=MEETS_ALL, by=staff_user)
    assert (stat.resource_met_count, stat.meets_resource_standard) == (7, True)
    # Floor area down to 80 % of 4.5 m² per student (which also dilutes teachers per 100).
    stat = services.school_year_stat_save(
        school=school, school_year=year, data={"teaching_area": Decimal(3600)}, by=staff_user
    )
    assert (stat.resource_met_count, stat.meets_resource_standard) == (6, False)
    entry = AuditLog.objects.filter(object_id=str(stat.pk), action=AuditLog.Action.UPDATE).get()
    assert list(entry.changes) == ["teaching_area"]
    assert [Decimal(v) for v in entry.changes["teaching_area"]] == [5000, 3600]


@pytest.mark.django_db
def test_teacher_changes_reevaluate_the_verdict(staff_user, school, year):
    staff_teachers(school, 42, education="bachelor")
    staff_teachers(school, 9, subject="体育")
    backbone = staff_teachers(school, 10, backbone_level="county")
    stat = SchoolYearStatFactory(school=school, school_year=year, **MEETS_ALL)
    services.school_stats_evaluate(school_ids=[school.pk])
    stat.refresh_from_db()
    assert stat.meets_resource_standard is True
    # One backbone teacher retires: 0.9 per 100 students, 90 % of the threshold, still 6 of 7.
    services.teacher_update(teacher=backbone[0], data={"status": Teacher.Status.RETIRED}, by=staff_user)
    stat.refresh_from_db()
    assert (stat.resource_met_count, stat.meets_resource_standard) == (6, True)
    # Two more: 0.7, 70 % of the threshold.
    for teacher in backbone[1:3]:
        services.teacher_update(teacher=teacher, data={"status": Teacher.Status.RETIRED}, by=staff_user)
    stat.refresh_from_db()
    assert (stat.resource_met_count, stat.meets_resource_standard) == (6, False)


@pytest.mark.django_db
def test_combined_stage_school_splits_shared_resources_by_weighted_enrolment(staff_user, district, year):
    """A nine-year school, 600 primary and 400 junior students, checked by hand.

    Weighted enrolment: 600 + 400 × 1.1 = 1040. Primary gets 600/1040 of each shared
    resource, junior 440/1040. So per student, primary gets total/1040 and junior
    1.1 × total/1040; totals are chosen as multiples of 1040 to give round numbers:
      floor area 5200 m²        → primary 5.00 (≥ 4.5 met),   junior 5.50 (< 5.8, 94.8 %)
      sports ground 10400 m²    → primary 10.00 (≥ 7.5 met),  junior 11.00 (≥ 10.2 met)
      equipment 2,600,000 yuan  → primary 2500.00 (met),      junior 2750.00 (met)
      multimedia rooms 26       → primary 2.50 per 100 (met), junior 2.75 per 100 (met)
    Teachers are not shared; they count in their own section:
      primary: 26 above the required education (college+) → 4.33 per 100 (≥ 4.2),
               6 backbone → 1.00, 6 sports/arts → 1.00
      junior:  22 above the required education (bachelor+) → 5.50 per 100 (≥ 5.3),
               4 backbone → 1.00, 4 sports/arts → 1.00
    Primary meets 7 of 7; junior 6 of 7, the miss at 94.8 % ≥ 85 %: the school meets,
    with 6 as its (weakest section's) count.
    """
    school = SchoolFactory(district=district, code=CODE, stage=SchoolStage.NINE_YEAR)
    staff_teachers(school, 14, education="college")
    staff_teachers(school, 6, education="college", backbone_level="county")
    staff_teachers(school, 6, education="college", subject="音乐")
    staff_teachers(school, 2, education="secondary")  # not above the primary requirement
    staff_teachers(school, 14, Section.JUNIOR, education="bachelor")
    staff_teachers(school, 4, Section.JUNIOR, education="bachelor", backbone_level="city")
    staff_teachers(school, 4, Section.JUNIOR, education="master", subject="体育")
    staff_teachers(school, 3, Section.JUNIOR, education="college")  # not above the junior requirement
    stat = services.school_year_stat_save(school=school, school_year=year, by=staff_user, data={
        "primary_students": 600, "junior_students": 400, "teaching_area": Decimal(5200),
        "sports_ground_area": Decimal(10400), "equipment_value": Decimal(2_600_000), "multimedia_classrooms": 26,
    })
    primary, junior = school_indicators(school=school, stat=stat)
    assert (primary.section, primary.students, junior.section, junior.students) == ("primary", 600, "junior", 400)

    def values(result):
        return {r.rule.code: str(r.value) for r in result.indicators}

    assert values(primary) == {
        "teachers_above_education": "4.33", "backbone_teachers": "1.00", "sports_arts_teachers": "1.00",
        "teaching_area": "5.00", "sports_ground_area": "10.00", "equipment_value": "2500.00",
        "multimedia_classrooms": "2.50",
    }
    assert values(junior) == {
        "teachers_above_education": "5.50", "backbone_teachers": "1.00", "sports_arts_teachers": "1.00",
        "teaching_area": "5.50", "sports_ground_area": "11.00", "equipment_value": "2750.00",
        "multimedia_classrooms": "2.75",
    }
    assert (primary.met_count, primary.meets_standard) == (7, True)
    assert (junior.met_count, junior.meets_standard) == (6, True)
    assert [r.rule.code for r in junior.indicators if not r.met] == ["teaching_area"]
    assert next(r for r in junior.indicators if not r.met).percent_of_threshold == Decimal("94.8")
    stat = SchoolYearStat.objects.get(pk=stat.pk)
    assert (stat.resource_met_count, stat.meets_resource_standard) == (6, True)
