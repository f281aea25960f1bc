"""A campaign's figures, built set-based from its answers and stored (SurveyAggregate).

Six GROUP BY queries over the answer table, whatever the number of answers: per school and
question the answers (respondents), the mean and the answers within the question's rule;
the count per choice; the count per band of a number question; and each again for the
district. A figure of fewer than SUPPRESS_BELOW answers is stored as its count only.

Built when a campaign closes (a background job, enqueued on commit) and again on demand;
each build replaces the campaign's figures in one transaction under the campaign's row lock,
so two builds at once give the same figures once.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from bureau import jobs
from bureau.rules import AFTER_SCHOOL_DAYS, HOMEWORK, HOMEWORK_BANDS, PHYSICAL_ACTIVITY, SURVEY_SLEEP
from inspections.models import Campaign, Question, SurveyAggregate, SurveyAnswer
from inspections.models.survey import SUPPRESS_BELOW

JOB_KIND = "inspections.survey_aggregates"
Measure = Question.Measure
PRIMARY_GRADES, JUNIOR_GRADES = (1, 6), (7, 9)
CHOICE_MEASURES = (Measure.SATISFACTION, Measure.NO_TUTORING)


def _homework_within():
    """Within the grade's limit: the one homework rule of the registry, by its grade bands."""
    grades = {}
    for grade, band in HOMEWORK_BANDS.items():
        grades.setdefault(band, []).append(grade)
    return [Q(grade__in=members, number__lte=HOMEWORK.threshold_for(band)) for band, members in grades.items()]


def rule_conditions(measure):
    """The Q of an answer within the rule of `measure`, or None for no rule."""
    if measure == Measure.HOMEWORK:
        parts = _homework_within()
    elif measure == Measure.SLEEP:
        parts = [Q(grade__range=PRIMARY_GRADES, number__gte=SURVEY_SLEEP.threshold_for("primary")),
                 Q(grade__range=JUNIOR_GRADES, number__gte=SURVEY_SLEEP.threshold_for("junior"))]
    elif measure == Measure.ACTIVITY:
        parts = [Q(number__gte=PHYSICAL_ACTIVITY.threshold_for("all"))]
    elif measure == Measure.AFTER_SCHOOL:
        parts = [Q(number__gte=AFTER_SCHOOL_DAYS.threshold_for("all"))]
    elif measure in CHOICE_MEASURES:
        parts = [Q(choice__positive=True)]
    else:
        return None
    condition = Q()
    for part in parts:
        condition |= part
    return condition


def _within_case(questions):
    whens = [When(Q(question_id=q.pk) & rule_conditions(q.measure), then=Value(1))
             for q in questions if rule_conditions(q.measure) is not None]
    return Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)


def _band_case(questions):
    whens = []
    for q in questions:
        if q.kind != Question.Kind.NUMBER:
            continue
        for n, bound in enumerate(q.bounds):
            whens.append(When(question_id=q.pk, number__lt=bound, then=Value(n)))
        whens.append(When(question_id=q.pk, then=Value(len(q.bounds))))
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def band_labels(question):
    """The bands of a number question's distribution: <8, 8–9, 9–10, ≥10."""
    bounds = [_plain(b) for b in question.bounds]
    if not bounds:
        return [question.unit or "—"]
    labels = [f"<{bounds[0]}"]
    labels += [f"{a}–{b}" for a, b in zip(bounds, bounds[1:], strict=False)]
    return [*labels, f"≥{bounds[-1]}"]


def _plain(value):
    return f"{Decimal(str(value)).normalize():f}"


def answer_figures(answers, questions, *, by_school=True):
    """The GROUP BY queries of the figures: {(school, question): (n, mean, within)},
    {(school, question, choice): n}, {(school, question, band): n}. Three queries."""
    keys = ["school_id"] if by_school else []
    totals = {}
    for row in answers.values(*keys, "question_id").annotate(
        n=Count("response_id", distinct=True), mean=Avg("number"), within=Sum(_within_case(questions)),
    ).order_by():
        totals[(row.get("school_id"), row["question_id"])] = (row["n"], row["mean"], row["within"])
    choices = {}
    for row in answers.filter(choice__isnull=False).values(*keys, "question_id", "choice_id").annotate(
        n=Count("id")).order_by():
        choices[(row.get("school_id"), row["question_id"], row["choice_id"])] = row["n"]
    bands = {}
    if any(q.kind == Question.Kind.NUMBER for q in questions):
        for row in answers.filter(number__isnull=False).annotate(band=_band_case(questions)).values(
                *keys, "question_id", "band").annotate(n=Count("id")).order_by():
            bands[(row.get("school_id"), row["question_id"], row["band"])] = row["n"]
    return totals, choices, bands


def _rows(campaign, questions, school_ids, figures, now):
    totals, choices, bands = figures
    rows = []
    for school_id in school_ids:
        for q in questions:
            n, mean, within = totals.get((school_id, q.pk), (0, None, None))
            suppressed = n < SUPPRESS_BELOW
            row = SurveyAggregate(campaign=campaign, school_id=school_id, question=q, answers=n,
                                  suppressed=suppressed, computed_at=now)
            if not suppressed:
                if q.kind == Question.Kind.NUMBER and mean is not None:
                    row.mean = Decimal(str(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                if rule_conditions(q.measure) is not None:
                    row.within = within or 0
                if q.is_choice:
                    row.distribution = [[c.label, choices.get((school_id, q.pk, c.pk), 0)] for c in q.choices.all()]
                elif q.kind == Question.Kind.NUMBER:
                    row.distribution = [[label, bands.get((school_id, q.pk, n_), 0)]
                                        for n_, label in enumerate(band_labels(q))]
            rows.append(row)
    return rows


@transaction.atomic
def aggregates_build(*, campaign_id):
    """Replace the campaign's stored figures with figures built from its answers now."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    questions = [q for q in campaign.questionnaire.questions.prefetch_related("choices").order_by("position")
                 if q.kind != Question.Kind.TEXT]
    answers = SurveyAnswer.objects.filter(campaign_id=campaign.pk)
    school_ids = list(campaign.participants.order_by("school__code").values_list("school_id", flat=True))
    now = timezone.now()
    rows = _rows(campaign, questions, school_ids, answer_figures(answers, questions), now)
    rows += _rows(campaign, questions, [None], answer_figures(answers, questions, by_school=False), now)
    SurveyAggregate.objects.filter(campaign=campaign).delete()
    SurveyAggregate.objects.bulk_create(rows, batch_size=2000)
    Campaign.objects.filter(pk=campaign.pk).update(aggregated_at=now)
    return len(rows)


def aggregates_enqueue(*, campaign_id):
    """Build the figures in the background; one open job per campaign."""
    return jobs.job_enqueue(kind=JOB_KIND, payload={"campaign": campaign_id}, key=f"survey-aggregates:{campaign_id}")


@jobs.handler(JOB_KIND)
def _aggregates_job(run):
    aggregates_build(campaign_id=run.payload["campaign"])
