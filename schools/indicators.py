"""The seven resource indicators of the 2017 measures, computed for one school.

Pure functions over already-loaded rows: selectors load the data in a fixed number of
queries, these functions compute. The same functions serve pages, API and (later) the
metric snapshots of the reports app.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from bureau.rules import RESOURCE_INDICATORS, RESOURCE_MIN_MET, RESOURCE_NEAR_MISS_SHARE
from schools.models.org import Section
from schools.models.teachers import EducationLevel

SPORTS_ARTS_SUBJECTS = ("体育", "音乐", "美术", "体育与健康", "艺术")

# "Above the required education": primary teachers are required to hold 中专 (secondary),
# junior teachers 大专 (college); above means one level higher or more.
ABOVE_REQUIRED_EDUCATION = {
    Section.PRIMARY: (EducationLevel.COLLEGE, EducationLevel.BACHELOR, EducationLevel.MASTER, EducationLevel.DOCTOR),
    Section.JUNIOR: (EducationLevel.BACHELOR, EducationLevel.MASTER, EducationLevel.DOCTOR),
}

TWO = Decimal("0.01")


@dataclass
class IndicatorResult:
    rule: object
    value: Decimal | None
    threshold: Decimal | None
    met: bool | None

    @property
    def share_of_threshold(self):
        """value / threshold, unrounded: 84.9 % must not pass an 85 % rule by rounding."""
        if self.value is None or not self.threshold:
            return None
        return self.value / self.threshold

    @property
    def percent_of_threshold(self):
        share = self.share_of_threshold
        return None if share is None else (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class SectionResult:
    section: str
    students: int
    indicators: list
    met_count: int
    meets_standard: bool | None

    @property
    def section_label(self):
        return Section(self.section).label


def _per(value, students, per=1, rounded=True):
    if not students:
        return None
    value = Decimal(value) * per / students
    return value.quantize(TWO, rounding=ROUND_HALF_UP) if rounded else value


def section_shares(primary_students, junior_students):
    """Split of a combined school's shared resources by enrolment, junior weighted 1.1."""
    weight = Decimal(str(settings.COMBINED_SCHOOL_JUNIOR_WEIGHT))
    p = Decimal(primary_students)
    j = Decimal(junior_students) * weight
    total = p + j
    if not total:
        return {Section.PRIMARY: Decimal(0), Section.JUNIOR: Decimal(0)}
    return {Section.PRIMARY: p / total, Section.JUNIOR: j / total}


def section_values(*, students, share, stat, teachers, rounded=True):
    """{indicator code: the section's per-student (or per-100) value} of the seven.

    `stat` is anything with the resource fields of SchoolYearStat (a row or a dict-like
    object), `share` the section's part of the school's shared resources (section_shares).
    Unrounded (`rounded=False`) for the between-school CV, which must not compound the
    rounding of every school; rounded to cents for a school's own verdict and pages.
    """
    return {
        "teachers_above_education": _per(teachers.get("above_education", 0), students, 100, rounded),
        "backbone_teachers": _per(teachers.get("backbone", 0), students, 100, rounded),
        "sports_arts_teachers": _per(teachers.get("sports_arts", 0), students, 100, rounded),
        "teaching_area": _per(Decimal(stat.teaching_area) * share, students, 1, rounded),
        "sports_ground_area": _per(Decimal(stat.sports_ground_area) * share, students, 1, rounded),
        "equipment_value": _per(Decimal(stat.equipment_value) * share, students, 1, rounded),
        "multimedia_classrooms": _per(Decimal(stat.multimedia_classrooms) * share, students, 100, rounded),
    }


def school_sections(school_stage, primary_students, junior_students):
    """[(section, students, share of shared resources)] of a school's compulsory sections:
    a combined-stage school counts in each with that section's students and its 1 : 1.1 share."""
    from schools.models.org import STAGE_SECTIONS

    sections = tuple(s for s in STAGE_SECTIONS[school_stage] if s in (Section.PRIMARY, Section.JUNIOR))
    students = {Section.PRIMARY: primary_students, Section.JUNIOR: junior_students}
    if len(sections) == 2:
        shares = section_shares(primary_students, junior_students)
    else:
        shares = {s: Decimal(1) for s in sections}
    return [(section, students[section], shares[section]) for section in sections]


def evaluate_section(*, section, students, share, stat, teachers):
    """Indicators for one section; `teachers` holds counts for that section."""
    raw = section_values(students=students, share=share, stat=stat, teachers=teachers)
    results = []
    for rule in RESOURCE_INDICATORS:
        value = raw[rule.code]
        results.append(IndicatorResult(rule, value, rule.threshold_for(section), rule.is_met(value, section)))
    met = sum(1 for r in results if r.met)
    if not students:
        meets = None
    else:
        near = all(
            r.met or (r.share_of_threshold is not None and r.share_of_threshold >= RESOURCE_NEAR_MISS_SHARE)
            for r in results
        )
        meets = met >= RESOURCE_MIN_MET and near
    return SectionResult(section, students, results, met, meets)


def evaluate_school(*, school, stat, teacher_counts):
    """The indicators of each compulsory section of the school, from one year's statistics.

    `teacher_counts` maps section → {"above_education", "backbone", "sports_arts"}.
    """
    if stat is None:
        return []
    return [
        evaluate_section(
            section=section, students=students, share=share, stat=stat, teachers=teacher_counts.get(section, {}),
        )
        for section, students, share in school_sections(school.stage, stat.primary_students, stat.junior_students)
    ]


def overall(results):
    """(met_count, meets) for the school: the weakest section decides."""
    judged = [r for r in results if r.meets_standard is not None]
    if not judged:
        return None, None
    return min(r.met_count for r in judged), all(r.meets_standard for r in judged)


def weakest(results):
    """(indicator code, % of its threshold) of the indicator not met that is furthest below
    its threshold, over the judged sections; ("", None) when every indicator is met.

    It says why a school misses the standard (or which one indicator a 6-of-7 school lacks).
    """
    missed = [
        indicator
        for section in results if section.meets_standard is not None
        for indicator in section.indicators
        if indicator.met is False and indicator.share_of_threshold is not None
    ]
    if not missed:
        return "", None
    worst = min(missed, key=lambda indicator: indicator.share_of_threshold)
    return worst.rule.code, worst.percent_of_threshold


def class_size_flag(size, section):
    """'super_big', 'big', 'over' (above the 45/50 standard) or '' for a class of `size`."""
    from bureau.rules import BIG_CLASS, CLASS_SIZE, SUPER_BIG_CLASS

    if size >= SUPER_BIG_CLASS:
        return "super_big"
    if size >= BIG_CLASS:
        return "big"
    limit = CLASS_SIZE.threshold_for(section)
    if limit is not None and size > limit:
        return "over"
    return ""


def weighted_cv(pairs, *, rounded=True):
    """Coefficient of variation weighted by enrolment, the official way (2017 measures).

    `pairs` is [(Xi, Pi)]: a unit's per-student value and its students. X̄ = Σ PᵢXᵢ / P,
    S = √(Σ Pᵢ(Xᵢ − X̄)² / P), CV = S / X̄. A plain standard deviation over-weights small
    units, a known mistake. None when there are fewer than two units or no students.
    """
    pairs = [(Decimal(x), Decimal(p)) for x, p in pairs if x is not None and p]
    total = sum((p for _x, p in pairs), Decimal(0))
    if len(pairs) < 2 or not total:
        return None
    mean = sum((p * x for x, p in pairs), Decimal(0)) / total
    if not mean:
        return None
    variance = sum((p * (x - mean) ** 2 for x, p in pairs), Decimal(0)) / total
    cv = variance.sqrt() / mean
    return cv.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) if rounded else cv


def class_equipment_cv(classes):
    """{section: CV} of per-student equipment value between a school's classes of one stage."""
    by_section = {}
    for school_class in classes:
        if school_class.size:
            per_student = Decimal(school_class.equipment_value) / school_class.size
            by_section.setdefault(school_class.section, []).append((per_student, school_class.size))
    return {section: weighted_cv(pairs) for section, pairs in by_section.items()}
