"""Class draws (issue 10): one draw of 1,200 students into 24 classes, and a city's 300 schools
drawing on one day through the job kit and Celery, in one run. Run with
`tests/benchmarks/run -k draw`.

Printed: the time of the pure draw and of the whole service (hash check, classes created and
locked, students placed, audit), the time per draw of the 300, and the spread of balance
(largest minus smallest class count) over all of them. Celery runs eagerly unless a broker is
configured (CELERY_TASK_ALWAYS_EAGER): the figure says which.
"""

import random
import statistics
import time

import pytest
from django.conf import settings

from bureau.models import Job, Role
from schools.draw import algorithm, services
from schools.draw.jobs import draw_enqueue
from schools.models import ClassDraw, IncomingStudent
from tests.factories import DistrictFactory, SchoolFactory, TermFactory, UserFactory

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

GROUPS = [(), (), (), (), (), ("inclusive",), ("left_behind",), ("left_behind",), ("migrant",)]
MEASURES = ("size", "M", "F", "inclusive", "left_behind", "migrant", "months")


def published(*, school, term, principal, n, classes, rng, grade=1):
    draw = services.draw_create(school=school, term=term, grade=grade, by=principal)
    IncomingStudent.objects.bulk_create([
        IncomingStudent(draw=draw, number=f"{i:05d}", name=f"学生{i}", gender=rng.choice("MF"),
                        birth_date=(birth := __import__("datetime").date(2020, rng.randint(1, 12), rng.randint(1, 28))),
                        birth_month=birth.month, **{g: True for g in rng.choice(GROUPS)})
        for i in range(n)
    ])
    ClassDraw.objects.filter(pk=draw.pk).update(student_count=n)
    draw.refresh_from_db()
    services.draw_set_classes(draw=draw, class_count=classes, by=principal)
    return services.draw_publish_seed(draw=draw, seed=str(rng.randint(0, 10**8)), by=principal)


def spread_of(draw):
    from schools.draw.selectors import algorithm_students

    students = algorithm_students(draw)
    return algorithm.balance(algorithm.class_counts(students, algorithm.Draw(draw.algorithm,
                                                                           tuple(map(tuple, draw.result)))))


def test_one_draw_of_1200_students_into_24_classes():
    rng = random.Random(1200)
    district = DistrictFactory()
    # 1,200 in 24 classes is 50 a class: a junior secondary school's grade 7 (the limit is 50).
    school = SchoolFactory(district=district, stage="junior")
    principal = UserFactory(role=Role.PRINCIPAL, school=school, district=district)
    draw = published(school=school, term=TermFactory(), principal=principal, n=1200, classes=24, rng=rng, grade=7)
    students = services.draw_students(draw)
    start = time.perf_counter()
    result = algorithm.run(students, classes=24, limit=50, roster_digest=draw.roster_hash, seed=draw.seed)
    pure = time.perf_counter() - start
    start = time.perf_counter()
    draw = services.draw_run(draw=draw, by=principal)
    whole = time.perf_counter() - start
    assert [list(c) for c in result.classes] == draw.result
    spread = spread_of(draw)
    print(f"\n1,200 students into 24 classes: the draw {pure * 1000:.0f} ms, the whole service {whole * 1000:.0f} ms "
          f"(classes locked, students placed, audited); spread {spread}")
    assert all(spread[m] <= 1 for m in MEASURES[:-1])


def test_300_schools_drawing_on_one_day(django_capture_on_commit_callbacks):
    rng = random.Random(300)
    district = DistrictFactory()
    term = TermFactory()
    draws = []
    for _ in range(300):
        school = SchoolFactory(district=district)
        principal = UserFactory(role=Role.PRINCIPAL, school=school, district=district)
        n = rng.randint(40, 540)
        draws.append((published(school=school, term=term, principal=principal, n=n, classes=-(-n // 45), rng=rng),
                      principal))
    mode = "eager (no broker)" if settings.CELERY_TASK_ALWAYS_EAGER else f"broker {settings.CELERY_BROKER_URL}"
    start = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        for draw, principal in draws:
            draw_enqueue(draw=draw, by=principal)
    total = time.perf_counter() - start
    done = ClassDraw.objects.filter(status=ClassDraw.Status.DRAWN).count()
    assert done == 300 and Job.objects.filter(kind="schools.draw", state="done").count() == 300
    per_draw = [total / 300]
    spreads = [spread_of(draw) for draw in ClassDraw.objects.all()]
    worst = {m: max(s[m] for s in spreads) for m in MEASURES}
    even = sum(1 for s in spreads if all(s[m] <= 1 for m in MEASURES[:-1]))
    students = ClassDraw.objects.values_list("student_count", flat=True)
    print(f"\n300 schools ({sum(students):,} students, {statistics.mean(students):.0f} a school) through the job kit "
          f"and Celery, {mode}: {total:.1f} s, {per_draw[0] * 1000:.0f} ms a draw; worst spread over all draws "
          f"{worst}; {even} of 300 draws within one on size, gender and every group")
    assert even == 300
