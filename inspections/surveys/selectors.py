"""Reads of survey campaigns, scoped by the engine: lists, a campaign's schools, its stored figures."""

from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce

from bureau.permissions import get_visible_or_404
from inspections.models import (
    Campaign,
    CampaignSchool,
    Choice,
    Question,
    Questionnaire,
    SurveyAggregate,
    SurveyResponse,
)
from inspections.surveys.permissions import sees_district_figures


def questionnaire_list(*, user):
    return (Questionnaire.objects.visible_to(user).select_related("district")
            .annotate(n_questions=Count("questions")).order_by("district__code", "title", "pk"))


def questionnaire_detail(*, user, pk):
    questions = Question.objects.select_related("condition_question").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position"))).order_by("position")
    return get_visible_or_404(
        Questionnaire.objects.select_related("district", "copied_from").prefetch_related(
            Prefetch("questions", queryset=questions)), user, pk=pk)


def question_for_edit(*, user, pk):
    return get_visible_or_404(Question.objects.select_related("questionnaire__district").prefetch_related("choices"),
                              user, pk=pk)


def _responses_count():
    return Coalesce(Subquery(
        SurveyResponse.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
        .annotate(n=Count("pk")).values("n")[:1]), 0)


def campaign_list(*, user):
    """The user's campaigns with their schools and answers (two subqueries: no row per answer)."""
    schools = Subquery(CampaignSchool.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
                       .annotate(n=Count("pk")).values("n")[:1])
    return (Campaign.objects.visible_to(user).select_related("district", "term__school_year", "questionnaire")
            .annotate(n_schools=Coalesce(schools, 0), n_responses=_responses_count()).order_by("-opens_on", "-pk"))


def campaign_detail(*, user, pk):
    return get_visible_or_404(
        Campaign.objects.select_related("district", "term__school_year", "questionnaire", "created_by")
        .annotate(n_responses=_responses_count()), user, pk=pk)


def campaign_participants(*, user, campaign):
    """The campaign's schools the user reaches, with their answers so far."""
    answers = Subquery(SurveyResponse.objects.filter(campaign=campaign, school=OuterRef("school")).order_by()
                       .values("school").annotate(n=Count("pk")).values("n")[:1])
    return (CampaignSchool.objects.visible_to(user).filter(campaign=campaign).select_related("school")
            .annotate(n_answers=Coalesce(answers, 0)).order_by("school__code"))


def campaign_refused(*, campaign):
    return CampaignSchool.objects.filter(campaign=campaign).aggregate(
        duplicate=Coalesce(Sum("refused_duplicate"), 0), limit=Coalesce(Sum("refused_limit"), 0))


def campaign_figures(*, user, campaign, school=None):
    """The stored figures the user may read: its schools' rows, and the district's for the
    bureau; [(question, district row or None, [school rows])] in the questionnaire's order."""
    rows = (SurveyAggregate.objects.visible_to(user).filter(campaign=campaign)
            .select_related("school", "question").order_by("question__position", "school__code"))
    if school is not None:
        rows = rows.filter(school=school)
    elif not sees_district_figures(user):
        rows = rows.exclude(school=None)
    return figures_by_question(rows)


def figures_by_question(rows):
    """Stored figures (with school and question) as [(question, district row or None, [school
    rows])]: the figures page's grouping, which the term report reads too."""
    by_question = {}
    for row in rows:
        entry = by_question.setdefault(row.question_id, [row.question, None, []])
        if row.school_id is None:
            entry[1] = row
        else:
            entry[2].append(row)
    return list(by_question.values())
