"""The yearly balance-monitoring report (优质均衡监测, seed 001 and the 2017 measures): every
school's seven resource indicators against its standard and whether it meets "6 of 7, the
rest at least 85 %"; the seven between-school CVs per stage against their limits (primary
≤ 0.50, junior ≤ 0.45) and the district's verdict; class sizes (the buckets, big and
super-big classes against "none super-big, big at most 5 %"); teacher rotation and training.

It reads the metric snapshots the dashboards read, so the report and the district's page
agree figure for figure. The report of year Y reads the school year that ends in it (start
year Y − 1, as the health bulletin does), at its latest term begun: the dashboard with that
term chosen shows the same numbers. When that term has no snapshots yet (the nightly job
computes the current term only), the gather computes them first, as the refresh button
would: a bureau user asking for last year's report wants the report, not a task.

A fixed number of queries whatever the number of schools: the district's snapshots, its
schools' snapshots, the schools' names.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.errors import DomainError
from bureau.rules import (
    BIG_CLASS_SHARE,
    RESOURCE_CV,
    RESOURCE_INDICATORS,
    RESOURCE_MIN_MET,
    RESOURCE_NEAR_MISS_SHARE,
    SOURCE_2017,
    SUPER_BIG_CLASSES,
)
from reports import periodic, selectors
from reports.charts import SHORT_NAMES
from reports.indicators import DISTRICT, REGISTRY, SCHOOL, STAGE_LABELS, STAGES
from reports.models import Snapshot
from reports.periodic import periods
from reports.snapshots import area_id_of, snapshots_compute
from schools.models import School, Term
from schools.selectors import CLASS_SIZE_BUCKETS

TEACHER_CODES = ("certified_teachers", "training_done", "rotation_share", "rotation_eligible", "rotation_backbone")
CLASS_CODES = ("classes", "big_classes", "big_class_share", "super_big_classes")
SCHOOL_CODES = ("resource_met", "big_classes", "super_big_classes", "classes", "rotation_share", "training_done",
                *(f"res.{rule.code}" for rule in RESOURCE_INDICATORS))


def term_of(period):
    """The latest begun term of the school year that ends in the period's year."""
    term = (Term.objects.filter(school_year__start_year=period.start.year - 1, start_date__lte=period.end)
            .select_related("school_year").order_by("-start_date").first())
    if term is None:
        raise DomainError(_("The %(year)s school year has no term recorded: the balance-monitoring report of "
                            "%(report)s reads that school year.") % {
            "year": f"{period.start.year - 1}–{period.start.year}", "report": period.start.year})
    return term


def _snapshots_ready(district, term):
    if not Snapshot.objects.filter(level=DISTRICT, scope_id=district.pk, term=term).exists():
        snapshots_compute(area_id=area_id_of(district.pk), term=term)


def _number(snapshot):
    return None if snapshot is None or snapshot.value is None else float(snapshot.value)


def _figure(code, snapshot, stage=""):
    """One indicator's figure as the dashboard shows it, frozen: shown, value, standard, met."""
    indicator = REGISTRY[code]
    value = snapshot.value if snapshot is not None else None
    threshold = indicator.threshold(stage)
    return {"code": code, "name": str(indicator.name), "value": _number(snapshot),
            "shown": selectors.display(value, indicator.places), "met": indicator.is_met(value, stage),
            "standard": "" if threshold is None else
            f"{'≥' if indicator.comparator == '>=' else '≤'} {threshold.normalize():f}",
            "numerator": None if snapshot is None or snapshot.numerator is None else float(snapshot.numerator),
            "denominator": None if snapshot is None or snapshot.denominator is None else float(snapshot.denominator)}


def _school_row(school_id, name, stage, values):
    """A school's seven in one stage, each against its standard, and the verdict: at least
    6 of 7 met and every one not met at 85 % of its standard or more (as
    schools.indicators.evaluate_section judges it)."""
    cells, near = [], True
    for rule in RESOURCE_INDICATORS:
        snapshot = values.get((f"res.{rule.code}", stage))
        value = snapshot.value if snapshot is not None else None
        threshold = rule.threshold_for(stage)
        met = rule.is_met(value, stage)
        if not met:
            near = near and value is not None and bool(threshold) and value / threshold >= RESOURCE_NEAR_MISS_SHARE
        cells.append({"shown": selectors.display(value, REGISTRY[f"res.{rule.code}"].places), "met": met})
    met_count = sum(1 for cell in cells if cell["met"])
    return {"school_id": school_id, "name": name, "cells": cells, "met": met_count,
            "meets": met_count >= RESOURCE_MIN_MET and near}


def gather(*, district, zone, period):
    term = term_of(period)
    _snapshots_ready(district, term)
    own = selectors.scope_values(level=DISTRICT, scope_id=district.pk, term=term)
    below = selectors.below_values(level=SCHOOL, term=term, district=district, indicators=SCHOOL_CODES)
    schools = School.objects.filter(pk__in=list(below)).order_by("code", "pk").values_list("pk", "name")
    names = dict(schools)
    order = list(names)  # by school code, as the registry lists them

    stages = []
    for stage in STAGES:
        rows = [_school_row(pk, names[pk], stage, below[pk]) for pk in order
                if (f"res.{RESOURCE_INDICATORS[0].code}", stage) in below[pk]]
        cvs = [{**_figure(f"cv.{rule.code}", own.get((f"cv.{rule.code}", stage)), stage), "rule": rule.code,
                "title": str(rule.title)} for rule in RESOURCE_INDICATORS]
        if not rows and all(cv["value"] is None for cv in cvs):
            continue
        verdict = own.get(("resource_verdict", stage))
        meeting = own.get(("schools_meeting_resources", stage))
        stages.append({
            "stage": stage, "label": str(STAGE_LABELS[stage]), "limit": float(RESOURCE_CV.threshold_for(stage)),
            "standards": [f"{rule.threshold_for(stage).normalize():f}" for rule in RESOURCE_INDICATORS],
            "cvs": cvs, "cvs_within": sum(1 for cv in cvs if cv["met"]),
            "verdict": None if verdict is None or verdict.value is None else bool(verdict.value),
            "schools": rows, "schools_meeting": sum(1 for row in rows if row["meets"]),
            "meeting_share": _figure("schools_meeting_resources", meeting, stage),
        })

    buckets = [{"label": label, "count": int(own[(f"class_bucket.{i}", "")].value)}
               for i, (label, _low, _high) in enumerate(CLASS_SIZE_BUCKETS) if (f"class_bucket.{i}", "") in own]
    counts = [(pk, {code: int(_number(below[pk].get((code, ""))) or 0)
                    for code in ("classes", "big_classes", "super_big_classes")}) for pk in order]
    big_schools = sorted(({"name": names[pk], "classes": n["classes"], "big": n["big_classes"],
                           "super_big": n["super_big_classes"]} for pk, n in counts if n["big_classes"]),
                         key=lambda row: (-row["super_big"], -row["big"]))
    teacher_schools = [_teacher_row(pk, names[pk], below[pk]) for pk in order
                       if ("rotation_share", "") in below[pk] or ("training_done", "") in below[pk]]
    return {
        "year": period.start.year, "term": str(term), "term_id": term.pk, "school_year": str(term.school_year),
        "computed_at": f"{max((s.computed_at for s in own.values()), default=None):%Y-%m-%d %H:%M}" if own else "",
        "source": str(SOURCE_2017), "min_met": RESOURCE_MIN_MET, "near_percent": int(RESOURCE_NEAR_MISS_SHARE * 100),
        "short_names": [str(SHORT_NAMES[rule.code]) for rule in RESOURCE_INDICATORS],
        "stages": stages,
        "classes": {code: _figure(code, own.get((code, ""))) for code in CLASS_CODES},
        "big_share_aim": float(BIG_CLASS_SHARE.threshold_for("all")),
        "super_big_aim": int(SUPER_BIG_CLASSES.threshold_for("all")),
        "buckets": buckets, "big_schools": big_schools,
        "teachers": [_figure(code, own.get((code, ""))) for code in TEACHER_CODES],
        "teacher_schools": teacher_schools,
    }


def _teacher_row(school_id, name, values):
    row = {"school_id": school_id, "name": name}
    for code in ("rotation_share", "training_done"):
        snapshot = values.get((code, ""))
        value = snapshot.value if snapshot is not None else None
        row[code] = selectors.display(value, REGISTRY[code].places)
        row[f"{code}_met"] = REGISTRY[code].is_met(value, "")
    return row


def _school_part(data, school_id):
    """The school's seven per stage against the standards, beside the district's CVs and
    verdict of that stage; its rotation and training."""
    stages = []
    for stage in data["stages"]:
        row = periodic.row_of(stage["schools"], school_id)
        if row is not None:
            stages.append({"label": stage["label"], "row": row, "verdict": stage["verdict"],
                           "cvs_within": stage["cvs_within"], "limit": stage["limit"],
                           "lines": list(zip(data["short_names"], stage["standards"], row["cells"], strict=True))})
    teachers = periodic.row_of(data["teacher_schools"], school_id)
    if not stages and teachers is None:
        return None
    return {"stages": stages, "teachers": teachers, "min_met": data["min_met"], "near_percent": data["near_percent"],
            "term": data["term"]}


periodic.register(periodic.ReportKind(
    code="balance_monitoring", title=gettext_lazy("Yearly balance-monitoring report"), unit=periods.YEAR,
    scopes=(periodic.DISTRICT,), gather=gather, template="reports/kinds/balance_monitoring.html",
    source=gettext_lazy("Seed 001 and the 2017 measures: high-quality balanced compulsory education monitored "
                        "every year"),
    sections=(("verdict", gettext_lazy("The district's verdict")),
              ("cvs", gettext_lazy("Between-school CVs against their limits")),
              ("schools", gettext_lazy("Each school's seven indicators")),
              ("classes", gettext_lazy("Class sizes and big classes")),
              ("teachers", gettext_lazy("Teacher rotation and training"))),
    check=lambda *, period: term_of(period),
    school_section=_school_part, school_template="reports/kinds/balance_monitoring_school.html",
))
