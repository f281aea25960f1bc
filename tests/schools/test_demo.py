"""The schools' demo data (schools/demo/): the district it promises, with something to find."""

import random

import pytest
from django.db.models import Count, F

from bureau.models import User
from schools.demo.geography import DEMO_DISTRICT_CODE, SCALES, DemoCalendar, load_date
from schools.demo.plans import plan_district
from schools.models import (
    ConductRecord,
    District,
    EducationGroup,
    Rotation,
    School,
    SchoolClass,
    SchoolStage,
    SchoolYear,
    SchoolYearStat,
    Teacher,
    Term,
    TrainingRecord,
)
from schools.selectors import current_term, school_list
from tests.demo_support import demo_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_loaded(django_db_blocker)


def about(value, target, tolerance=0.10):
    return abs(value - target) <= target * tolerance


def test_district_scale_has_the_promised_shape(demo):
    district = District.objects.get(code=DEMO_DISTRICT_CODE)
    assert district.name == "天宁区" and district.parent.name == "常州市"
    assert district.parent.level == District.Level.CITY

    schools = School.objects.filter(district=district)
    assert about(schools.count(), 80)
    stages = dict(schools.values_list("stage").annotate(n=Count("id")))
    assert stages[SchoolStage.PRIMARY] > stages[SchoolStage.JUNIOR] > stages[SchoolStage.NINE_YEAR] >= 3
    assert stages[SchoolStage.SPECIAL] == 1
    assert schools.filter(is_village_full=True, location=School.Location.RURAL).count() >= 2
    assert set(schools.values_list("location", flat=True)) == {"urban", "town", "rural"}
    assert schools.filter(ownership=School.Ownership.PRIVATE).exists()
    assert not schools.filter(address="").exists() and not schools.filter(principal_name="").exists()

    # Two groups, each with a lead school that is a member of its own group.
    groups = EducationGroup.objects.filter(district=district)
    assert groups.count() == 2
    for group in groups:
        assert group.lead_school.group_id == group.pk
        assert group.schools.count() >= 3

    # Three school years up to the current one (from the day of the load), two terms each,
    # September–January and February–July.
    calendar = DemoCalendar(load_date())
    current = calendar.current_year
    assert sorted(SchoolYear.objects.values_list("start_year", flat=True)) == [current - 2, current - 1, current]
    first, second = Term.objects.filter(school_year__start_year=current).order_by("number")
    assert (first.start_date.month, first.end_date.month, second.start_date.month, second.end_date.month) == (9, 1, 2, 7)
    assert SchoolYearStat.objects.filter(school__district=district).count() == schools.count() * 3

    # The current term has classes, the same classes as the first term loaded; a term that
    # has not begun yet has none.
    term = current_term()
    assert term.school_year.start_year == current and term.start_date <= load_date()
    assert about(SchoolClass.objects.filter(term=term).count(), 1500)
    earliest = Term.objects.order_by("start_date").first()
    assert SchoolClass.objects.filter(term=earliest).count() == SchoolClass.objects.filter(term=term).count()
    assert not SchoolClass.objects.filter(term__start_date__gt=load_date()).exists()

    teachers = Teacher.objects.filter(district=district)
    assert about(teachers.count(), 4000)
    assert TrainingRecord.objects.filter(teacher__district=district).count() >= teachers.count() * 3
    assert Rotation.objects.filter(teacher__district=district).exists()
    assert ConductRecord.objects.filter(teacher__district=district).exists()
    assert teachers.filter(certificate_type="").exists(), "a few teachers lack a certificate"
    assert teachers.exclude(backbone_level="").exists()
    assert set(teachers.values_list("subject", flat=True)) >= {"语文", "数学", "英语", "体育", "音乐", "美术", "物理"}


def test_codes_and_staff_numbers_are_unique(demo):
    codes = list(School.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(len(code) == 10 and code.isdigit() for code in codes)
    numbers = Teacher.objects.values("district", "staff_number").annotate(n=Count("id")).filter(n__gt=1)
    assert not numbers.exists()


def test_there_is_something_to_find(demo):
    term = current_term()
    sizes = SchoolClass.objects.filter(term=term).annotate(size=F("boys") + F("girls"))
    assert sizes.filter(size__gte=56).exists(), "a big class"
    assert sizes.filter(size__gte=66).exists(), "a super-big class"
    assert sizes.filter(size__gte=56).count() <= sizes.count() * 0.05, "big classes stay rare"

    current = SchoolYearStat.objects.filter(school_year__start_year=DemoCalendar(load_date()).current_year)
    below = current.filter(meets_resource_standard=False).count()
    meets = current.filter(meets_resource_standard=True).count()
    assert 0 < below < meets, "most schools meet the standard, some clearly do not"
    assert current.filter(school__location="rural", meets_resource_standard=False).exists()

    staff = User.objects.get(username="staff_basic")
    assert school_list(user=staff, filters={"below_standard": True}).count() >= below


def test_the_principal_keeps_a_lead_school(demo):
    principal = User.objects.get(username="principal")
    assert principal.school.district.code == DEMO_DISTRICT_CODE
    assert principal.name == principal.school.principal_name
    assert EducationGroup.objects.filter(lead_school=principal.school).exists()


def test_rows_pass_model_validation(demo):
    # Bulk inserts skip full_clean(); check a sample of every kind so the generator cannot
    # write what the forms and imports would reject.
    samples = [
        *School.objects.order_by("?")[:10], *EducationGroup.objects.all(), *Teacher.objects.order_by("?")[:20],
        *SchoolClass.objects.order_by("?")[:20], *SchoolYearStat.objects.order_by("?")[:10],
        *TrainingRecord.objects.order_by("?")[:20], *Rotation.objects.order_by("?")[:10],
        *ConductRecord.objects.all()[:5],
    ]
    for row in samples:
        row.full_clean()


def test_plans_come_from_the_seed_alone():
    # The same stream gives the same schools; the district's own stream, not the order of
    # the load, is what a district's schools depend on.
    def plans(seed):
        return [
            (p.code, p.name, p.stage, p.location, p.classes, p.group)
            for p in plan_district(random.Random(seed), city_name="常州市", area_code="0519",
                                   district_code=DEMO_DISTRICT_CODE, district_name="天宁区",
                                   n_schools=SCALES["district"].schools_per_district, complete_counter=[0])
        ]

    assert plans("7:320402") == plans("7:320402")
    assert plans("7:320402") != plans("8:320402")



def test_the_principal_has_a_draw_done_and_a_roster_ready(demo):
    from schools.draw.services import draw_replay
    from schools.models import ClassDraw, ClassTransfer

    principal = User.objects.get(username="principal")
    draws = {d.status: d for d in ClassDraw.objects.filter(school=principal.school)}
    done, ready = draws[ClassDraw.Status.DRAWN], draws[ClassDraw.Status.DRAFT]
    assert draw_replay(done)[1]
    transfer = ClassTransfer.objects.get(draw=done)
    assert transfer.status == ClassTransfer.Status.APPROVED and transfer.decided_by.username == "staff_basic"
    assert ready.student_count and ready.class_count
    assert not ready.students.filter(school_class__isnull=False).exists()
