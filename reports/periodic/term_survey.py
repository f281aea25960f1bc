"""The term inspection and survey report (seed 000: 督导室…开展问卷及走访调查, 每学期形成调查
报告), for a zone or the district: the term's self-reports held against the burden rules,
its survey campaigns' figures per school and for the district, and its visits (each school's
line too) and their findings.

Each part is counted by the code its own pages use, so the report agrees with them: the
share within each rule by `selfreport_selectors.rule_shares` (the round's page), the survey
figures as stored by the campaign's build (`SurveyAggregate`, the figures page, grouped by
`surveys.selectors.figures_by_question`), the visits by the monthly summary's gatherer run
over the term. Counts, shares and school names only: nothing of a respondent (no text
answer, no response) and nothing of a student. A fixed number of queries per campaign.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bureau import rules
from inspections.models import (
    Campaign,
    Question,
    SelfReport,
    SelfReportRound,
    SurveyAggregate,
    SurveyResponse,
    ZoneSchool,
)
from inspections.models.survey import SUPPRESS_BELOW
from inspections.selfreport_selectors import COUNTED, rule_shares
from inspections.surveys.selectors import figures_by_question
from reports import periodic
from reports.periodic import monthly_inspection, periods
from schools.models import Term

# The rule each measure is held against (bureau/rules.py): its short title heads a column.
MEASURE_RULES = {
    Question.Measure.HOMEWORK: rules.HOMEWORK, Question.Measure.SLEEP: rules.SURVEY_SLEEP,
    Question.Measure.ACTIVITY: rules.PHYSICAL_ACTIVITY, Question.Measure.AFTER_SCHOOL: rules.AFTER_SCHOOL_DAYS,
    Question.Measure.SATISFACTION: rules.SATISFACTION, Question.Measure.NO_TUTORING: rules.NO_PAID_TUTORING,
}


def _zone_schools(zone):
    return None if zone is None else set(ZoneSchool.objects.filter(zone=zone).values_list("school_id", flat=True))


def _selfreports(district, term, in_zone):
    """The term's round: per rule the share of sent reports within it and the schools outside
    it; the schools that have not sent theirs."""
    round_ = SelfReportRound.objects.filter(district=district, term=term).first()
    if round_ is None:
        return None
    schools = dict(round_.schools.order_by("code").values_list("pk", "name"))  # in the school code's order
    if in_zone is not None:
        schools = {pk: name for pk, name in schools.items() if pk in in_zone}
    broken_by_school = dict(SelfReport.objects.filter(round=round_, is_current=True, school_id__in=list(schools),
                                                      status__in=COUNTED).values_list("school_id", "breaches"))
    sent = [(name, broken_by_school[pk]) for pk, name in schools.items() if pk in broken_by_school]
    titles = {rule.code: str(rule.title) for rule in rules.BURDEN_RULES}
    shares = []
    for share in rule_shares(broken for _name, broken in sent):
        shares.append({
            "code": share.rule.code, "title": str(share.rule.title), "source": str(share.rule.source),
            "within": share.within, "counted": share.counted, "percent": share.percent,
            "outside": [name for name, broken in sent if share.rule.code in broken],
        })
    return {
        "due_date": round_.due_date.isoformat(), "schools": len(schools), "sent": len(sent),
        "flagged": sum(1 for _name, broken in sent if broken),
        "missing": [name for pk, name in schools.items() if pk not in broken_by_school],
        "rules": shares,
        # Each school's own line, for its principal: sent or not, the rules it is outside.
        "by_school": [{"school_id": pk, "sent": pk in broken_by_school,
                       "outside": [titles.get(code, code) for code in broken_by_school.get(pk) or ()]}
                      for pk in schools],
    }


def _figure(row):
    return {"answers": row.answers, "suppressed": row.suppressed,
            "mean": None if row.mean is None else float(row.mean), "within": row.within_share,
            "distribution": [[str(label), n] for label, n in row.distribution]}


def _campaign(campaign, in_zone):
    participants = dict(campaign.participants.order_by("school__code").values_list("school_id", "school__name"))
    if in_zone is not None:
        participants = {pk: name for pk, name in participants.items() if pk in in_zone}
    respondents = dict(SurveyResponse.objects.filter(campaign=campaign, school_id__in=list(participants))
                       .values("school_id").annotate(n=Count("pk")).values_list("school_id", "n"))
    rows = (SurveyAggregate.objects.filter(campaign=campaign).select_related("school", "question")
            .order_by("question__position", "school__code"))
    questions, by_school = [], {pk: [] for pk in participants}
    for question, district_row, school_rows in figures_by_question(rows):
        school_rows = [row for row in school_rows if row.school_id in participants]
        questions.append({
            "text": question.text, "kind": question.kind, "unit": question.unit,
            "rule": str(question.get_measure_display()) if question.measure else "",
            "rule_title": str(MEASURE_RULES[question.measure].title) if question.measure in MEASURE_RULES else "",
            "district": _figure(district_row) if district_row is not None else None,
            "schools": [{"name": row.school.name, **_figure(row)} for row in school_rows],
        })
        if question.measure:  # the by-school table: one column per question held against a rule
            found = {row.school_id: row for row in school_rows}
            for pk, figures in by_school.items():
                figures.append(_figure(found[pk]) if pk in found else None)
    return {
        "title": campaign.title, "audience": str(campaign.get_audience_display()),
        "grades": f"{campaign.grade_from}–{campaign.grade_to}", "status": str(campaign.get_status_display()),
        "opens_on": campaign.opens_on.isoformat(), "closes_on": campaign.closes_on.isoformat(),
        "sample_size": campaign.sample_size, "built": campaign.aggregated_at is not None,
        "respondents": sum(respondents.values()), "sought": campaign.sample_size * len(participants),
        "questions": questions,
        "rule_titles": [q["rule_title"] for q in questions if q["rule"]],
        "district_rules": [{"rule": q["rule_title"], "within": (q["district"] or {}).get("within")}
                           for q in questions if q["rule"]],
        "by_school": [{"school_id": pk, "name": name, "respondents": respondents.get(pk, 0),
                       "sought": campaign.sample_size, "figures": by_school[pk]} for pk, name in participants.items()],
    }


def gather(*, district, zone, period):
    term = Term.objects.select_related("school_year").get(start_date=period.start)
    in_zone = _zone_schools(zone)
    campaigns = [_campaign(campaign, in_zone) for campaign in (
        Campaign.objects.filter(district=district, term=term).exclude(status=Campaign.Status.DRAFT)
        .order_by("opens_on", "pk"))]
    return {
        "term": str(term), "suppress_below": SUPPRESS_BELOW,
        "selfreports": _selfreports(district, term, in_zone), "campaigns": campaigns,
        "visits": monthly_inspection.gather(district=district, zone=zone, period=period, per_school=True),
    }


def _school_part(data, school_id):
    """The school's own self-report line, its survey figures and its visits of the term
    beside the district's (a report made before the visits had a line per school has none)."""
    selfreport = periodic.row_of((data["selfreports"] or {}).get("by_school", []), school_id)
    visits = periodic.row_of(data["visits"].get("schools", []), school_id)
    campaigns = []
    for campaign in data["campaigns"]:
        row = periodic.row_of(campaign["by_school"], school_id)
        if row is not None:
            campaigns.append({"title": campaign["title"], "audience": campaign["audience"],
                              "respondents": row["respondents"], "sought": row["sought"],
                              "lines": list(zip(campaign["district_rules"], row["figures"], strict=True))})
    if selfreport is None and not campaigns and visits is None:
        return None
    return {"selfreport": selfreport, "campaigns": campaigns, "suppress_below": data["suppress_below"],
            "visits": visits and {"row": visits, "total": data["visits"]["total"]}}


periodic.register(periodic.ReportKind(
    code="term_survey", title=_("Term inspection and survey report"), unit=periods.TERM,
    scopes=(periodic.DISTRICT, periodic.ZONE), gather=gather, template="reports/kinds/term_survey.html",
    source=_("Seed 000: surveys and visits by the inspection office, a survey report every term"),
    sections=(("selfreports", _("Self-reports against the burden rules")),
              ("surveys", _("Survey results")),
              ("visits", _("Visits of the term")),
              ("findings", _("Findings by checklist item")),
              ("rectification", _("Rectification notices"))),
    school_section=_school_part, school_template="reports/kinds/term_survey_school.html",
))
