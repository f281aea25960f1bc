"""Demo rows of one school: statistics, teachers and their training (see schools/demo/)."""

import datetime
import math

from bureau.demo import person_name
from bureau.rules import RESOURCE_INDICATORS
from schools.models import EducationLevel, SchoolStage, SchoolYearStat, Teacher, TrainingRecord

SUBJECT_WEIGHTS = {
    "primary": (("语文", 30), ("数学", 25), ("英语", 10), ("科学", 6), ("道德与法治", 4), ("体育", 8), ("音乐", 6),
                ("美术", 6), ("信息技术", 3), ("劳动", 2)),
    "junior": (("语文", 15), ("数学", 15), ("英语", 14), ("物理", 8), ("化学", 6), ("生物", 5), ("历史", 6),
               ("地理", 5), ("道德与法治", 7), ("体育", 7), ("音乐", 3), ("美术", 3), ("信息技术", 4), ("劳动", 2)),
    "special": (("语文", 25), ("数学", 20), ("体育", 12), ("音乐", 12), ("美术", 12), ("劳动", 19)),
}
SUBJECT_WEIGHTS["senior"] = SUBJECT_WEIGHTS["junior"]
SPORTS_ARTS = ("体育", "音乐", "美术")
HEAD_TEACHER_SUBJECTS = ("语文", "数学", "英语")

# (level, weight) by section; "above the required education" is college+ for primary and
# bachelor+ for junior (schools.indicators.ABOVE_REQUIRED_EDUCATION).
EDUCATION_WEIGHTS = {
    "primary": ((EducationLevel.SECONDARY, 2), (EducationLevel.COLLEGE, 17), (EducationLevel.BACHELOR, 74),
                (EducationLevel.MASTER, 7)),
    "junior": ((EducationLevel.SECONDARY, 1), (EducationLevel.COLLEGE, 6), (EducationLevel.BACHELOR, 80),
               (EducationLevel.MASTER, 12), (EducationLevel.DOCTOR, 1)),
    "senior": ((EducationLevel.COLLEGE, 2), (EducationLevel.BACHELOR, 78), (EducationLevel.MASTER, 19),
               (EducationLevel.DOCTOR, 1)),
    "special": ((EducationLevel.SECONDARY, 4), (EducationLevel.COLLEGE, 26), (EducationLevel.BACHELOR, 66),
                (EducationLevel.MASTER, 4)),
}
BACKBONE_WEIGHTS = ((Teacher.Backbone.COUNTY, 58), (Teacher.Backbone.CITY, 27), (Teacher.Backbone.PROVINCE, 7),
                    (Teacher.Backbone.LEADER, 5), (Teacher.Backbone.MASTER, 3))
COURSES = (
    "国培计划乡村教师培训", "省级骨干教师高级研修", "市级学科带头人培训", "新课程标准解读", "信息技术应用能力提升2.0",
    "班主任专业能力培训", "心理健康教育C证培训", "校本研修", "作业设计与评价专题", "“双减”背景下的课堂教学",
    "大单元教学设计", "师德师风专题培训", "课后服务课程建设", "教育科研方法", "学科核心素养与教学评价",
    "劳动教育课程实施", "体育与健康课程标准培训", "美育浸润行动培训", "新教师入职培训", "跨学科主题学习",
)
CONDUCT_FINDINGS = (
    ("违规组织学生参加有偿补课", True),
    ("收受学生家长礼品礼金", True),
    ("体罚、变相体罚学生", True),
    ("在工作群发布学生考试成绩排名", False),
    ("布置超量书面作业,经提醒未改正", False),
    ("上课期间擅离岗位", False),
)


def _threshold(code, section):
    rule = next(r for r in RESOURCE_INDICATORS if r.code == code)
    return float(rule.threshold_for(section))


def _resource_need(code, primary, junior):
    """The resource a school needs to meet a per-student threshold exactly.

    A combined school's shared resources are split by enrolment with junior weighted
    1.1 (schools.indicators.section_shares), so each section gets `resource / (p + 1.1 j)`
    per student (times 1.1 for junior); the larger of the two requirements decides.
    """
    if primary and junior:
        return (primary + 1.1 * junior) * max(_threshold(code, "primary"), _threshold(code, "junior") / 1.1)
    if primary:
        return primary * _threshold(code, "primary")
    return junior * _threshold(code, "junior")


def stat_row(rng, plan, school_year, year, scale_of_year, current_year):
    primary = round(plan.students("primary") * scale_of_year)
    junior = round(plan.students("junior") * scale_of_year)
    other = round((plan.students("senior") + plan.students("special")) * scale_of_year)
    students = primary + junior + other
    # Earlier years had a little less of everything: the district has been investing.
    growth = 1 - 0.035 * (current_year - year) * rng.uniform(0.5, 1.5)
    f = {k: v * growth for k, v in plan.factors.items()}
    if plan.stage == SchoolStage.SPECIAL:
        base = {"teaching_area": other * 25, "sports_ground_area": other * 20, "equipment_value": other * 9000,
                "multimedia_classrooms": max(4, other // 8)}
    else:
        base = {
            "teaching_area": _resource_need("teaching_area", primary, junior) * f["teaching_area"],
            "sports_ground_area": _resource_need("sports_ground_area", primary, junior) * f["sports_ground_area"],
            "equipment_value": _resource_need("equipment_value", primary, junior) * f["equipment_value"],
            "multimedia_classrooms": math.ceil(
                _resource_need("multimedia_classrooms", primary, junior) / 100 * f["multimedia_classrooms"]
            ),
        }
    if plan.stage == SchoolStage.COMPLETE:
        # The senior section has its own buildings on top of what the junior section needs.
        base["teaching_area"] += other * 6.5
        base["sports_ground_area"] += other * 8
        base["equipment_value"] += other * 3500
        base["multimedia_classrooms"] += math.ceil(other * 0.025)
    rural = plan.location == "rural"
    has_junior = bool(junior) or plan.stage == SchoolStage.COMPLETE
    first_grades = sum(b + g for s, gr, _n, b, g in plan.classes if gr in (1, 7) and s != "special")
    last_grades = sum(b + g for s, gr, _n, b, g in plan.classes if gr in (6, 9) and s != "special")
    tested = round(students * rng.uniform(0.95, 1.0))
    excellent = round(tested * rng.uniform(0.12, 0.28))
    good = round(tested * rng.uniform(0.24, 0.35))
    failing = round(tested * rng.uniform(0.02, 0.07))
    myopia_rate = (primary * rng.uniform(0.3, 0.45) + (junior + other) * rng.uniform(0.6, 0.75)) / max(students, 1)
    music_rooms = rng.randint(1, 3) if students > 300 else 1
    art_rooms = rng.randint(1, 3) if students > 300 else 1
    return SchoolYearStat(
        school_id=plan.pk,
        school_year=school_year,
        primary_students=primary,
        junior_students=junior,
        other_students=other,
        teaching_area=round(base["teaching_area"]),
        sports_ground_area=round(base["sports_ground_area"]),
        equipment_value=round(base["equipment_value"]),
        multimedia_classrooms=base["multimedia_classrooms"],
        computers=math.ceil(students * 0.085 * f["computers"]),
        library_books=round(students * rng.uniform(25, 45)),
        has_music_room=rng.random() < (0.8 if rural else 0.98),
        has_pe_room=rng.random() < (0.75 if rural else 0.97),
        has_art_room=rng.random() < (0.8 if rural else 0.98),
        has_health_room=rng.random() < (0.85 if rural else 0.99),
        has_labour_room=rng.random() < (0.7 if rural else 0.93),
        has_science_room=rng.random() < (0.75 if rural else 0.96),
        labs=(rng.randint(3, 8) if has_junior else rng.randint(1, 3)),
        music_rooms=music_rooms,
        music_room_area=music_rooms * rng.randint(80, 140),
        art_rooms=art_rooms,
        art_room_area=art_rooms * rng.randint(80, 140),
        is_digital_campus=rng.random() < (0.7 if rural else 0.93),
        is_standardized=rng.random() < (0.72 if rural else 0.96),
        is_feature_school=rng.random() < 0.35,
        enrolled=round(first_grades * scale_of_year),
        graduated=round(last_grades * scale_of_year * rng.uniform(0.97, 1.02)),
        dropouts=(rng.choice((0, 0, 0, 1, 2, 3)) if rural and has_junior else 0),
        disabled_students=other if plan.stage == SchoolStage.SPECIAL else rng.choice((0, 0, 1, 1, 2, 3, 4, 6)),
        health_tested=tested,
        health_excellent=excellent,
        health_good=good,
        health_pass=max(0, tested - excellent - good - failing),
        myopia=round(students * myopia_rate),
    )


def _weighted(rng, pairs):
    values = [v for v, _w in pairs]
    weights = [w for _v, w in pairs]
    return lambda: rng.choices(values, weights)[0]


def school_teachers(rng, plan, district, scale, next_number, calendar):
    """The teachers of a school; returns (teachers, head-teacher slots {(section, grade, number): index})."""
    current_year = calendar.current_year
    rows = []
    heads = {}
    for section in plan.sections():
        classes = [c for c in plan.classes if c[0] == section]
        students = plan.students(section)
        n = max(len(classes) + 1, round(len(classes) * scale.teachers_per_class[section] * rng.uniform(0.93, 1.07)))
        pick_subject = _weighted(rng, SUBJECT_WEIGHTS[section])
        pick_education = _weighted(rng, EDUCATION_WEIGHTS[section])
        subjects = [pick_subject() for _ in range(n)]
        # Enough sports and arts teachers for 0.9 per 100 students, the way a bureau staffs them.
        if section in ("primary", "junior"):
            wanted = math.ceil(students / 100 * 0.9 * rng.uniform(1.02, 1.45))
            others = [i for i, s in enumerate(subjects) if s not in SPORTS_ARTS and s not in HEAD_TEACHER_SUBJECTS]
            others += [i for i, s in enumerate(subjects) if s in HEAD_TEACHER_SUBJECTS][len(classes) + 2:]
            missing = wanted - sum(1 for s in subjects if s in SPORTS_ARTS)
            for i in others[: max(0, min(missing, n // 4))]:
                subjects[i] = rng.choice(SPORTS_ARTS)
        educations = [pick_education() for _ in range(n)]
        if section in ("primary", "junior"):
            needed = math.ceil(students / 100 * _threshold("teachers_above_education", section) * rng.uniform(1.02, 1.2))
            below = {"primary": (EducationLevel.SECONDARY,),
                     "junior": (EducationLevel.SECONDARY, EducationLevel.COLLEGE)}[section]
            short = needed - sum(1 for e in educations if e not in below)
            for i in [i for i, e in enumerate(educations) if e in below][: max(0, short)]:
                educations[i] = EducationLevel.BACHELOR
        ages = [min(59, max(22, round(rng.triangular(22, 59, 34)))) for _ in range(n)]
        backbone_wanted = 0
        if section in ("primary", "junior"):
            backbone_wanted = min(round(n * 0.45), round(students / 100 * plan.backbone_per_100))
        else:
            backbone_wanted = round(n * rng.uniform(0.1, 0.2))
        # Backbone titles go to experienced teachers.
        seniority = sorted(range(n), key=lambda i: -ages[i] - rng.uniform(0, 15))
        backbone = set(seniority[:backbone_wanted])
        pick_backbone = _weighted(rng, BACKBONE_WEIGHTS)
        cert_type = {"primary": "primary", "junior": "junior", "senior": "senior", "special": "primary"}[section]
        start = len(rows)
        for i in range(n):
            gender = "F" if rng.random() < {"primary": 0.78, "special": 0.75}.get(section, 0.6) else "M"
            age = ages[i]
            birth = datetime.date(current_year - age, rng.randint(1, 12), rng.randint(1, 28))
            hire = datetime.date(min(current_year, birth.year + rng.randint(21, 24)), 9, 1)
            joined = hire if rng.random() < 0.55 else datetime.date(rng.randint(hire.year, current_year), 9, 1)
            years = current_year - hire.year
            roll = rng.random()
            if years < 1:
                title = ""
            elif years < 4:
                title = Teacher.Title.THIRD if roll < 0.4 else Teacher.Title.SECOND
            elif years < 11:
                title = Teacher.Title.SECOND if roll < 0.8 else Teacher.Title.FIRST
            elif years < 20:
                title = Teacher.Title.FIRST if roll < 0.65 else Teacher.Title.SECOND if roll < 0.9 else Teacher.Title.SENIOR
            else:
                title = (Teacher.Title.PROFESSOR if roll < 0.015 else Teacher.Title.SENIOR if roll < 0.4
                         else Teacher.Title.FIRST)
            certified = rng.random() > 0.012
            number = next_number()
            rows.append(Teacher(
                district_id=district.pk,
                staff_number=f"{district.code}{number:05d}",
                name=person_name(rng, gender),
                gender=gender,
                birth_date=birth,
                school_id=plan.pk,
                section=section,
                subject=subjects[i],
                education=educations[i],
                certificate_type=cert_type if certified else "",
                certificate_number=f"{hire.year}{district.code}{'1' if section == 'primary' else '2'}{number:06d}"
                if certified else "",
                title=title,
                backbone_level=pick_backbone() if i in backbone else "",
                is_sports_arts=subjects[i] in SPORTS_ARTS,
                hire_date=hire,
                joined_school_date=joined,
                is_head_teacher=False,
                status=Teacher.Status.LEAVE if rng.random() < 0.025 else Teacher.Status.ACTIVE,
            ))
        # Head teachers: the main-subject teachers first, one class each.
        candidates = [start + i for i in range(n) if subjects[i] in HEAD_TEACHER_SUBJECTS]
        candidates += [start + i for i in range(n) if subjects[i] not in HEAD_TEACHER_SUBJECTS]
        candidates = [i for i in candidates if rows[i].status == Teacher.Status.ACTIVE]
        for (sec, grade, number, _b, _g), teacher_index in zip(classes, candidates, strict=False):
            heads[(sec, grade, number)] = teacher_index
            rows[teacher_index].is_head_teacher = True
    return rows, heads


def training_rows(rng, teacher, per_teacher, today):
    """A teacher's training in the five years before the load day; the totals spread around 360 hours."""
    k = rng.randint(*per_teacher)
    total = max(40.0, rng.gauss(420, 95))
    cuts = sorted(rng.random() for _ in range(k - 1))
    parts = [b - a for a, b in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
    days = sorted(rng.sample(range(30, 5 * 365 - 10), k))
    courses = rng.sample(COURSES, k)
    rows = []
    for part, day, course in zip(parts, days, courses, strict=True):
        hours = min(480, max(1, round(total * part)))
        rows.append(TrainingRecord(teacher_id=teacher.pk, course=course, hours=hours,
                                   date=today - datetime.timedelta(days=day)))
    return rows

