"""Teachers spread over the drawn classes, and the between-class balance stored per term."""

import datetime

import pytest
from django.urls import reverse

from bureau.errors import DomainError
from schools.draw import services, teachers
from schools.models import ClassBalance, SchoolClass, TeachingAssignment
from tests.factories import TeacherFactory, TermFactory, roster_csv, roster_rows


@pytest.fixture
def drawn(school, principal_user):
    draw = services.draw_create(school=school, term=TermFactory(), grade=1, by=principal_user)
    services.roster_import(draw=draw, upload=roster_csv(roster_rows(160)), by=principal_user)
    services.draw_set_classes(draw=draw, class_count=4, by=principal_user)
    return services.draw_run(draw=services.draw_publish_seed(draw=draw, seed="9", by=principal_user),
                             by=principal_user)


@pytest.fixture
def staffroom(school):
    made = []
    levels = ["", "", "county", "city", "province", "master"]
    titles = ["", "third", "second", "first", "senior", "professor"]
    for n in range(8):
        for subject in ("语文", "数学"):
            made.append(TeacherFactory(
                school=school, subject=subject, section="primary", backbone_level=levels[n % 6],
                title=titles[(n * 5) % 6], education=["college", "bachelor", "master"][n % 3],
                hire_date=datetime.date(2000 + n * 3, 9, 1), is_head_teacher=subject == "语文" and n < 5,
            ))
    return made


def test_the_plan_gives_each_class_a_head_and_a_teacher_per_subject(drawn, staffroom):
    classes, before, after, cv_before, cv_after = teachers.draw_teacher_plan(drawn)
    for school_class in classes:
        subjects = [subject for subject, _t in after[school_class.pk]]
        assert sorted(subjects) == sorted([teachers.HEAD, "语文", "数学"])
    # Against the same teachers dealt in order of strength (class 1 the strongest of each
    # subject): the plan is more even on the composite and on backbone level and title.
    on = drawn.term.start_date
    sizes = {c.pk: c.size for c in classes}
    naive = {c.pk: [] for c in classes}
    for subject in (teachers.HEAD, "数学", "语文"):
        chosen = sorted({t.pk: t for v in after.values() for s, t in v if s == subject}.values(),
                        key=lambda t: -teachers.strength(t, on))
        for c, t in zip(classes, chosen, strict=True):
            naive[c.pk].append((subject, t))
    cv_naive = teachers.balance(assignment=naive, sizes=sizes, on=on)
    assert cv_after[teachers.Measure.BACKBONE] < cv_naive[teachers.Measure.BACKBONE]
    assert cv_after[teachers.Measure.TITLE] <= cv_naive[teachers.Measure.TITLE]

    def spread(assignment):
        loads = [sum(teachers.strength(t, on) for _s, t in v) for v in assignment.values()]
        return max(loads) - min(loads)

    assert spread(after) < spread(naive)
    assert all(cv_before[m] is None for m in teachers.TEACHER_MEASURES)  # nobody assigned yet
    # Deterministic: the same plan twice.
    assert teachers.draw_teacher_plan(drawn)[2] == after


def test_assigning_writes_the_plan_and_stores_the_balance(drawn, staffroom, principal_user, leader_user):
    with pytest.raises(DomainError):
        teachers.draw_teachers_assign(draw=drawn, by=leader_user)
    after = teachers.draw_teachers_assign(draw=drawn, by=principal_user)
    classes = SchoolClass.objects.filter(school=drawn.school, term=drawn.term, grade=1)
    assert all(c.head_teacher_id for c in classes) and all(c.is_locked for c in classes)
    assert TeachingAssignment.objects.filter(term=drawn.term).count() == 8
    stored = {b.measure: b for b in ClassBalance.objects.filter(school=drawn.school, term=drawn.term)}
    assert set(stored) == set(ClassBalance.Measure.values)
    assert stored["teacher_backbone"].cv == teachers.draw_teacher_plan(drawn)[4][teachers.Measure.BACKBONE]
    assert stored["teacher_backbone"].classes == 4
    # What is recorded now is the plan.
    recorded = teachers.draw_teacher_plan(drawn)[1]
    assert {pk: sorted(t.pk for _s, t in v) for pk, v in recorded.items()} == {
        pk: sorted(t.pk for _s, t in v) for pk, v in after.items()}


def test_the_teachers_page(client, drawn, staffroom, principal_user, django_assert_max_num_queries):
    client.force_login(principal_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("schools:draw_teachers", args=[drawn.pk]))
    assert page.status_code == 200 and "assign-teachers" in page.content.decode()
    client.post(reverse("schools:draw_teachers_assign", args=[drawn.pk]))
    assert TeachingAssignment.objects.filter(term=drawn.term).count() == 8
