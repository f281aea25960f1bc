import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from bureau.models import CalendarDay, Department, Role, User
from inspections.models import InspectorZone, ZoneSchool
from schools.models import (
    District,
    EducationGroup,
    Rotation,
    School,
    SchoolClass,
    SchoolStage,
    SchoolYear,
    SchoolYearStat,
    Section,
    Teacher,
    Term,
    TrainingRecord,
)

PASSWORD = "Test-pass-2026!"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"3204{n:02d}")
    name = factory.Sequence(lambda n: f"测试区{n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "basic"
    name = "基础教育科"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    # Far from the fixed codes in conftest.py (3132000001, 3132000999).
    code = factory.Sequence(lambda n: f"{3132500000 + n:010d}")
    name = factory.Sequence(lambda n: f"测试第{n}小学")
    stage = SchoolStage.PRIMARY
    location = School.Location.URBAN
    district = factory.SubFactory(DistrictFactory)


class EducationGroupFactory(DjangoModelFactory):
    class Meta:
        model = EducationGroup

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"教育集团{n}")


class SchoolYearFactory(DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("start_year",)

    start_year = 2025


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("school_year", "number")

    school_year = factory.SubFactory(SchoolYearFactory)
    number = 1
    start_date = factory.LazyAttribute(lambda o: datetime.date(o.school_year.start_year, 9, 1))
    end_date = factory.LazyAttribute(lambda o: datetime.date(o.school_year.start_year + 1, 1, 20))


class SchoolYearStatFactory(DjangoModelFactory):
    class Meta:
        model = SchoolYearStat

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    primary_students = 1000
    teaching_area = Decimal("5000")
    sports_ground_area = Decimal("8000")
    equipment_value = Decimal("2500000")
    multimedia_classrooms = 25
    computers = 100


class SchoolClassFactory(DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    term = factory.SubFactory(TermFactory)
    grade = 1
    number = factory.Sequence(lambda n: n % 90 + 1)
    boys = 20
    girls = 20


class TeacherFactory(DjangoModelFactory):
    class Meta:
        model = Teacher

    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda o: o.school.district)
    staff_number = factory.Sequence(lambda n: f"T{n:07d}")
    name = factory.Sequence(lambda n: f"教师{n}")
    gender = Teacher.Gender.FEMALE
    birth_date = datetime.date(1985, 5, 1)
    section = Section.PRIMARY
    subject = "语文"
    education = "bachelor"
    certificate_type = "primary"
    certificate_number = factory.Sequence(lambda n: f"2010{n:08d}")


class TrainingRecordFactory(DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    teacher = factory.SubFactory(TeacherFactory)
    course = factory.Sequence(lambda n: f"培训课程{n}")
    hours = Decimal("24")
    date = datetime.date(2025, 7, 10)


class RotationFactory(DjangoModelFactory):
    class Meta:
        model = Rotation

    teacher = factory.SubFactory(TeacherFactory)
    from_school = factory.LazyAttribute(lambda o: o.teacher.school)
    to_school = factory.SubFactory(SchoolFactory)
    kind = Rotation.Kind.EXCHANGE
    start_date = datetime.date(2025, 9, 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class InspectorZoneFactory(DjangoModelFactory):
    class Meta:
        model = InspectorZone

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"第{n}责任区")


class ZoneSchoolFactory(DjangoModelFactory):
    class Meta:
        model = ZoneSchool

    zone = factory.SubFactory(InspectorZoneFactory)
    school = factory.SubFactory(SchoolFactory)


class CalendarDayFactory(DjangoModelFactory):
    """A district's own holiday, in 2030: a year with no national arrangement loaded."""

    class Meta:
        model = CalendarDay

    date = factory.Sequence(lambda n: datetime.date(2030, 1, 1) + datetime.timedelta(days=n))
    kind = CalendarDay.Kind.HOLIDAY
    name = factory.Sequence(lambda n: f"区假日{n}")
    district = factory.SubFactory(DistrictFactory)


# ---- class draws (schools/draw) ---------------------------------------------------------


class ClassDrawFactory(DjangoModelFactory):
    class Meta:
        model = "schools.ClassDraw"

    school = factory.SubFactory(SchoolFactory)
    term = factory.SubFactory(TermFactory)
    grade = 1
    size_limit = 45


class IncomingStudentFactory(DjangoModelFactory):
    class Meta:
        model = "schools.IncomingStudent"

    draw = factory.SubFactory(ClassDrawFactory)
    number = factory.Sequence(lambda n: f"2026{n:04d}")
    name = factory.Sequence(lambda n: f"新生{n}")
    gender = factory.Iterator(["M", "F"])
    birth_date = factory.Sequence(lambda n: datetime.date(2020, n % 12 + 1, n % 28 + 1))
    birth_month = factory.LazyAttribute(lambda o: o.birth_date.month)


def roster_csv(rows):
    """A roster upload (the draw's template columns) from (number, name, 男/女, date, groups)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    lines = ["报名号,姓名,性别,出生日期,随班就读,留守儿童,随迁子女"]
    for number, name, gender, birth, groups in rows:
        flags = ["是" if g in groups else "否" for g in ("inclusive", "left_behind", "migrant")]
        lines.append(",".join([number, name, gender, birth, *flags]))
    return SimpleUploadedFile("roster.csv", ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


def roster_rows(n, seed=0):
    import random

    rng = random.Random(seed)
    groups = [(), (), (), (), ("inclusive",), ("left_behind",), ("migrant",)]
    return [
        (f"2026{i:04d}", f"学生{i}", rng.choice("男女"), f"2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
         rng.choice(groups))
        for i in range(n)
    ]
