"""Demo class draws (issue 10), made through the services by the demo accounts: the demo
principal's school drew last year's starting grade (one transfer since, approved by 基础教育科),
and has this year's roster imported and its classes counted, ready for the seed and the draw;
this term's between-class balance of its classes stored as the nightly job stores it."""

import random

from django.core.files.uploadedfile import SimpleUploadedFile

from bureau.models import User
from schools.draw import services
from schools.draw.resources import IncomingStudentResource
from schools.draw.teachers import class_balance_store
from schools.models import SchoolClass, Term

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "子涵梓萱浩然欣怡宇轩雨桐一诺思远佳怡俊杰语嫣明轩若曦博文可馨"
GROUP_CHANCES = (("inclusive", 0.02), ("left_behind", 0.12), ("migrant", 0.10))


def roster_file(rng, n, start_year):
    headers = [field.column_name for _name, field in IncomingStudentResource.ordered_fields()]
    lines = [",".join(headers)]
    for i in range(n):
        groups = {code for code, chance in GROUP_CHANCES if rng.random() < chance}
        if {"left_behind", "migrant"} <= groups:
            groups.discard("migrant")
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        birth = f"{start_year - 6 - (rng.random() < 0.6):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        flags = ["是" if code in groups else "否" for code, _chance in GROUP_CHANCES]
        lines.append(",".join([f"{start_year}{i + 1:04d}", name, rng.choice("男女"), birth, *flags]))
    return SimpleUploadedFile("roster.csv", ("\n".join(lines) + "\n").encode("utf-8"))


def demo_draws(ctx, current_year):
    school = ctx.demo_school
    principal = User.objects.get(username="principal")
    staff = User.objects.filter(username="staff_basic").first()
    grade = 1 if school.grades is None or 1 in school.grades else 7
    rng = random.Random(f"{ctx.seed}:draws")
    this_year = Term.objects.filter(school_year__start_year=current_year, number=1).first()
    last_year = Term.objects.filter(school_year__start_year=current_year - 1, number=1).first()
    if last_year is not None:
        draw = _prepared(rng, school, last_year, grade, principal)
        draw = services.draw_run(draw=services.draw_publish_seed(draw=draw, seed="07 19 23 31", by=principal),
                                 by=principal)
        student = draw.students.order_by("number")[5]
        target = SchoolClass.objects.filter(school=school, term=last_year, grade=grade).exclude(
            pk=student.school_class_id).order_by("number").first()
        transfer = services.transfer_request(student=student, to_class=target, by=principal,
                                             reason="学生随班就读，需安排在有资源教室的班级（家长申请，附医院证明）")
        if staff is not None:
            services.transfer_decide(transfer=transfer, approve=True, by=staff, note="情况属实，同意")
    if this_year is not None:
        _prepared(rng, school, this_year, grade, principal)
        # This term's between-class balance, as the nightly "class-balance" job stores it.
        class_balance_store(school=school, term=this_year)


def _prepared(rng, school, term, grade, principal):
    # The grade's classes, if the demo made them, are the classes drawn into.
    classes = SchoolClass.objects.filter(school=school, term=term, grade=grade).count() or 3
    n = min(classes * services.size_limit(grade), classes * rng.randint(40, 44))
    draw = services.draw_create(school=school, term=term, grade=grade, by=principal)
    plan = services.roster_import(draw=draw, upload=roster_file(rng, n, term.school_year.start_year), by=principal)
    assert not plan.errors, plan.errors[:3]
    return services.draw_set_classes(draw=draw, class_count=classes, by=principal)
