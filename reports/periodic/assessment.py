"""The yearly school assessment (学校年度考核, seeds 000 and 004): each school scored on the
criteria the administrators weigh, a substantiated breach vetoing it (一票否决), and the
model-school (示范学校) candidates ranked among the schools not vetoed.

Each criterion scores 0–100 from one grouped query over the district's schools; the total is
the weighted mean of the criteria a school has data for. The veto reasons name the kind of
breach and its date, never the complainant or the teacher.
"""

import math
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.errors import DomainError
from bureau.models import AuditLog, Role
from bureau.permissions import has_role
from bureau.rules import CLASS_SIZE, ROTATION_SHARE, SOURCE_2017, SOURCE_SEED_000, SOURCE_SEED_002, SOURCE_SEED_003
from bureau.services import audit_record
from complaints.models import Category, Complaint, Finding
from inspections.models import RectificationNotice
from reports import periodic
from reports.models import AssessmentCriterion
from reports.periodic import periods
from schools.models import ConductRecord, Rotation, School, SchoolClass, SchoolYearStat, Teacher

# The first criteria a bureau starts from; the administrators change the weights (data).
DEFAULT_CRITERIA = (
    ("resources", gettext_lazy("Resource standard (seven indicators)"), 30, SOURCE_2017),
    ("class_size", gettext_lazy("Classes within the size standard"), 15, SOURCE_SEED_003),
    ("rectification", gettext_lazy("Rectification notices answered on time"), 20,
     gettext_lazy("Seed 004: rectification followed to the end")),
    ("complaints", gettext_lazy("No substantiated complaint"), 20, SOURCE_SEED_000),
    ("rotation", gettext_lazy("Teacher rotation (15 % a year)"), 15, SOURCE_SEED_002),
)
# Model-school candidates: the best tenth of the schools not vetoed, each scoring at least 85.
CANDIDATE_SHARE = Decimal("0.10")
CANDIDATE_MIN_SCORE = 85
# A substantiated complaint costs this many points of the complaints criterion.
POINTS_PER_COMPLAINT = 20


def criteria_ensure():
    """Make the missing default criteria, named in the portal's language (they are data)."""
    with translation.override(settings.LANGUAGE_CODE):
        for n, (code, title, weight, source) in enumerate(DEFAULT_CRITERIA):
            AssessmentCriterion.objects.get_or_create(code=code, defaults={
                "title": str(title), "weight": weight, "source": str(source), "ordering": n})


def can_keep_criteria(user):
    return has_role(user, Role.ADMIN)


@transaction.atomic
def criterion_update(*, criterion, weight, by):
    if not can_keep_criteria(by):
        raise DomainError(_("Only an administrator changes the assessment's weights."))
    before = criterion.weight
    criterion.weight = weight
    criterion.full_clean()
    criterion.save(update_fields=["weight"])
    audit_record(actor=by, action=AuditLog.Action.UPDATE, instance=criterion,
                 changes={"weight": [str(before), str(weight)]})
    return criterion


def _capped(value):
    return max(0.0, min(100.0, round(float(value), 1)))


def _resources(schools, year):
    rows = SchoolYearStat.objects.filter(school__in=schools, school_year__start_year=year - 1).values_list(
        "school_id", "meets_resource_standard", "resource_weakest_percent")
    return {pk: 100.0 if meets else _capped(weakest or 0) for pk, meets, weakest in rows if meets is not None}


def _class_size(schools, year):
    size = ExpressionWrapper(F("boys") + F("girls"), output_field=IntegerField())
    within = (Q(grade__lte=6, size__lte=CLASS_SIZE.thresholds["primary"])
              | Q(grade__gte=7, size__lte=CLASS_SIZE.thresholds["junior"]))
    rows = (SchoolClass.objects.filter(school__in=schools, term__school_year__start_year=year - 1).annotate(size=size)
            .values("school_id").annotate(n=Count("pk"), ok=Count("pk", filter=within)))
    return {row["school_id"]: _capped(100 * row["ok"] / row["n"]) for row in rows if row["n"]}


def _rectification(schools, year):
    late = Q(answered_at__isnull=False, answered_at__date__gt=F("deadline")) | Q(answered_at__isnull=True)
    rows = (RectificationNotice.objects.filter(school__in=schools, issued_on__year=year).values("school_id")
            .annotate(n=Count("pk"), late=Count("pk", filter=late)))
    scores = dict.fromkeys(schools.values_list("pk", flat=True), 100.0)
    scores.update({row["school_id"]: _capped(100 * (row["n"] - row["late"]) / row["n"]) for row in rows})
    return scores


def _complaints(schools, year):
    rows = (Complaint.objects.filter(school__in=schools, concluded_at__year=year,
                                     finding__in=(Finding.SUBSTANTIATED, Finding.PARTLY))
            .values("school_id").annotate(n=Count("pk")))
    scores = dict.fromkeys(schools.values_list("pk", flat=True), 100.0)
    scores.update({row["school_id"]: _capped(100 - POINTS_PER_COMPLAINT * row["n"]) for row in rows})
    return scores


def _rotation(schools, year):
    active = dict(Teacher.objects.filter(school__in=schools, status="active").values("school_id")
                  .annotate(n=Count("pk")).values_list("school_id", "n"))
    moved = dict(Rotation.objects.filter(from_school__in=schools, start_date__year=year).values("from_school_id")
                 .annotate(n=Count("teacher_id", distinct=True)).values_list("from_school_id", "n"))
    aim = float(ROTATION_SHARE.thresholds["all"])
    return {pk: _capped(100 * (100 * moved.get(pk, 0) / n) / aim) for pk, n in active.items() if n}


SCORERS = {"resources": _resources, "class_size": _class_size, "rectification": _rectification,
           "complaints": _complaints, "rotation": _rotation}


def _vetoes(schools, year):
    """{school id: [reason, …]}: substantiated complaints whose conclusion carries the veto,
    and teachers' conduct findings with the veto, of the year (the kind and the date only)."""
    categories = dict(Category.choices)
    reasons = {}
    for school_id, category, concluded in (
            Complaint.objects.filter(school__in=schools, veto=True, finding=Finding.SUBSTANTIATED,
                                     concluded_at__year=year).values_list("school_id", "category", "concluded_at")
            .order_by("concluded_at")):
        reasons.setdefault(school_id, []).append(
            _("Substantiated complaint with the veto: %(category)s, concluded %(day)s")
            % {"category": categories.get(category, category), "day": f"{concluded:%Y-%m-%d}"})
    for school_id, day in (ConductRecord.objects.filter(teacher__school__in=schools, is_veto=True, date__year=year)
                           .values_list("teacher__school_id", "date").order_by("date")):
        reasons.setdefault(school_id, []).append(
            _("A teacher's conduct finding with the veto, %(day)s") % {"day": f"{day:%Y-%m-%d}"})
    return reasons


def gather(*, district, zone, period):
    criteria_ensure()
    year = period.start.year
    criteria = list(AssessmentCriterion.objects.filter(code__in=SCORERS, weight__gt=0))
    schools = School.objects.filter(district=district, status="open").exclude(stage__in=("kindergarten", "senior"))
    names = dict(schools.values_list("pk", "name"))
    scores = {criterion.code: SCORERS[criterion.code](schools, year) for criterion in criteria}
    vetoes = _vetoes(schools, year)
    rows = []
    for pk, name in names.items():
        marks = {c.code: scores[c.code].get(pk) for c in criteria}
        weights = [(float(c.weight), marks[c.code]) for c in criteria if marks[c.code] is not None]
        total = round(sum(w * s for w, s in weights) / sum(w for w, _s in weights), 1) if weights else None
        rows.append({"school_id": pk, "name": name, "scores": [marks[c.code] for c in criteria], "total": total,
                     "vetoed": pk in vetoes, "veto_reasons": vetoes.get(pk, [])})
    ranked = sorted((r for r in rows if not r["vetoed"] and r["total"] is not None),
                    key=lambda r: (-r["total"], r["name"]))
    for rank, row in enumerate(ranked, 1):
        row["rank"] = rank
    places = max(1, math.ceil(len(ranked) * CANDIDATE_SHARE)) if ranked else 0
    candidates = [r["school_id"] for r in ranked[:places] if r["total"] >= CANDIDATE_MIN_SCORE]
    for row in rows:
        row["candidate"] = row["school_id"] in candidates
    rows.sort(key=lambda r: (r.get("rank") is None, r.get("rank") or 0, r["name"]))
    return {
        "year": year,
        "criteria": [{"code": c.code, "title": c.title, "weight": float(c.weight), "source": c.source}
                     for c in criteria],
        "schools": rows, "vetoed": sum(1 for r in rows if r["vetoed"]), "candidates": len(candidates),
        "candidate_rule": _("The best %(share)s %% of the schools not vetoed, each scoring at least %(min)s.")
        % {"share": int(CANDIDATE_SHARE * 100), "min": CANDIDATE_MIN_SCORE},
    }


def _school_part(data, school_id):
    """The school's own line with the criteria it was scored on; never another school's."""
    row = periodic.row_of(data["schools"], school_id)
    if row is None:
        return None
    return {"year": data["year"], "row": row, "lines": list(zip(data["criteria"], row["scores"], strict=True)),
            "ranked": sum(1 for r in data["schools"] if r.get("rank"))}


periodic.register(periodic.ReportKind(
    code="school_assessment", title=gettext_lazy("Yearly school assessment"), unit=periods.YEAR,
    scopes=(periodic.DISTRICT,), gather=gather, template="reports/kinds/school_assessment.html",
    source=gettext_lazy("Seeds 000 and 004: yearly assessment tied to the burden rules; "
                        "a substantiated breach vetoes it (一票否决)"),
    school_section=_school_part, school_template="reports/kinds/school_assessment_school.html",
    sections=(("criteria", gettext_lazy("Criteria and weights")), ("ranking", gettext_lazy("Schools ranked")),
              ("vetoes", gettext_lazy("Vetoed schools"))),
))
