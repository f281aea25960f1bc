"""The seven resource indicators of the 2017 measures, between schools.

For every school and compulsory stage: its per-student value of each of the seven
(unrounded, schools.indicators.section_values, a combined-stage school with that stage's
students and its 1 : 1.1 share of the shared resources), and its verdict (6 of 7, the rest
≥ 85 %, schools.indicators.evaluate_section, the one the school's page shows). For every
zone, district and city and each stage: the between-school CV of each of the seven,
weighted by enrolment (schools.indicators.weighted_cv), leaving out special-education
schools (they have no compulsory stage) and units under CV_MIN_STUDENTS students of the
stage (teaching points); each school's contribution to its district's CV; the district's
verdict per stage: all seven within the limit and every school meeting the standard.

Two queries for any number of schools (the statistics with their school, zone and city;
the teacher counts, grouped in SQL), then arithmetic over the loaded rows.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.rules import (
    CV_MIN_STUDENTS,
    RESOURCE_CV,
    RESOURCE_INDICATORS,
    RESOURCE_VERDICT,
    SCHOOLS_MEETING_RESOURCES,
)
from reports.indicators.base import (
    ABOVE_SCHOOL,
    CITY,
    DISTRICT,
    SCHOOL,
    STAGES,
    ZONE,
    Indicator,
    Value,
    ratio,
    register,
)
from schools.indicators import evaluate_section, school_sections, section_values, weighted_cv
from schools.selectors import teacher_counts_by_school

STAT_FIELDS = ("teaching_area", "sports_ground_area", "equipment_value", "multimedia_classrooms")


class _Stat:
    """The resource fields of one statistics row, as section_values reads them."""

    __slots__ = STAT_FIELDS

    def __init__(self, row):
        for name in STAT_FIELDS:
            setattr(self, name, row[name])


def school_section_rows(inputs):
    """[{school, stage, students, zone, district, city, values (unrounded), section result}]
    for every school and compulsory stage of the area, in two queries."""
    stats = list(
        inputs.stats().order_by().values(
            "school_id", "primary_students", "junior_students", *STAT_FIELDS,
            stage=F("school__stage"), zone=F("school__zone_link__zone"), district=F("school__district"),
            city=F("school__district__parent"),
        )
    )
    teachers = teacher_counts_by_school(school_ids=inputs.stats().values("school_id"))
    rows = []
    for stat in stats:
        resources = _Stat(stat)
        for section, students, share in school_sections(stat["stage"], stat["primary_students"],
                                                          stat["junior_students"]):
            counts = teachers.get(stat["school_id"], {}).get(section, {})
            rows.append({
                "school": stat["school_id"], "stage": str(section), "students": students, "zone": stat["zone"],
                "district": stat["district"], "city": stat["city"],
                "values": section_values(students=students, share=share, stat=resources, teachers=counts,
                                         rounded=False),
                "result": evaluate_section(section=section, students=students, share=share, stat=resources,
                                           teachers=counts),
            })
    return rows


def counts_in_cv(row):
    return row["students"] >= CV_MIN_STUDENTS


def contributions(pairs):
    """{key: share of the weighted variance (%)} of [(key, Xi, Pi)]: Pᵢ(Xᵢ − X̄)² / Σ Pⱼ(Xⱼ − X̄)².
    It says which schools pull the CV up, and by how much."""
    pairs = [(k, Decimal(x), Decimal(p)) for k, x, p in pairs if x is not None and p]
    total = sum((p for _k, _x, p in pairs), Decimal(0))
    if len(pairs) < 2 or not total:
        return {}
    mean = sum((p * x for _k, x, p in pairs), Decimal(0)) / total
    spread = {k: p * (x - mean) ** 2 for k, x, p in pairs}
    whole = sum(spread.values(), Decimal(0))
    return {k: (100 * s / whole if whole else Decimal(0)) for k, s in spread.items()}


def compute_resources(inputs):
    rows = school_section_rows(inputs)
    units = defaultdict(list)  # (level, id, stage) -> rows that count in its CV
    judged = defaultdict(list)  # (level, id, stage) -> school verdicts
    for row in rows:
        stage = row["stage"]
        for code, value in row["values"].items():
            yield Value(f"res.{code}", SCHOOL, row["school"], stage, value, None, row["students"])
        result = row["result"]
        if result.meets_standard is not None:
            yield Value("resource_met", SCHOOL, row["school"], stage, Decimal(result.met_count))
        for level in ABOVE_SCHOOL:
            scope_id = row[level]
            if scope_id is None:
                continue
            if counts_in_cv(row):
                units[(level, scope_id, stage)].append(row)
            if result.meets_standard is not None:
                judged[(level, scope_id, stage)].append(result.meets_standard)
    cvs = {}
    for (level, scope_id, stage), members in units.items():
        for rule in RESOURCE_INDICATORS:
            pairs = [(m["values"][rule.code], m["students"]) for m in members]
            cv = weighted_cv(pairs, rounded=False)
            cvs[(level, scope_id, stage, rule.code)] = cv
            weighted = [(x, p) for x, p in pairs if x is not None and p]
            students = sum(p for _x, p in weighted)
            mean = ratio(sum(Decimal(p) * x for x, p in weighted), students) if students else None
            yield Value(f"cv.{rule.code}", level, scope_id, stage, cv, None, Decimal(len(weighted)))
            yield Value(f"res.{rule.code}", level, scope_id, stage, mean, None, Decimal(students))
            if level == DISTRICT:
                shares = contributions([(m["school"], m["values"][rule.code], m["students"]) for m in members])
                for school_id, share in shares.items():
                    yield Value(f"cvshare.{rule.code}", SCHOOL, school_id, stage, share)
    for (level, scope_id, stage), verdicts in judged.items():
        met = sum(verdicts)
        yield Value("schools_meeting_resources", level, scope_id, stage, ratio(met, len(verdicts), 100), met,
                    len(verdicts))
    for level in (ZONE, DISTRICT, CITY):
        for stage in STAGES:
            keys = {(lv, sid) for lv, sid, st in units if lv == level and st == stage}
            keys |= {(lv, sid) for lv, sid, st in judged if lv == level and st == stage}
            for _level, scope_id in keys:
                within = [cvs.get((level, scope_id, stage, r.code)) for r in RESOURCE_INDICATORS]
                cv_ok = all(cv is not None and RESOURCE_CV.is_met(cv, stage) for cv in within)
                verdicts = judged.get((level, scope_id, stage), [])
                ok = cv_ok and bool(verdicts) and all(verdicts)
                yield Value("resource_verdict", level, scope_id, stage, Decimal(int(ok)))


for _rule in RESOURCE_INDICATORS:
    register(Indicator(
        f"res.{_rule.code}", _rule.title, _rule.unit, (SCHOOL, *ABOVE_SCHOOL), compute_resources, _rule,
        stages=STAGES, group="resources",
    ))
for _rule in RESOURCE_INDICATORS:
    register(Indicator(
        f"cv.{_rule.code}", format_lazy(_("Between-school CV: {}"), _rule.title), "", ABOVE_SCHOOL, compute_resources, RESOURCE_CV, stages=STAGES,
        group="resources", places=3, computed_by=f"res.{_rule.code}",
    ))
for _rule in RESOURCE_INDICATORS:
    register(Indicator(
        f"cvshare.{_rule.code}", format_lazy(_("Share of the district's CV: {}"), _rule.title), "%", (SCHOOL,), compute_resources, stages=STAGES, group="resources",
        places=1, computed_by=f"res.{_rule.code}",
    ))
register(Indicator(
    "resource_met", _("Resource indicators met (of 7)"), pgettext_lazy("unit", "indicators"), (SCHOOL,), compute_resources,
    stages=STAGES, group="resources", places=0,
))
register(Indicator(
    "schools_meeting_resources", SCHOOLS_MEETING_RESOURCES.title, "%", ABOVE_SCHOOL, compute_resources,
    SCHOOLS_MEETING_RESOURCES, stages=STAGES, group="resources", places=1,
))
register(Indicator(
    "resource_verdict", RESOURCE_VERDICT.title, "", ABOVE_SCHOOL, compute_resources, RESOURCE_VERDICT,
    stages=STAGES, group="resources", places=0,
))
